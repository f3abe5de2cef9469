//! `perf_event_open(attr, pid, cpu, group_fd, flags)`.
//!
//! Design: a walker (see `walk.rs`). The kernel may rewrite the structure's `size` (with `E2BIG`), so
//! like strace the structure is read at entry, as long as its `size` says (all of it, up to the
//! largest known layout, under `-v`; the fields before `wakeup_events` otherwise), and printed at exit
//! from what the entry read, with the rewritten size shown as `size=... => ...`. Bit flags that are
//! zero are left out without `-v`; fields past the caller's size are left out.

use super::structs::CHex;
use super::walk::{le16, le32, le64, Call};
use super::xlat::{self, Xlat};
use std::fmt::Write;

const TYPES: Xlat = Xlat::hex(
    &[
        (0, "PERF_TYPE_HARDWARE"),
        (1, "PERF_TYPE_SOFTWARE"),
        (2, "PERF_TYPE_TRACEPOINT"),
        (3, "PERF_TYPE_HW_CACHE"),
        (4, "PERF_TYPE_RAW"),
        (5, "PERF_TYPE_BREAKPOINT"),
    ],
    "PERF_TYPE_???",
);

const ATTR_SIZES: Xlat = Xlat::hex(
    &[
        (64, "PERF_ATTR_SIZE_VER0"),
        (72, "PERF_ATTR_SIZE_VER1"),
        (80, "PERF_ATTR_SIZE_VER2"),
        (96, "PERF_ATTR_SIZE_VER3"),
        (104, "PERF_ATTR_SIZE_VER4"),
        (112, "PERF_ATTR_SIZE_VER5"),
        (120, "PERF_ATTR_SIZE_VER6"),
        (128, "PERF_ATTR_SIZE_VER7"),
    ],
    "PERF_ATTR_SIZE_???",
);

const HW_IDS: Xlat = Xlat::hex(
    &[
        (0, "PERF_COUNT_HW_CPU_CYCLES"),
        (1, "PERF_COUNT_HW_INSTRUCTIONS"),
        (2, "PERF_COUNT_HW_CACHE_REFERENCES"),
        (3, "PERF_COUNT_HW_CACHE_MISSES"),
        (4, "PERF_COUNT_HW_BRANCH_INSTRUCTIONS"),
        (5, "PERF_COUNT_HW_BRANCH_MISSES"),
        (6, "PERF_COUNT_HW_BUS_CYCLES"),
        (7, "PERF_COUNT_HW_STALLED_CYCLES_FRONTEND"),
        (8, "PERF_COUNT_HW_STALLED_CYCLES_BACKEND"),
        (9, "PERF_COUNT_HW_REF_CPU_CYCLES"),
    ],
    "PERF_COUNT_HW_???",
);

const SW_IDS: Xlat = Xlat::wide(
    &[
        (0, "PERF_COUNT_SW_CPU_CLOCK"),
        (1, "PERF_COUNT_SW_TASK_CLOCK"),
        (2, "PERF_COUNT_SW_PAGE_FAULTS"),
        (3, "PERF_COUNT_SW_CONTEXT_SWITCHES"),
        (4, "PERF_COUNT_SW_CPU_MIGRATIONS"),
        (5, "PERF_COUNT_SW_PAGE_FAULTS_MIN"),
        (6, "PERF_COUNT_SW_PAGE_FAULTS_MAJ"),
        (7, "PERF_COUNT_SW_ALIGNMENT_FAULTS"),
        (8, "PERF_COUNT_SW_EMULATION_FAULTS"),
        (9, "PERF_COUNT_SW_DUMMY"),
        (10, "PERF_COUNT_SW_BPF_OUTPUT"),
        (11, "PERF_COUNT_SW_CGROUP_SWITCHES"),
    ],
    "PERF_COUNT_SW_???",
);

