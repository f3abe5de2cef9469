//! Timers and clock adjustment: `struct itimerspec`, `struct itimerval`, `struct sigevent`, `struct
//! timex`.
//!
//! Design: each structure has one renderer and is wrapped as an input (printed at entry) or output
//! (printed at exit, the address after a failure) argument. Seconds are signed and fractions
//! unsigned, as the kernel's 64-bit fields are printed by strace.

use super::custom::{self, Ctx, CustomArg, Fetches, Phase};
use super::xlat::{self, Xlat};
use super::FetchKind;
use std::fmt::Write;

/// `getitimer`/`setitimer` timers.
pub const ITIMER_WHICH: Xlat = Xlat::hex(
    &[
        (0, "ITIMER_REAL"),
        (1, "ITIMER_VIRTUAL"),
        (2, "ITIMER_PROF"),
    ],
    "ITIMER_???",
);

/// `timerfd_settime` flags.
pub const TFD_TIMER_FLAGS: Xlat = Xlat::hex(
    &[
        (1, "TFD_TIMER_ABSTIME"),
        (2, "TFD_TIMER_CANCEL_ON_SET"),
        (0o2000000, "TFD_CLOEXEC"),
        (0o4000, "TFD_NONBLOCK"),
    ],
    "TFD_???",
);

/// Clock states `adjtimex` returns.
pub const TIME_STATES: Xlat = Xlat::dec(
    &[
        (0, "TIME_OK"),
        (1, "TIME_INS"),
        (2, "TIME_DEL"),
        (3, "TIME_OOP"),
        (4, "TIME_WAIT"),
        (5, "TIME_ERROR"),
    ],
    "",
);

const ADJ_MODES: Xlat = Xlat::hex(
    &[
        (0xa001, "ADJ_OFFSET_SS_READ"),
        (0x8001, "ADJ_OFFSET_SINGLESHOT"),
        (0x0001, "ADJ_OFFSET"),
        (0x0002, "ADJ_FREQUENCY"),
        (0x0004, "ADJ_MAXERROR"),
        (0x0008, "ADJ_ESTERROR"),
        (0x0010, "ADJ_STATUS"),
        (0x0020, "ADJ_TIMECONST"),
        (0x0080, "ADJ_TAI"),
        (0x0100, "ADJ_SETOFFSET"),
        (0x1000, "ADJ_MICRO"),
        (0x2000, "ADJ_NANO"),
        (0x4000, "ADJ_TICK"),
    ],
    "ADJ_???",
);

const ADJ_STATUS: Xlat = Xlat::hex(
    &[
        (0x0001, "STA_PLL"),
        (0x0002, "STA_PPSFREQ"),
        (0x0004, "STA_PPSTIME"),
        (0x0008, "STA_FLL"),
        (0x0010, "STA_INS"),
        (0x0020, "STA_DEL"),
        (0x0040, "STA_UNSYNC"),
        (0x0080, "STA_FREQHOLD"),
        (0x0100, "STA_PPSSIGNAL"),
        (0x0200, "STA_PPSJITTER"),
        (0x0400, "STA_PPSWANDER"),
        (0x0800, "STA_PPSERROR"),
        (0x1000, "STA_CLOCKERR"),
        (0x2000, "STA_NANO"),
        (0x4000, "STA_MODE"),
        (0x8000, "STA_CLK"),
    ],
    "STA_???",
);

fn i64_at(b: &[u8], off: usize) -> i64 {
    i64::from_ne_bytes(b[off..off + 8].try_into().unwrap_or_default())
}

fn i32_at(b: &[u8], off: usize) -> i32 {
    i32::from_ne_bytes(b[off..off + 4].try_into().unwrap_or_default())
}

/// `{tv_sec=1, tv_nsec=2}` (or `tv_usec`) from 16 bytes.
fn time_into(out: &mut String, b: &[u8], frac: &str) {
    let _ = write!(
        out,
        "{{tv_sec={}, {frac}={}}}",
        i64_at(b, 0),
        i64_at(b, 8) as u64
    );
}

/// `{it_interval={...}, it_value={...}}` from 32 bytes.
fn interval_value_into(out: &mut String, b: &[u8], frac: &str) {
    out.push_str("{it_interval=");
    time_into(out, &b[..16], frac);
    out.push_str(", it_value=");
    time_into(out, &b[16..32], frac);
    out.push('}');
}

