//! The kernel key management calls: `add_key`, `request_key` and `keyctl`.
//!
//! Design: walkers (see `walk.rs`): key types, descriptions and callout strings are NUL-terminated
//! strings cut at `-s`, payloads are buffers of a given length, and keyring serial numbers are shown
//! by their special names (`KEY_SPEC_THREAD_KEYRING`) or in decimal. `keyctl`'s arguments depend on
//! its command; the commands that fill a buffer (`KEYCTL_READ`, `KEYCTL_DESCRIBE`, the public-key
//! operations, ...) show it at exit, as many bytes as the call returned.

use super::walk::{le16, le32, le64, ptr, Call};
use super::xlat::{self, Xlat};
use std::fmt::Write;

const KEYCTL_COMMANDS: Xlat = Xlat::hex(
    &[
        (0, "KEYCTL_GET_KEYRING_ID"),
        (1, "KEYCTL_JOIN_SESSION_KEYRING"),
        (2, "KEYCTL_UPDATE"),
        (3, "KEYCTL_REVOKE"),
        (4, "KEYCTL_CHOWN"),
        (5, "KEYCTL_SETPERM"),
        (6, "KEYCTL_DESCRIBE"),
        (7, "KEYCTL_CLEAR"),
        (8, "KEYCTL_LINK"),
        (9, "KEYCTL_UNLINK"),
        (10, "KEYCTL_SEARCH"),
        (11, "KEYCTL_READ"),
        (12, "KEYCTL_INSTANTIATE"),
        (13, "KEYCTL_NEGATE"),
        (14, "KEYCTL_SET_REQKEY_KEYRING"),
        (15, "KEYCTL_SET_TIMEOUT"),
        (16, "KEYCTL_ASSUME_AUTHORITY"),
        (17, "KEYCTL_GET_SECURITY"),
        (18, "KEYCTL_SESSION_TO_PARENT"),
        (19, "KEYCTL_REJECT"),
        (20, "KEYCTL_INSTANTIATE_IOV"),
        (21, "KEYCTL_INVALIDATE"),
        (22, "KEYCTL_GET_PERSISTENT"),
        (23, "KEYCTL_DH_COMPUTE"),
        (24, "KEYCTL_PKEY_QUERY"),
        (25, "KEYCTL_PKEY_ENCRYPT"),
        (26, "KEYCTL_PKEY_DECRYPT"),
        (27, "KEYCTL_PKEY_SIGN"),
        (28, "KEYCTL_PKEY_VERIFY"),
        (29, "KEYCTL_RESTRICT_KEYRING"),
        (30, "KEYCTL_MOVE"),
        (31, "KEYCTL_CAPABILITIES"),
        (32, "KEYCTL_WATCH_KEY"),
    ],
    "KEYCTL_???",
);

const KEY_PERMS: Xlat = Xlat::hex(
    &[
        (0x01000000, "KEY_POS_VIEW"),
        (0x02000000, "KEY_POS_READ"),
        (0x04000000, "KEY_POS_WRITE"),
        (0x08000000, "KEY_POS_SEARCH"),
        (0x10000000, "KEY_POS_LINK"),
        (0x20000000, "KEY_POS_SETATTR"),
        (0x3f000000, "KEY_POS_ALL"),
        (0x00010000, "KEY_USR_VIEW"),
        (0x00020000, "KEY_USR_READ"),
        (0x00040000, "KEY_USR_WRITE"),
        (0x00080000, "KEY_USR_SEARCH"),
        (0x00100000, "KEY_USR_LINK"),
        (0x00200000, "KEY_USR_SETATTR"),
        (0x003f0000, "KEY_USR_ALL"),
        (0x00000100, "KEY_GRP_VIEW"),
        (0x00000200, "KEY_GRP_READ"),
        (0x00000400, "KEY_GRP_WRITE"),
        (0x00000800, "KEY_GRP_SEARCH"),
        (0x00001000, "KEY_GRP_LINK"),
        (0x00002000, "KEY_GRP_SETATTR"),
        (0x00003f00, "KEY_GRP_ALL"),
        (0x00000001, "KEY_OTH_VIEW"),
        (0x00000002, "KEY_OTH_READ"),
        (0x00000004, "KEY_OTH_WRITE"),
        (0x00000008, "KEY_OTH_SEARCH"),
        (0x00000010, "KEY_OTH_LINK"),
        (0x00000020, "KEY_OTH_SETATTR"),
        (0x0000003f, "KEY_OTH_ALL"),
    ],
    "KEY_???",
);