const CACHE_IDS: Xlat = Xlat::hex(
    &[
        (0, "PERF_COUNT_HW_CACHE_L1D"),
        (1, "PERF_COUNT_HW_CACHE_L1I"),
        (2, "PERF_COUNT_HW_CACHE_LL"),
        (3, "PERF_COUNT_HW_CACHE_DTLB"),
        (4, "PERF_COUNT_HW_CACHE_ITLB"),
        (5, "PERF_COUNT_HW_CACHE_BPU"),
        (6, "PERF_COUNT_HW_CACHE_NODE"),
    ],
    "PERF_COUNT_HW_CACHE_???",
);

const CACHE_OPS: Xlat = Xlat::hex(
    &[
        (0, "PERF_COUNT_HW_CACHE_OP_READ"),
        (1, "PERF_COUNT_HW_CACHE_OP_WRITE"),
        (2, "PERF_COUNT_HW_CACHE_OP_PREFETCH"),
    ],
    "PERF_COUNT_HW_CACHE_OP_???",
);

const CACHE_RESULTS: Xlat = Xlat::hex(
    &[
        (0, "PERF_COUNT_HW_CACHE_RESULT_ACCESS"),
        (1, "PERF_COUNT_HW_CACHE_RESULT_MISS"),
    ],
    "PERF_COUNT_HW_CACHE_RESULT_???",
);

const SAMPLE_FORMAT: Xlat = Xlat::wide(
    &[
        (1 << 0, "PERF_SAMPLE_IP"),
        (1 << 1, "PERF_SAMPLE_TID"),
        (1 << 2, "PERF_SAMPLE_TIME"),
        (1 << 3, "PERF_SAMPLE_ADDR"),
        (1 << 4, "PERF_SAMPLE_READ"),
        (1 << 5, "PERF_SAMPLE_CALLCHAIN"),
        (1 << 6, "PERF_SAMPLE_ID"),
        (1 << 7, "PERF_SAMPLE_CPU"),
        (1 << 8, "PERF_SAMPLE_PERIOD"),
        (1 << 9, "PERF_SAMPLE_STREAM_ID"),
        (1 << 10, "PERF_SAMPLE_RAW"),
        (1 << 11, "PERF_SAMPLE_BRANCH_STACK"),
        (1 << 12, "PERF_SAMPLE_REGS_USER"),
        (1 << 13, "PERF_SAMPLE_STACK_USER"),
        (1 << 14, "PERF_SAMPLE_WEIGHT"),
        (1 << 15, "PERF_SAMPLE_DATA_SRC"),
        (1 << 16, "PERF_SAMPLE_IDENTIFIER"),
        (1 << 17, "PERF_SAMPLE_TRANSACTION"),
        (1 << 18, "PERF_SAMPLE_REGS_INTR"),
        (1 << 19, "PERF_SAMPLE_PHYS_ADDR"),
        (1 << 20, "PERF_SAMPLE_AUX"),
        (1 << 21, "PERF_SAMPLE_CGROUP"),
        (1 << 22, "PERF_SAMPLE_DATA_PAGE_SIZE"),
        (1 << 23, "PERF_SAMPLE_CODE_PAGE_SIZE"),
        (1 << 24, "PERF_SAMPLE_WEIGHT_STRUCT"),
    ],
    "PERF_SAMPLE_???",
);

const READ_FORMAT: Xlat = Xlat::wide(
    &[
        (1 << 0, "PERF_FORMAT_TOTAL_TIME_ENABLED"),
        (1 << 1, "PERF_FORMAT_TOTAL_TIME_RUNNING"),
        (1 << 2, "PERF_FORMAT_ID"),
        (1 << 3, "PERF_FORMAT_GROUP"),
        (1 << 4, "PERF_FORMAT_LOST"),
    ],
    "PERF_FORMAT_???",
);

