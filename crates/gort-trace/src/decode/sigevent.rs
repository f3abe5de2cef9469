//! `struct sigevent` (x86_64 layout: the value, signal number, notification method, then the union
//! whose thread id or function and attributes the method selects), as `mq_notify` and `timer_create`
//! take it: `{sigev_value={sival_int=1, sival_ptr=0x1}, sigev_signo=SIGALRM, sigev_notify=SIGEV_SIGNAL}`.
//!
//! Design: one renderer over the structure's bytes; each caller reads them its own way (a walker, a
//! custom argument) and hands them here.

use super::xlat::{self, Xlat};
use std::fmt::Write;

const SIGEV_NOTIFY: Xlat = Xlat::hex(
    &[
        (0, "SIGEV_SIGNAL"),
        (1, "SIGEV_NONE"),
        (2, "SIGEV_THREAD"),
        (4, "SIGEV_THREAD_ID"),
    ],
    "SIGEV_???",
);

/// The bytes of a `struct sigevent` this renderer reads.
pub const SIGEVENT_FIELDS: usize = 32;

fn u32_at(b: &[u8], off: usize) -> u32 {
    b.get(off..off + 4)
        .map_or(0, |w| u32::from_ne_bytes([w[0], w[1], w[2], w[3]]))
}

fn u64_at(b: &[u8], off: usize) -> u64 {
    b.get(off..off + 8)
        .map_or(0, |w| u64::from_ne_bytes(w.try_into().unwrap_or_default()))
}

fn ptr(out: &mut String, v: u64) {
    if v == 0 {
        out.push_str("NULL");
    } else {
        let _ = write!(out, "{v:#x}");
    }
}

/// Appends the `struct sigevent` whose first [`SIGEVENT_FIELDS`] bytes are `b`.
pub fn sigevent_into(out: &mut String, b: &[u8]) {
    out.push('{');
    let value = u64_at(b, 0);
    if value != 0 {
        let _ = write!(
            out,
            "sigev_value={{sival_int={}, sival_ptr=",
            value as u32 as i32
        );
        ptr(out, value);
        out.push_str("}, ");
    }
    let (signo, notify) = (u32_at(b, 8), u32_at(b, 12));
    out.push_str("sigev_signo=");
    // The signal matters only to the methods that send one.
    if matches!(notify, 0 | 2 | 4) {
        super::clone3::signal(out, signo as i32);
    } else {
        let _ = write!(out, "{signo}");
    }
    out.push_str(", sigev_notify=");
    xlat::value(out, notify as u64, &SIGEV_NOTIFY);
    match notify {
        4 => {
            let _ = write!(out, ", sigev_notify_thread_id={}", u32_at(b, 16) as i32);
        }
        2 => {
            out.push_str(", sigev_notify_function=");
            ptr(out, u64_at(b, 16));
            out.push_str(", sigev_notify_attributes=");
            ptr(out, u64_at(b, 24));
        }
        _ => {}
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_notification_shows_its_function_and_attributes() {
        let mut b = vec![0u8; SIGEVENT_FIELDS];
        b[8..12].copy_from_slice(&14u32.to_ne_bytes());
        b[12..16].copy_from_slice(&2u32.to_ne_bytes());
        b[16..24].copy_from_slice(&0x1000u64.to_ne_bytes());
        let mut s = String::new();
        sigevent_into(&mut s, &b);
        assert_eq!(
            s,
            "{sigev_signo=SIGALRM, sigev_notify=SIGEV_THREAD, sigev_notify_function=0x1000, \
             sigev_notify_attributes=NULL}"
        );
    }
}