const KEY_REQKEYS: Xlat = Xlat::dec(
    &[
        (-1i32 as u32 as u64, "KEY_REQKEY_DEFL_NO_CHANGE"),
        (0, "KEY_REQKEY_DEFL_DEFAULT"),
        (1, "KEY_REQKEY_DEFL_THREAD_KEYRING"),
        (2, "KEY_REQKEY_DEFL_PROCESS_KEYRING"),
        (3, "KEY_REQKEY_DEFL_SESSION_KEYRING"),
        (4, "KEY_REQKEY_DEFL_USER_KEYRING"),
        (5, "KEY_REQKEY_DEFL_USER_SESSION_KEYRING"),
        (6, "KEY_REQKEY_DEFL_GROUP_KEYRING"),
        (7, "KEY_REQKEY_DEFL_REQUESTOR_KEYRING"),
    ],
    "KEY_REQKEY_DEFL_???",
);

const KEYCTL_CAPS0: Xlat = Xlat::hex(
    &[
        (0x01, "KEYCTL_CAPS0_CAPABILITIES"),
        (0x02, "KEYCTL_CAPS0_PERSISTENT_KEYRINGS"),
        (0x04, "KEYCTL_CAPS0_DIFFIE_HELLMAN"),
        (0x08, "KEYCTL_CAPS0_PUBLIC_KEY"),
        (0x10, "KEYCTL_CAPS0_BIG_KEY"),
        (0x20, "KEYCTL_CAPS0_INVALIDATE"),
        (0x40, "KEYCTL_CAPS0_RESTRICT_KEYRING"),
        (0x80, "KEYCTL_CAPS0_MOVE"),
    ],
    "KEYCTL_CAPS0_???",
);

const KEYCTL_CAPS1: Xlat = Xlat::hex(
    &[
        (0x01, "KEYCTL_CAPS1_NS_KEYRING_NAME"),
        (0x02, "KEYCTL_CAPS1_NS_KEY_TAG"),
        (0x04, "KEYCTL_CAPS1_NOTIFICATIONS"),
    ],
    "KEYCTL_CAPS1_???",
);

const KEYCTL_MOVE_FLAGS: Xlat = Xlat::hex(&[(1, "KEYCTL_MOVE_EXCL")], "KEYCTL_MOVE_???");

const KEYCTL_PKEY_OPS: Xlat = Xlat::hex(
    &[
        (1, "KEYCTL_SUPPORTS_ENCRYPT"),
        (2, "KEYCTL_SUPPORTS_DECRYPT"),
        (4, "KEYCTL_SUPPORTS_SIGN"),
        (8, "KEYCTL_SUPPORTS_VERIFY"),
    ],
    "KEYCTL_SUPPORTS_???",
);

/// Sizes of `keyctl_dh_params`, `keyctl_kdf_params`, `keyctl_pkey_query`, `keyctl_pkey_params`.
const DH_PARAMS_SIZE: usize = 12;
const KDF_PARAMS_SIZE: usize = 56;
const PKEY_QUERY_SIZE: usize = 56;
const PKEY_PARAMS_SIZE: usize = 40;
const IOVEC_SIZE: usize = 16;