const BRANCH_SAMPLE_TYPE: Xlat = Xlat::wide(
    &[
        (1 << 0, "PERF_SAMPLE_BRANCH_USER"),
        (1 << 1, "PERF_SAMPLE_BRANCH_KERNEL"),
        (1 << 2, "PERF_SAMPLE_BRANCH_HV"),
        (1 << 3, "PERF_SAMPLE_BRANCH_ANY"),
        (1 << 4, "PERF_SAMPLE_BRANCH_ANY_CALL"),
        (1 << 5, "PERF_SAMPLE_BRANCH_ANY_RETURN"),
        (1 << 6, "PERF_SAMPLE_BRANCH_IND_CALL"),
        (1 << 7, "PERF_SAMPLE_BRANCH_ABORT_TX"),
        (1 << 8, "PERF_SAMPLE_BRANCH_IN_TX"),
        (1 << 9, "PERF_SAMPLE_BRANCH_NO_TX"),
        (1 << 10, "PERF_SAMPLE_BRANCH_COND"),
        (1 << 11, "PERF_SAMPLE_BRANCH_CALL_STACK"),
        (1 << 12, "PERF_SAMPLE_BRANCH_IND_JUMP"),
        (1 << 13, "PERF_SAMPLE_BRANCH_CALL"),
        (1 << 14, "PERF_SAMPLE_BRANCH_NO_FLAGS"),
        (1 << 15, "PERF_SAMPLE_BRANCH_NO_CYCLES"),
        (1 << 16, "PERF_SAMPLE_BRANCH_TYPE_SAVE"),
        (1 << 17, "PERF_SAMPLE_BRANCH_HW_INDEX"),
        (1 << 18, "PERF_SAMPLE_BRANCH_PRIV_SAVE"),
    ],
    "PERF_SAMPLE_BRANCH_???",
);

const BREAKPOINT_NAMES: &[(u64, &str)] = &[
    (0, "HW_BREAKPOINT_EMPTY"),
    (1, "HW_BREAKPOINT_R"),
    (2, "HW_BREAKPOINT_W"),
    (3, "HW_BREAKPOINT_RW"),
    (4, "HW_BREAKPOINT_X"),
];
/// Breakpoint types; a combination of read/write with execute is invalid rather than unknown.
const BREAKPOINT: Xlat = Xlat::hex(BREAKPOINT_NAMES, "HW_BREAKPOINT_???");
const BREAKPOINT_INVALID: Xlat = Xlat::hex(BREAKPOINT_NAMES, "HW_BREAKPOINT_INVALID");

const OPEN_FLAGS: Xlat = Xlat::wide(
    &[
        (1, "PERF_FLAG_FD_NO_GROUP"),
        (2, "PERF_FLAG_FD_OUTPUT"),
        (4, "PERF_FLAG_PID_CGROUP"),
        (8, "PERF_FLAG_FD_CLOEXEC"),
    ],
    "PERF_FLAG_???",
);

/// The one-bit flags of the word at offset 40, by bit (`precise_ip`, two bits at 15, is apart).
const FLAG_BITS: &[(u32, &str)] = &[
    (0, "disabled"),
    (1, "inherit"),
    (2, "pinned"),
    (3, "exclusive"),
    (4, "exclude_user"),
    (5, "exclude_kernel"),
    (6, "exclude_hv"),
    (7, "exclude_idle"),
    (8, "mmap"),
    (9, "comm"),
    (10, "freq"),
    (11, "inherit_stat"),
    (12, "enable_on_exec"),
    (13, "task"),
    (14, "watermark"),
];
const FLAG_BITS_HIGH: &[(u32, &str)] = &[
    (17, "mmap_data"),
    (18, "sample_id_all"),
    (19, "exclude_host"),
    (20, "exclude_guest"),
    (21, "exclude_callchain_kernel"),
    (22, "exclude_callchain_user"),
    (23, "mmap2"),
    (24, "comm_exec"),
    (25, "use_clockid"),
    (26, "context_switch"),
    (27, "write_backward"),
    (28, "namespaces"),
    (29, "ksymbol"),
    (30, "bpf_event"),
    (31, "aux_output"),
    (32, "cgroup"),
    (33, "text_poke"),
    (34, "build_id"),
    (35, "inherit_thread"),
    (36, "remove_on_exec"),
    (37, "sigtrap"),
];
const PRECISE_IP: [&str; 4] = [
    "arbitrary skid",
    "constant skid",
    "requested to have 0 skid",
    "must have 0 skid",
];

