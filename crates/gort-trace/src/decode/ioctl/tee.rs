//! Trusted execution environment ioctls (`linux/tee.h`, type 0xa4).
//!
//! Design: session and invocation requests pass a `struct tee_ioctl_buf_data` pointing at an
//! argument block followed by its parameters; the block is decoded when its stated length matches
//! its parameter count, and otherwise shown as the buffer descriptor alone.

use super::cx::{addr_into, i32_at, i64_at, u32_at, u64_at, Cx, Rval};
use super::tables::*;
use crate::decode::structs::CHex;
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

const GEN_CAPS: Xlat = Xlat::hex(TEE_IOCTL_GEN_CAPS, "TEE_GEN_CAP_???");
const IMPL_IDS: Xlat = Xlat::hex(TEE_IOCTL_IMPL_IDS, "TEE_IMPL_ID_???");
const LOGIN_TYPES: Xlat = Xlat::hex(TEE_IOCTL_LOGIN_TYPES, "TEE_IOCTL_LOGIN_???");
const OPTEE_CAPS: Xlat = Xlat::hex(TEE_IOCTL_OPTEE_CAPS, "TEE_OPTEE_CAP_???");
const ORIGINS: Xlat = Xlat::hex(TEE_IOCTL_ORIGINS, "TEEC_ORIGIN_???");
const PARAM_ATTR_TYPES: Xlat = Xlat::wide(TEE_IOCTL_PARAM_ATTR_TYPES, "TEE_IOCTL_PARAM_ATTR_");
const SHM_FLAGS: Xlat = Xlat::hex(TEE_IOCTL_SHM_FLAGS, "TEE_IOCTL_SHM_???");
/// `TEE_MAX_ARG_SIZE`.
const MAX_ARG_SIZE: u64 = 1024;
const PARAM: u64 = 32;
const ATTR_META: u64 = 0x100;
const IMPL_ID_OPTEE: u32 = 1;

/// Decodes a TEE request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    let arg = cx.arg;
    match cx.code {
        // TEE_IOC_VERSION
        0x800ca400 if cx.entering() => {
            out.push_str(", ");
            Rval::Exit
        }
        0x800ca400 => {
            if let Some(b) = cx.fetch(out, arg, 12) {
                let impl_id = u32_at(&b, 0);
                out.push_str("{impl_id=");
                xlat::value(out, impl_id as u64, &IMPL_IDS);
                out.push_str(", gen_caps=");
                xlat::flags(out, u32_at(&b, 8) as u64, &GEN_CAPS);
                out.push_str(", impl_caps=");
                if impl_id == IMPL_ID_OPTEE {
                    xlat::flags(out, u32_at(&b, 4) as u64, &OPTEE_CAPS);
                } else {
                    let _ = write!(out, "{}", CHex(u32_at(&b, 4) as u64));
                }
                out.push('}');
            }
            Rval::Done
        }
        // TEE_IOC_OPEN_SESSION, TEE_IOC_INVOKE, TEE_IOC_SUPPL_RECV, TEE_IOC_SUPPL_SEND
        0x8010a402 | 0x8010a403 | 0x8010a406 | 0x8010a407 => session(cx, out),
        // TEE_IOC_CANCEL
        0x8008a404 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 8) {
                let _ = write!(
                    out,
                    "{{cancel_id={}, session={}}}",
                    u32_at(&b, 0),
                    CHex(u32_at(&b, 4) as u64)
                );
            }
            Rval::Done
        }
        // TEE_IOC_CLOSE_SESSION
        0x8004a405 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 4) {
                let _ = write!(out, "{{session={}}}", CHex(u32_at(&b, 0) as u64));
            }
            Rval::Done
        }
        // TEE_IOC_SHM_ALLOC
        0xc010a401 => shm(cx, out, 16, |out, b, entering| {
            let _ = write!(out, "{{size={}, flags=", CHex(u64_at(b, 0)));
            xlat::flags(out, u32_at(b, 8) as u64, &SHM_FLAGS);
            if !entering {
                let _ = write!(out, ", id={}", i32_at(b, 12));
            }
            out.push('}');
        }),
        // TEE_IOC_SHM_REGISTER
        0xc018a409 => shm(cx, out, 24, |out, b, entering| {
            out.push('{');
            if entering {
                out.push_str("addr=");
                addr_into(out, u64_at(b, 0));
                out.push_str(", ");
            }
            let _ = write!(out, "length={}, flags=", CHex(u64_at(b, 8)));
            xlat::flags(out, u32_at(b, 16) as u64, &SHM_FLAGS);
            if !entering {
                let _ = write!(out, ", id={}", i32_at(b, 20));
            }
            out.push('}');
        }),
        // TEE_IOC_SHM_REGISTER_FD (a request the kernel never merged, decoded by strace).
        0xc020a408 => {
            if cx.entering() {
                out.push_str(", ");
                let Some(b) = cx.fetch(out, arg, 32) else {
                    return Rval::Done;
                };
                out.push_str("{fd=");
                cx.fd_into(out, i64_at(&b, 0) as i32);
                out.push_str(", flags=");
                xlat::flags(out, u32_at(&b, 16) as u64, &SHM_FLAGS);
                out.push('}');
                return Rval::Exit;
            }
            if !cx.failed() {
                out.push_str(" => ");
                if let Some(b) = cx.fetch(out, arg, 32) {
                    let _ = write!(
                        out,
                        "{{size={}, id={}}}",
                        CHex(u64_at(&b, 8)),
                        i32_at(&b, 24)
                    );
                }
            }
            Rval::Done
        }
        _ => Rval::Plain,
    }
}

