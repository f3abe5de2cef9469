//! The kernel key management calls: `add_key`, `request_key`.
//!
//! Design: walkers (see `walk.rs`): key types, descriptions and callout strings are NUL-terminated
//! strings cut at `-s`, payloads are buffers of a given length, and keyring serial numbers are shown
//! by their special names (`KEY_SPEC_THREAD_KEYRING`) or in decimal.

use super::walk::Call;
use super::xlat::{self, Xlat};
use std::fmt::Write;

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