const SIZE_VER0: u32 = 64;
const ATTR_SIZE: u32 = 128;
/// Where `wakeup_events` starts: the end of what is shown without `-v`.
const ABBREV_SIZE: u32 = 48;
const TYPE_HARDWARE: u32 = 0;
const TYPE_SOFTWARE: u32 = 1;
const TYPE_TRACEPOINT: u32 = 2;
const TYPE_HW_CACHE: u32 = 3;
const TYPE_BREAKPOINT: u32 = 5;
const SAMPLE_BRANCH_STACK: u64 = 1 << 11;
const SAMPLE_STACK_USER: u64 = 1 << 13;
const E2BIG: i64 = 7;

/// How much of the structure at `addr` strace reads, from its `size` field, or `None` when it is
/// not read (shown as its address).
fn read_size(verbose: bool, size_field: u32) -> Option<u32> {
    let mut size = size_field.min(ATTR_SIZE);
    if size == 0 {
        size = SIZE_VER0;
    }
    if size < SIZE_VER0 {
        return None;
    }
    Some(if verbose { size } else { ABBREV_SIZE })
}

/// `perf_event_open(attr, pid, cpu, group_fd, flags)`.
pub fn perf_event_open(call: &mut Call<'_>, out: &mut String) {
    let addr = call.args[0];
    if !call.exiting() {
        // Read now what the exit prints; an unreadable structure ends the decoding here.
        let size = call
            .u32_at(addr + 4)
            .and_then(|s| read_size(call.opts.verbose, s));
        let attr = size.and_then(|s| call.bytes(addr, s as usize));
        if attr.is_none() {
            super::walk::ptr(out, addr);
            rest(call, out);
        }
        return;
    }
    // The tracer's run cannot see the entry's reads; it only reads the size the kernel rewrote.
    let entry = match call.at_entry(addr + 4, 4) {
        Some(b) => {
            let size = read_size(call.opts.verbose, le32(&b, 0));
            size.and_then(|s| call.at_entry(addr, s as usize).map(|a| (a.to_vec(), s)))
        }
        None => None,
    };
    let new_size = (call.ret == Some(-E2BIG)).then(|| call.u32_at(addr + 4));
    if call.recording() {
        return;
    }
    // Without what the entry read, the entry printed everything.
    let Some((attr, size)) = entry else {
        return;
    };
    attr_into(call.opts.verbose, out, &attr, size, new_size);
    rest(call, out);
}

/// A `struct perf_event_attr` at `addr` that the kernel only reads (`PERF_EVENT_IOC_MODIFY_ATTRIBUTES`),
/// read as `perf_event_open`'s entry reads it through `read(addr, len)` (`None` when unreadable);
/// false, with nothing printed, when it cannot be read, for the caller to show the address.
pub fn attr_at_into(
    out: &mut String,
    addr: u64,
    verbose: bool,
    mut read: impl FnMut(u64, usize) -> Option<Vec<u8>>,
) -> bool {
    let size = read(addr + 4, 4).and_then(|b| read_size(verbose, le32(&b, 0)));
    let Some((attr, size)) = size.and_then(|s| read(addr, s as usize).map(|a| (a, s))) else {
        return false;
    };
    attr_into(verbose, out, &attr, size, None);
    true
}

/// `, pid, cpu, group_fd, flags`.
fn rest(call: &mut Call<'_>, out: &mut String) {
    let [_, pid, cpu, group, flags, _] = call.args;
    let _ = write!(out, ", {}, {}, ", pid as i32, cpu as i32);
    call.fd(out, group as i32);
    out.push_str(", ");
    xlat::flags(out, flags, &OPEN_FLAGS);
}

/// `%#x<<shift|`, for a config's bits above the known field, when set.
fn shifted(out: &mut String, v: u64, shift: u32) {
    if v != 0 {
        let _ = write!(out, "{}<<{shift}|", CHex(v));
    }
}