/// A shared memory request: shown at entry and, after a successful call, again at exit.
fn shm(cx: &mut Cx, out: &mut String, len: usize, show: fn(&mut String, &[u8], bool)) -> Rval {
    if cx.entering() {
        out.push_str(", ");
        let Some(b) = cx.fetch(out, cx.arg, len) else {
            return Rval::Done;
        };
        show(out, &b, true);
        return Rval::Exit;
    }
    if !cx.failed() {
        out.push_str(" => ");
        if let Some(b) = cx.fetch(out, cx.arg, len) {
            show(out, &b, false);
        }
    }
    Rval::Done
}

/// The argument block's size and the offset of its parameter count, per request.
fn block(code: u32) -> (u64, usize) {
    match code {
        0x8010a402 => (56, 52),
        0x8010a403 => (24, 20),
        _ => (8, 4),
    }
}

/// Sessions, invocations and supplicant requests: the buffer descriptor and its argument block.
fn session(cx: &mut Cx, out: &mut String) -> Rval {
    let code = cx.code;
    if cx.entering() {
        out.push_str(", ");
    } else if cx.failed() {
        out.push('}');
        return Rval::Done;
    } else {
        out.push_str(" => ");
    }
    let Some((len, a, params)) = fetch_block(cx, out) else {
        return Rval::Done;
    };
    let (_, count_at) = block(code);
    let num_params = u32_at(&a, count_at);
    if cx.entering() {
        let _ = write!(out, "{{buf_len={len}, buf_ptr={{");
        match code {
            0x8010a402 => {
                out.push_str("uuid=");
                for (i, c) in a[0..16].iter().enumerate() {
                    if matches!(i, 4 | 6 | 8 | 10) {
                        out.push('-');
                    }
                    let _ = write!(out, "{c:02x}");
                }
                let login = u32_at(&a, 32);
                out.push_str(", clnt_login=");
                xlat::value(out, login as u64, &LOGIN_TYPES);
                match login {
                    0 | 1 | 4 | 5 => {}
                    2 | 6 => match u32_at(&a, 16) {
                        u32::MAX => out.push_str(", clnt_uuid=-1"),
                        gid => {
                            let _ = write!(out, ", clnt_uuid={gid}");
                        }
                    },
                    _ => {
                        out.push_str(", clnt_uuid=[");
                        for (i, c) in a[16..32].iter().enumerate() {
                            if i > 0 {
                                out.push_str(", ");
                            }
                            let _ = write!(out, "{}", CHex(*c as u64));
                        }
                        out.push(']');
                    }
                }
                let _ = write!(out, ", cancel_id={}", u32_at(&a, 36));
            }
            0x8010a403 => {
                let _ = write!(
                    out,
                    "func={}, session={}, cancel_id={}",
                    u32_at(&a, 0),
                    CHex(u32_at(&a, 4) as u64),
                    u32_at(&a, 8)
                );
            }
            0x8010a406 => {
                let _ = write!(out, "func={}", u32_at(&a, 0));
            }
            _ => {}
        }
        // TEE_IOC_SUPPL_SEND's block starts with the count.
        if !out.ends_with('{') {
            out.push_str(", ");
        }
        let _ = write!(out, "num_params={num_params}");
        params_into(cx, out, params, num_params);
        out.push('}');
        return Rval::Exit;
    }
    out.push('{');
    match code {
        0x8010a402 => {
            let _ = write!(
                out,
                "session={}, ret={}, ret_origin=",
                CHex(u32_at(&a, 40) as u64),
                u32_at(&a, 44)
            );
            xlat::value(out, u32_at(&a, 48) as u64, &ORIGINS);
        }
        0x8010a403 => {
            let _ = write!(out, "ret={}, ret_origin=", u32_at(&a, 12));
            xlat::value(out, u32_at(&a, 16) as u64, &ORIGINS);
        }
        0x8010a406 => {
            let _ = write!(out, "num_params={num_params}");
        }
        _ => {
            let _ = write!(out, "ret={}", u32_at(&a, 0));
        }
    }
    params_into(cx, out, params, num_params);
    out.push_str("}}");
    Rval::Done
}