const KEY_SPEC: Xlat = Xlat::dec(
    &[
        (-1i64 as u32 as u64, "KEY_SPEC_THREAD_KEYRING"),
        (-2i64 as u32 as u64, "KEY_SPEC_PROCESS_KEYRING"),
        (-3i64 as u32 as u64, "KEY_SPEC_SESSION_KEYRING"),
        (-4i64 as u32 as u64, "KEY_SPEC_USER_KEYRING"),
        (-5i64 as u32 as u64, "KEY_SPEC_USER_SESSION_KEYRING"),
        (-6i64 as u32 as u64, "KEY_SPEC_GROUP_KEYRING"),
        (-7i64 as u32 as u64, "KEY_SPEC_REQKEY_AUTH_KEY"),
        (-8i64 as u32 as u64, "KEY_SPEC_REQUESTOR_KEYRING"),
    ],
    "",
);

/// A keyring serial number: its special name or the number.
pub fn serial(out: &mut String, id: u64) {
    let id = id & 0xffff_ffff;
    if KEY_SPEC.name(id).is_some() {
        xlat::value(out, id, &KEY_SPEC);
    } else {
        let _ = write!(out, "{}", id as u32 as i32);
    }
}

/// `add_key(type, description, payload, plen, keyring)`.
pub fn add_key(call: &mut Call<'_>, out: &mut String) {
    if call.exiting() {
        return;
    }
    let [ty, desc, payload, len, keyring, _] = call.args;
    call.str(out, ty);
    out.push_str(", ");
    call.str(out, desc);
    out.push_str(", ");
    call.buf(out, payload, len);
    let _ = write!(out, ", {len}, ");
    serial(out, keyring);
}

/// `request_key(type, description, callout_info, dest_keyring)`.
pub fn request_key(call: &mut Call<'_>, out: &mut String) {
    if call.exiting() {
        return;
    }
    let [ty, desc, callout, keyring, ..] = call.args;
    call.str(out, ty);
    out.push_str(", ");
    call.str(out, desc);
    out.push_str(", ");
    call.str(out, callout);
    out.push_str(", ");
    serial(out, keyring);
}

/// A user id: `-1` or unsigned.
fn uid(out: &mut String, v: u64) {
    let v = v as u32;
    if v == u32::MAX {
        out.push_str("-1");
    } else {
        let _ = write!(out, "{v}");
    }
}

/// `, ` between arguments.
fn next(out: &mut String) {
    out.push_str(", ");
}

/// A non-zero `__u32 __spare[n]` array at `off`: `, __spare=[0, 0x1]`.
fn spare(out: &mut String, b: &[u8], off: usize, n: usize) {
    let words: Vec<u32> = (0..n).map(|i| le32(b, off + 4 * i)).collect();
    if words.iter().all(|&w| w == 0) {
        return;
    }
    out.push_str(", __spare=[");
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{}", super::structs::CHex(*w as u64));
    }
    out.push(']');
}

/// The first `n` bytes of a buffer the kernel filled (cut at `-s`); `omit_nul` drops a trailing NUL
/// of a string shown whole.
fn filled(call: &mut Call<'_>, out: &mut String, addr: u64, n: u64, omit_nul: bool) {
    if addr == 0 {
        out.push_str("NULL");
        return;
    }
    let max = call.opts.strsize;
    let Some(mut b) = call.bytes(addr, (n as usize).min(max + 1)) else {
        ptr(out, addr);
        return;
    };
    b.truncate(max);
    if omit_nul && b.len() as u64 == n && b.last() == Some(&0) {
        b.pop();
    }
    let hex = super::strings::wants_hex(&b, call.opts.xflag);
    super::strings::quote_into(out, &b, hex);
    if n > max as u64 {
        out.push_str("...");
    }
}