/// The structure as the entry read it (`size` bytes of it); `new_size` is the size the kernel
/// wrote back after `E2BIG` (`Some(None)` when it could not be read).
fn attr_into(
    verbose: bool,
    out: &mut String,
    raw: &[u8],
    size: u32,
    new_size: Option<Option<u32>>,
) {
    let mut a = raw.to_vec();
    a.resize(ATTR_SIZE as usize, 0);
    let (ty, attr_size, config) = (le32(&a, 0), le32(&a, 4), le64(&a, 8));
    out.push_str("{type=");
    xlat::value(out, ty as u64, &TYPES);
    out.push_str(", size=");
    xlat::value(out, attr_size as u64, &ATTR_SIZES);
    match new_size {
        Some(Some(n)) => {
            out.push_str(" => ");
            xlat::value(out, n as u64, &ATTR_SIZES);
        }
        Some(None) => out.push_str(" => ???"),
        None => {}
    }
    out.push_str(", config=");
    match ty {
        TYPE_HARDWARE => {
            shifted(out, config >> 32, 32);
            xlat::value(out, config & 0xffff_ffff, &HW_IDS);
        }
        TYPE_SOFTWARE => xlat::value(out, config, &SW_IDS),
        TYPE_TRACEPOINT => {
            let _ = write!(out, "{config}");
        }
        TYPE_HW_CACHE => {
            shifted(out, config >> 32, 32);
            shifted(out, (config & 0xffff_ffff) >> 24, 24);
            xlat::value(out, (config >> 16) & 0xff, &CACHE_RESULTS);
            out.push_str("<<16|");
            xlat::value(out, (config >> 8) & 0xff, &CACHE_OPS);
            out.push_str("<<8|");
            xlat::value(out, config & 0xff, &CACHE_IDS);
        }
        _ => {
            let _ = write!(out, "{}", CHex(config));
        }
    }
    let bits = le64(&a, 40);
    let bit = |n: u32| (bits >> n) & 1;
    let name = if bit(10) != 0 {
        "sample_freq"
    } else {
        "sample_period"
    };
    let _ = write!(out, ", {name}={}", le64(&a, 16));
    let sample_type = le64(&a, 24);
    out.push_str(", sample_type=");
    xlat::flags(out, sample_type, &SAMPLE_FORMAT);
    out.push_str(", read_format=");
    xlat::flags(out, le64(&a, 32), &READ_FORMAT);
    let flag = |out: &mut String, (n, name): &(u32, &str)| {
        if verbose || bit(*n) != 0 {
            let _ = write!(out, ", {name}={}", bit(*n));
        }
    };
    FLAG_BITS.iter().for_each(|f| flag(out, f));
    let precise = (bits >> 15) & 3;
    let _ = write!(
        out,
        ", precise_ip={precise} /* {} */",
        PRECISE_IP[precise as usize]
    );
    FLAG_BITS_HIGH.iter().for_each(|f| flag(out, f));
    let reserved = bits >> 38;
    if reserved != 0 {
        let _ = write!(out, ", __reserved_1={} /* Bits 63..38 */", CHex(reserved));
    }
    if verbose {
        optional_fields(out, &a, size, ty, sample_type, bit(14) != 0, bit(25) != 0);
    }
    if (attr_size != 0 && attr_size > size) || (attr_size == 0 && size < SIZE_VER0) {
        out.push_str(", ...");
    }
    out.push('}');
}