/// The buffer descriptor and the argument block it points at: `(buf_len, block, params address)`,
/// or `None` after printing the descriptor (or its address) when the block is not shown.
fn fetch_block(cx: &mut Cx, out: &mut String) -> Option<(u64, Vec<u8>, u64)> {
    let d = cx.fetch(out, cx.arg, 16)?;
    let (ptr, len) = (u64_at(&d, 0), u64_at(&d, 8));
    let (size, count_at) = block(cx.code);
    let descriptor = |out: &mut String| {
        let _ = write!(out, "{{buf_len={len}, buf_ptr=");
        addr_into(out, ptr);
        out.push('}');
    };
    if len > MAX_ARG_SIZE || len < size {
        descriptor(out);
        return None;
    }
    let Some(a) = cx.read(ptr, size as usize) else {
        descriptor(out);
        return None;
    };
    let num_params = u32_at(&a, count_at) as u64;
    if cx.entering() && size + PARAM * num_params != len {
        descriptor(out);
        return None;
    }
    let params = if num_params != 0 { ptr + size } else { 0 };
    Some((len, a, params))
}

/// `, params=[...]`: `struct tee_ioctl_param`s by their attribute.
fn params_into(cx: &mut Cx, out: &mut String, addr: u64, count: u32) {
    out.push_str(", params=");
    cx.array_into(out, addr, count as u64, PARAM as usize, |_, out, p| {
        let attr = u64_at(p, 0);
        out.push_str("{attr=");
        xlat::value(out, attr & !ATTR_META, &PARAM_ATTR_TYPES);
        if attr & ATTR_META != 0 {
            out.push_str("|TEE_IOCTL_PARAM_ATTR_META");
        }
        let (a, b, c) = (u64_at(p, 8), u64_at(p, 16), u64_at(p, 24));
        match attr {
            0 => {}
            5..=7 => {
                let _ = write!(out, ", shm_offs={}, size={}, shm_id={c}", CHex(a), CHex(b));
            }
            _ => {
                let _ = write!(out, ", a={}, b={}, c={}", CHex(a), CHex(b), CHex(c));
            }
        }
        out.push('}');
        true
    });
}
