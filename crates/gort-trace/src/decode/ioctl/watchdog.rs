//! Watchdog timer ioctls (`linux/watchdog.h`, type `W`): integers through a pointer.

use super::cx::{Cx, Rval};

/// Decodes a watchdog request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    match cx.code {
        // WDIOC_GETSTATUS, _GETBOOTSTATUS, _GETTEMP, _GETTIMEOUT, _GETPRETIMEOUT, _GETTIMELEFT
        0x80045701 | 0x80045702 | 0x80045703 | 0x80045707 | 0x80045709 | 0x8004570a
            if cx.entering() =>
        {
            Rval::Exit
        }
        // ... and WDIOC_SETTIMEOUT, WDIOC_SETPRETIMEOUT
        0x80045701 | 0x80045702 | 0x80045703 | 0x80045707 | 0x80045709 | 0x8004570a
        | 0xc0045706 | 0xc0045708 => {
            out.push_str(", ");
            cx.int_into(out, cx.arg);
            Rval::Done
        }
        // WDIOC_KEEPALIVE
        0x80045705 => Rval::Done,
        _ => Rval::Plain,
    }
}