/// The fields after the flags, shown under `-v` as far as the caller's size reaches.
fn optional_fields(
    out: &mut String,
    a: &[u8],
    size: u32,
    ty: u32,
    sample_type: u64,
    watermark: bool,
    use_clockid: bool,
) {
    let name = if watermark {
        "wakeup_watermark"
    } else {
        "wakeup_events"
    };
    let _ = write!(out, ", {name}={}", le32(a, 48));
    let breakpoint = ty == TYPE_BREAKPOINT;
    if breakpoint {
        let bp_type = le32(a, 52);
        out.push_str(", bp_type=");
        let table = if bp_type <= 7 {
            &BREAKPOINT_INVALID
        } else {
            &BREAKPOINT
        };
        xlat::value(out, bp_type as u64, table);
        let _ = write!(out, ", bp_addr={}", CHex(le64(a, 56)));
    } else {
        let _ = write!(out, ", config1={}", CHex(le64(a, 56)));
    }
    // Each remaining field only when the caller's structure reaches it.
    let has = |off: u32| off < size;
    if !has(64) {
        return;
    }
    if breakpoint {
        let _ = write!(out, ", bp_len={}", le64(a, 64));
    } else {
        let _ = write!(out, ", config2={}", CHex(le64(a, 64)));
    }
    if !has(72) {
        return;
    }
    if sample_type & SAMPLE_BRANCH_STACK != 0 {
        out.push_str(", branch_sample_type=");
        xlat::flags(out, le64(a, 72), &BRANCH_SAMPLE_TYPE);
    }
    if !has(80) {
        return;
    }
    let _ = write!(out, ", sample_regs_user={}", CHex(le64(a, 80)));
    if !has(88) {
        return;
    }
    if sample_type & SAMPLE_STACK_USER != 0 {
        let _ = write!(out, ", sample_stack_user={}", CHex(le32(a, 88) as u64));
    }
    if use_clockid {
        if !has(92) {
            return;
        }
        out.push_str(", clockid=");
        // Unlike clock_gettime's, this clock id is shown in hex when it has no name.
        let clocks = Xlat {
            decimal: false,
            ..super::consts::CLOCK
        };
        xlat::value(out, le32(a, 92) as u64, &clocks);
    }
    if !has(96) {
        return;
    }
    let _ = write!(out, ", sample_regs_intr={}", CHex(le64(a, 96)));
    if !has(104) {
        return;
    }
    let _ = write!(out, ", aux_watermark={}", le32(a, 104));
    if !has(108) {
        return;
    }
    let _ = write!(out, ", sample_max_stack={}", le16(a, 108));
    if !has(110) {
        return;
    }
    let reserved2 = le16(a, 110);
    if reserved2 != 0 {
        let _ = write!(out, " /* bytes 110..111: {:#x} */", reserved2);
    }
    if !has(112) {
        return;
    }
    let _ = write!(out, ", aux_sample_size={}", le32(a, 112));
    if !has(116) {
        return;
    }
    let reserved3 = le32(a, 116);
    if reserved3 != 0 {
        let _ = write!(out, " /* bytes 116..119: {:#x} */", reserved3);
    }
    if !has(120) {
        return;
    }
    let _ = write!(out, ", sig_data={}", CHex(le64(a, 120)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::walk::{record, render, Walker};
    use crate::decode::{Mem, Opts};

    /// A hardware event with bits above its id, `exclusive` and `precise_ip=2`, as far as the
    /// abbreviated structure goes.
    fn sample_attr() -> Vec<u8> {
        let mut a = vec![0u8; ABBREV_SIZE as usize];
        a[4..8].copy_from_slice(&72u32.to_ne_bytes());
        a[8..16].copy_from_slice(&((7u64 << 32) | 9).to_ne_bytes());
        a[40..48].copy_from_slice(&((1u64 << 3) | (2 << 15)).to_ne_bytes());
        a
    }

    #[test]
    fn abbreviated_attr_shows_set_flags_and_marks_the_rest() {
        let walker: Walker =
            |call, out| attr_into(call.opts.verbose, out, &sample_attr(), ABBREV_SIZE, None);
        let (args, opts) = ([0; 6], Opts::default());
        let rec = record(
            walker,
            &args,
            None,
            &opts,
            &mut crate::decode::tests::Fake(vec![]),
        );
        let mem = Mem {
            items: vec![(8, rec)],
            ..Mem::default()
        };
        let mut out = String::new();
        render(walker, &args, None, &mem, None, &opts, &mut out);
        assert_eq!(
            out,
            "{type=PERF_TYPE_HARDWARE, size=PERF_ATTR_SIZE_VER1, \
             config=0x7<<32|PERF_COUNT_HW_REF_CPU_CYCLES, sample_period=0, sample_type=0, \
             read_format=0, exclusive=1, precise_ip=2 /* requested to have 0 skid */, ...}"
        );
    }
}
