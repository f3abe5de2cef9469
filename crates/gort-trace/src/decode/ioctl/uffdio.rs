//! userfaultfd ioctls (`linux/userfaultfd.h`, type 0xaa).
//!
//! Design: the requests hand the kernel a structure at entry; at exit the fields it fills (the
//! features and ioctls it supports, the bytes it copied) are appended.

use super::cx::{u64_at, Cx, Rval};
use super::tables::*;
use crate::decode::structs::CHex;
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

const API_FEATURES: Xlat = Xlat::wide(UFFD_API_FEATURES, "UFFD_FEATURE_???");
const API_FLAGS: Xlat = Xlat::wide(UFFD_API_FLAGS, "_UFFDIO_???");
const COPY_FLAGS: Xlat = Xlat::wide(UFFD_COPY_FLAGS, "UFFDIO_COPY_???");
const REGISTER_MODES: Xlat = Xlat::wide(UFFD_REGISTER_MODE_FLAGS, "UFFDIO_REGISTER_MODE_???");
const REGISTER_IOCTLS: Xlat = Xlat::wide(UFFD_REGISTER_IOCTL_FLAGS, "UFFDIO_???");
const ZEROPAGE_FLAGS: Xlat = Xlat::wide(UFFD_ZEROPAGE_FLAGS, "UFFDIO_ZEROPAGE_???");

/// Prints part of a structure from its bytes.
type Part = fn(&mut String, &[u8]);

fn range(out: &mut String, b: &[u8]) {
    let _ = write!(
        out,
        "{{start={}, len={}}}",
        CHex(u64_at(b, 0)),
        CHex(u64_at(b, 8))
    );
}

/// Decodes a userfaultfd request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    let arg = cx.arg;
    let (len, in_part, out_part): (usize, Part, Part) = match cx.code {
        // UFFDIO_API: struct uffdio_api. strace compares the features with a value it never
        // stored, so the features the kernel returns are always shown.
        0xc018aa3f => (
            24,
            |out, b| {
                let _ = write!(out, "{{api={}, features=", CHex(u64_at(b, 0)));
                xlat::flags(out, u64_at(b, 8), &API_FEATURES);
            },
            |out, b| {
                out.push_str(" => features=");
                xlat::flags(out, u64_at(b, 8), &API_FEATURES);
                out.push_str(", ioctls=");
                xlat::flags(out, u64_at(b, 16), &API_FLAGS);
            },
        ),
        // UFFDIO_COPY: struct uffdio_copy.
        0xc028aa03 => (
            40,
            |out, b| {
                let _ = write!(
                    out,
                    "{{dst={}, src={}, len={}, mode=",
                    CHex(u64_at(b, 0)),
                    CHex(u64_at(b, 8)),
                    CHex(u64_at(b, 16))
                );
                xlat::flags(out, u64_at(b, 24), &COPY_FLAGS);
            },
            |out, b| {
                let _ = write!(out, ", copy={}", CHex(u64_at(b, 32)));
            },
        ),
        // UFFDIO_REGISTER: struct uffdio_register.
        0xc020aa00 => (
            32,
            |out, b| {
                out.push_str("{range=");
                range(out, b);
                out.push_str(", mode=");
                xlat::flags(out, u64_at(b, 16), &REGISTER_MODES);
            },
            |out, b| {
                out.push_str(", ioctls=");
                xlat::flags(out, u64_at(b, 24), &REGISTER_IOCTLS);
            },
        ),
        // UFFDIO_ZEROPAGE: struct uffdio_zeropage.
        0xc020aa04 => (
            32,
            |out, b| {
                out.push_str("{range=");
                range(out, b);
                out.push_str(", mode=");
                xlat::flags(out, u64_at(b, 16), &ZEROPAGE_FLAGS);
            },
            |out, b| {
                let _ = write!(out, ", zeropage={}", CHex(u64_at(b, 24)));
            },
        ),
        // UFFDIO_UNREGISTER, UFFDIO_WAKE: struct uffdio_range.
        0x8010aa01 | 0x8010aa02 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 16) {
                range(out, &b);
            }
            return Rval::Done;
        }
        _ => return Rval::Plain,
    };
    if cx.entering() {
        out.push_str(", ");
        let Some(b) = cx.fetch(out, arg, len) else {
            return Rval::Done;
        };
        in_part(out, &b);
        return Rval::Exit;
    }
    if !cx.failed() {
        if let Some(b) = cx.read(arg, len) {
            out_part(out, &b);
        }
    }
    out.push('}');
    Rval::Done
}