/// `keyctl(cmd, arg2, arg3, arg4, arg5)`.
pub fn keyctl(call: &mut Call<'_>, out: &mut String) {
    let [cmd, a2, a3, a4, a5, _] = call.args;
    let cmd = cmd as u32;
    let entering = !call.exiting();
    if entering {
        xlat::value(out, cmd as u64, &KEYCTL_COMMANDS);
        if cmd != 18 {
            next(out);
        }
    }
    match cmd {
        6 | 11 | 17 => {
            if entering {
                serial(out, a2);
                next(out);
                return;
            }
            match call.ret {
                Some(r) if !call.failed() => {
                    let n = (r as u64).min(a4);
                    filled(call, out, a3, n, cmd != 11);
                }
                _ => ptr(out, a3),
            }
            let _ = write!(out, ", {a4}");
        }
        23 => dh_compute(call, out),
        24 => {
            if entering {
                serial(out, a2);
                let _ = write!(out, ", {}, ", super::structs::CHex(a3));
                call.str(out, a4);
                next(out);
            } else if let Some(b) = call.umove(out, a5, PKEY_QUERY_SIZE) {
                out.push_str("{supported_ops=");
                xlat::flags(out, le32(&b, 0) as u64, &KEYCTL_PKEY_OPS);
                let _ = write!(
                    out,
                    ", key_size={}, max_data_size={}, max_sig_size={}, max_enc_size={}, \
                     max_dec_size={}",
                    le32(&b, 4),
                    le16(&b, 8),
                    le16(&b, 10),
                    le16(&b, 12),
                    le16(&b, 14)
                );
                spare(out, &b, 16, 10);
                out.push('}');
            }
        }
        25..=28 => pkey_op(call, out, cmd != 28),
        31 => {
            if entering {
                return;
            }
            match call.ret {
                Some(r) if !call.failed() => {
                    let mut pos = 0;
                    call.array(out, a2, a3.min(r as u64), 1, &mut |_, out, b| {
                        match pos {
                            0 => xlat::flags(out, b[0] as u64, &KEYCTL_CAPS0),
                            1 => xlat::flags(out, b[0] as u64, &KEYCTL_CAPS1),
                            _ => {
                                let _ = write!(out, "{}", super::structs::CHex(b[0] as u64));
                            }
                        }
                        pos += 1;
                    });
                }
                _ => ptr(out, a2),
            }
            let _ = write!(out, ", {a3}");
        }
        _ if !entering => {}
        0 => {
            serial(out, a2);
            let _ = write!(out, ", {}", a3 as i32);
        }
        1 => call.str(out, a2),
        2 => {
            serial(out, a2);
            next(out);
            call.buf(out, a3, a4);
            let _ = write!(out, ", {a4}");
        }
        3 | 7 | 21 | 16 => serial(out, a2),
        8 | 9 => {
            serial(out, a2);
            next(out);
            serial(out, a3);
        }
        10 => {
            serial(out, a2);
            next(out);
            call.str(out, a3);
            next(out);
            call.str(out, a4);
            next(out);
            serial(out, a5);
        }
        4 => {
            serial(out, a2);
            next(out);
            uid(out, a3);
            next(out);
            uid(out, a4);
        }
        5 => {
            serial(out, a2);
            next(out);
            xlat::flags(out, a3, &KEY_PERMS);
        }
        12 => {
            serial(out, a2);
            next(out);
            call.buf(out, a3, a4);
            let _ = write!(out, ", {a4}, ");
            serial(out, a5);
        }
        13 => {
            serial(out, a2);
            let _ = write!(out, ", {}, ", a3 as u32);
            serial(out, a4);
        }
        14 => {
            let v = a2 as u32 as u64;
            if KEY_REQKEYS.name(v).is_some() || xlat::style() == xlat::Style::Raw {
                xlat::value(out, v, &KEY_REQKEYS);
            } else {
                let _ = write!(out, "{} /* {} */", a2 as i32, KEY_REQKEYS.unknown);
            }
        }
        15 => {
            serial(out, a2);
            let _ = write!(out, ", {}", a3 as u32);
        }
        18 => {}
        19 => {
            serial(out, a2);
            let _ = write!(out, ", {}, ", a3 as u32);
            match super::flags::errno_name(a4 as u32 as i32) {
                Some(name) if a4 as u32 as i32 > 0 => {
                    xlat::composed_signed(out, a4 as u32 as i64, name)
                }
                _ => {
                    let _ = write!(out, "{}", a4 as u32);
                }
            }
            next(out);
            serial(out, a5);
        }
        20 => {
            serial(out, a2);
            next(out);
            call.array(out, a3, a4, IOVEC_SIZE, &mut |call, out, b| {
                let (base, len) = (le64(b, 0), le64(b, 8));
                out.push_str("{iov_base=");
                call.buf(out, base, len);
                let _ = write!(out, ", iov_len={len}}}");
            });
            let _ = write!(out, ", {a4}, ");
            serial(out, a5);
        }
        22 => {
            uid(out, a2);
            next(out);
            serial(out, a3);
        }
        29 => {
            serial(out, a2);
            next(out);
            call.str(out, a3);
            next(out);
            call.str(out, a4);
        }
        30 => {
            serial(out, a2);
            next(out);
            serial(out, a3);
            next(out);
            serial(out, a4);
            next(out);
            xlat::flags(out, a5, &KEYCTL_MOVE_FLAGS);
        }
        _ => {
            let h = super::structs::CHex;
            let _ = write!(out, "{}, {}, {}, {}", h(a2), h(a3), h(a4), h(a5));
        }
    }
}