fn plan_in(c: &Ctx, len: usize, out: &mut Vec<super::FetchReq>) {
    if c.v() != 0 {
        out.push(c.req(c.v(), FetchKind::Bytes { len }));
    }
}

fn plan_out(c: &Ctx, len: usize, out: &mut Vec<super::FetchReq>) {
    if !c.failed() && c.v() != 0 {
        out.push(c.req(c.v(), FetchKind::Bytes { len }));
    }
}

/// Prints the structure read for `c` with `f`, or its address.
fn render_with(c: &Ctx, m: &Fetches, len: usize, out: &mut String, f: impl Fn(&mut String, &[u8])) {
    match m.bytes(c.i) {
        Some(b) if !c.failed() && b.len() == len => f(out, b),
        _ => custom::ptr(out, c.v()),
    }
}

/// An input `struct itimerspec`.
pub const ITIMERSPEC_IN: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| plan_in(c, 32, out),
    render: |c, m, out| render_with(c, m, 32, out, |o, b| interval_value_into(o, b, "tv_nsec")),
};

/// An output `struct itimerspec`.
pub const ITIMERSPEC_OUT: CustomArg = CustomArg {
    phase: Phase::Exit,
    plan: |c, out| plan_out(c, 32, out),
    render: ITIMERSPEC_IN.render,
};

/// An input `struct itimerval`.
pub const ITIMERVAL_IN: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| plan_in(c, 32, out),
    render: |c, m, out| render_with(c, m, 32, out, |o, b| interval_value_into(o, b, "tv_usec")),
};

/// An output `struct itimerval`.
pub const ITIMERVAL_OUT: CustomArg = CustomArg {
    phase: Phase::Exit,
    plan: |c, out| plan_out(c, 32, out),
    render: ITIMERVAL_IN.render,
};

/// `timer_create`'s `struct sigevent`.
pub const SIGEVENT: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| plan_in(c, 64, out),
    render: |c, m, out| render_with(c, m, 64, out, super::sigevent::sigevent_into),
};

/// Size of the kernel's `struct __kernel_timex`.
const TIMEX_SIZE: usize = 208;

/// A `struct timex` the kernel reads and rewrites, printed after the call.
pub const TIMEX: CustomArg = CustomArg {
    phase: Phase::Exit,
    plan: |c, out| plan_out(c, TIMEX_SIZE, out),
    render: |c, m, out| render_with(c, m, TIMEX_SIZE, out, timex_into),
};

fn timex_into(out: &mut String, b: &[u8]) {
    out.push_str("{modes=");
    xlat::flags(out, i32_at(b, 0) as u32 as u64, &ADJ_MODES);
    let _ = write!(
        out,
        ", offset={}, freq={}, maxerror={}, esterror={}, status=",
        i64_at(b, 8),
        i64_at(b, 16),
        i64_at(b, 24),
        i64_at(b, 32)
    );
    xlat::flags(out, i32_at(b, 40) as u32 as u64, &ADJ_STATUS);
    let _ = write!(
        out,
        ", constant={}, precision={}, tolerance={}, time=",
        i64_at(b, 48),
        i64_at(b, 56),
        i64_at(b, 64)
    );
    time_into(out, &b[72..88], "tv_usec");
    let _ = write!(
        out,
        ", tick={}, ppsfreq={}, jitter={}, shift={}, stabil={}, jitcnt={}, calcnt={}, errcnt={}, stbcnt={}, tai={}}}",
        i64_at(b, 88),
        i64_at(b, 96),
        i64_at(b, 104),
        i32_at(b, 112),
        i64_at(b, 120),
        i64_at(b, 128),
        i64_at(b, 136),
        i64_at(b, 144),
        i64_at(b, 152),
        i32_at(b, 160)
    );
}

/// A `struct timespec` the kernel reads but strace prints after the call (its address after a
/// failure), as `epoll_pwait2`'s timeout.
pub const TIMESPEC_READ_AT_EXIT: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| plan_in(c, 16, out),
    render: |c, m, out| render_with(c, m, 16, out, |o, b| time_into(o, b, "tv_nsec")),
};
