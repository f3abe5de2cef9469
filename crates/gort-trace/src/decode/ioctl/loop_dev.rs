//! Loop device ioctls (`linux/loop.h`, type `L`).
//!
//! Design: `struct loop_info` and `struct loop_info64` are shown in full under `-v`; otherwise the
//! device identity, the encryption fields (unless there is no encryption) and the init words are
//! left out.

use super::cx::{cstring_field, i32_at, u32_at, u64_at, Cx, Rval};
use super::tables::{LOOP_CRYPT_TYPE_OPTIONS, LOOP_FLAGS_OPTIONS};
use crate::decode::strings;
use crate::decode::structs::{makedev_into, CHex};
use crate::decode::xlat::{self, Xlat};
use crate::decode::Opts;
use std::fmt::Write;

const FLAGS: Xlat = Xlat::hex(LOOP_FLAGS_OPTIONS, "LO_FLAGS_???");
const CRYPT_TYPES: Xlat = Xlat::hex(LOOP_CRYPT_TYPE_OPTIONS, "LO_CRYPT_???");
/// `LO_KEY_SIZE`.
const KEY_SIZE: usize = 32;

/// Decodes a loop device request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    let arg = cx.arg;
    match cx.code {
        // LOOP_GET_STATUS
        0x4c03 if cx.entering() => Rval::Exit,
        // ... LOOP_SET_STATUS
        0x4c03 | 0x4c02 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 168) {
                info(out, &b, cx.opts);
            }
            Rval::Done
        }
        // LOOP_GET_STATUS64
        0x4c05 if cx.entering() => Rval::Exit,
        // ... LOOP_SET_STATUS64
        0x4c05 | 0x4c04 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 232) {
                info64(out, &b, cx.opts);
            }
            Rval::Done
        }
        // LOOP_CONFIGURE: struct loop_config.
        0x4c0a => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 304) {
                out.push_str("{fd=");
                cx.fd_into(out, i32_at(&b, 0));
                let _ = write!(out, ", block_size={}, info=", u32_at(&b, 4));
                info64(out, &b[8..240], cx.opts);
                words(out, "__reserved", &b[240..304], 8);
                out.push('}');
            }
            Rval::Done
        }
        // LOOP_CLR_FD, LOOP_SET_CAPACITY, LOOP_CTL_GET_FREE
        0x4c01 | 0x4c07 | 0x4c82 => Rval::Done,
        // LOOP_SET_FD, LOOP_CHANGE_FD
        0x4c00 | 0x4c06 => {
            out.push_str(", ");
            cx.fd_into(out, arg as i32);
            Rval::Done
        }
        // LOOP_CTL_ADD, LOOP_CTL_REMOVE
        0x4c80 | 0x4c81 => {
            let _ = write!(out, ", {}", arg as i32);
            Rval::Done
        }
        // LOOP_SET_DIRECT_IO, LOOP_SET_BLOCK_SIZE
        0x4c08 | 0x4c09 => {
            let _ = write!(out, ", {arg}");
            Rval::Done
        }
        _ => Rval::Plain,
    }
}

/// `, NAME=[0x.., ...]`: a reserved array when any of it is set.
fn words(out: &mut String, name: &str, b: &[u8], size: usize) {
    if b.iter().any(|&c| c != 0) {
        let _ = write!(out, ", {name}=");
        hex_array(out, b, size);
    }
}

fn hex_array(out: &mut String, b: &[u8], size: usize) {
    out.push('[');
    for (i, w) in b.chunks(size).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let v = if size == 8 { u64_at(w, 0) } else { w[0] as u64 };
        let _ = write!(out, "{}", CHex(v));
    }
    out.push(']');
}

/// The encryption key: as many bytes as its size says, at most `LO_KEY_SIZE`.
fn key(out: &mut String, b: &[u8], size: u32, opts: &Opts) {
    let k = &b[..(size as usize).min(KEY_SIZE)];
    out.push_str(", lo_encrypt_key=");
    strings::quote_into(out, k, strings::wants_hex(k, opts.xflag));
}

/// `struct loop_info` (x86_64 layout, 168 bytes).
fn info(out: &mut String, b: &[u8], opts: &Opts) {
    let full = opts.verbose;
    let crypt = u32_at(b, 36);
    let _ = write!(out, "{{lo_number={}", i32_at(b, 0));
    if full {
        out.push_str(", lo_device=");
        makedev_into(out, u64_at(b, 8));
        let _ = write!(out, ", lo_inode={}, lo_rdevice=", u64_at(b, 16));
        makedev_into(out, u64_at(b, 24));
    }
    let _ = write!(out, ", lo_offset={}", CHex(u32_at(b, 32) as u64));
    if full || crypt != 0 {
        out.push_str(", lo_encrypt_type=");
        xlat::value(out, crypt as u64, &CRYPT_TYPES);
        let _ = write!(out, ", lo_encrypt_key_size={}", u32_at(b, 40));
    }
    out.push_str(", lo_flags=");
    xlat::flags(out, u32_at(b, 44) as u64, &FLAGS);
    out.push_str(", lo_name=");
    cstring_field(out, &b[48..112], opts);
    if full || crypt != 0 {
        key(out, &b[112..144], u32_at(b, 40), opts);
    }
    if full {
        out.push_str(", lo_init=");
        hex_array(out, &b[144..160], 8);
        out.push_str(", reserved=");
        hex_array(out, &b[160..164], 1);
    } else {
        out.push_str(", ...");
    }
    out.push('}');
}

/// `struct loop_info64` (232 bytes).
fn info64(out: &mut String, b: &[u8], opts: &Opts) {
    let full = opts.verbose;
    let crypt = u32_at(b, 44);
    if full {
        out.push_str("{lo_device=");
        makedev_into(out, u64_at(b, 0));
        let _ = write!(out, ", lo_inode={}, lo_rdevice=", u64_at(b, 8));
        makedev_into(out, u64_at(b, 16));
        let _ = write!(
            out,
            ", lo_offset={}, lo_sizelimit={}, lo_number={}",
            CHex(u64_at(b, 24)),
            u64_at(b, 32),
            u32_at(b, 40)
        );
    } else {
        let _ = write!(
            out,
            "{{lo_offset={}, lo_number={}",
            CHex(u64_at(b, 24)),
            u32_at(b, 40)
        );
    }
    if full || crypt != 0 {
        out.push_str(", lo_encrypt_type=");
        xlat::value(out, crypt as u64, &CRYPT_TYPES);
        let _ = write!(out, ", lo_encrypt_key_size={}", u32_at(b, 48));
    }
    out.push_str(", lo_flags=");
    xlat::flags(out, u32_at(b, 52) as u64, &FLAGS);
    out.push_str(", lo_file_name=");
    cstring_field(out, &b[56..120], opts);
    if full || crypt != 0 {
        out.push_str(", lo_crypt_name=");
        cstring_field(out, &b[120..184], opts);
        key(out, &b[184..216], u32_at(b, 48), opts);
    }
    if full {
        out.push_str(", lo_init=");
        hex_array(out, &b[216..232], 8);
    } else {
        out.push_str(", ...");
    }
    out.push('}');
}