/// `KEYCTL_DH_COMPUTE`: the parameters at entry; the result and the KDF parameters at exit.
fn dh_compute(call: &mut Call<'_>, out: &mut String) {
    let [_, params, buf, len, kdf, _] = call.args;
    let Some(ret) = call.ret else {
        if let Some(b) = call.umove(out, params, DH_PARAMS_SIZE) {
            out.push_str("{private=");
            serial(out, le32(&b, 0) as u64);
            out.push_str(", prime=");
            serial(out, le32(&b, 4) as u64);
            out.push_str(", base=");
            serial(out, le32(&b, 8) as u64);
            out.push('}');
        }
        next(out);
        return;
    };
    if call.failed() {
        ptr(out, buf);
    } else {
        call.buf(out, buf, (ret as u64).min(len));
    }
    let _ = write!(out, ", {len}, ");
    let Some(b) = call.bytes(kdf, KDF_PARAMS_SIZE) else {
        ptr(out, kdf);
        return;
    };
    out.push_str("{hashname=");
    call.str(out, le64(&b, 0));
    let (info, info_len) = (le64(&b, 8), le32(&b, 16));
    out.push_str(", otherinfo=");
    if info_len != 0 {
        call.buf(out, info, info_len as u64);
    } else {
        ptr(out, info);
    }
    let _ = write!(out, ", otherinfolen={info_len}");
    spare(out, &b, 20, 8);
    out.push('}');
}

/// `KEYCTL_PKEY_ENCRYPT`/`DECRYPT`/`SIGN` (`out`: the second buffer is filled) and `VERIFY`.
fn pkey_op(call: &mut Call<'_>, out: &mut String, fills: bool) {
    let [_, params, info, op1, op2, _] = call.args;
    if call.exiting() {
        if fills {
            if let Some(b) = call.bytes(params, PKEY_PARAMS_SIZE) {
                if call.failed() {
                    ptr(out, op2);
                } else {
                    call.buf(out, op2, le32(&b, 8) as u64);
                }
            }
        }
        return;
    }
    let b = call.umove(out, params, PKEY_PARAMS_SIZE);
    if let Some(b) = &b {
        out.push_str("{key_id=");
        serial(out, le32(b, 0) as u64);
        let third = if fills { "out_len" } else { "in2_len" };
        let _ = write!(out, ", in_len={}, {third}={}", le32(b, 4), le32(b, 8));
        spare(out, b, 12, 7);
        out.push('}');
    }
    next(out);
    call.str(out, info);
    next(out);
    match &b {
        Some(b) => call.buf(out, op1, le32(b, 4) as u64),
        None => ptr(out, op1),
    }
    next(out);
    match &b {
        Some(b) if !fills => call.buf(out, op2, le32(b, 8) as u64),
        Some(_) => {}
        None => ptr(out, op2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_keyrings_are_named_and_others_are_signed() {
        let mut s = String::new();
        serial(&mut s, u64::MAX);
        assert_eq!(s, "KEY_SPEC_THREAD_KEYRING");
        let mut s = String::new();
        serial(&mut s, 0xdeadbeef_fffffff0);
        assert_eq!(s, "-16");
    }
}
