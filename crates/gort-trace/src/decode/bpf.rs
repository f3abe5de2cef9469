//! `bpf(cmd, attr, size)`.
//!
//! Design: a walker (see `walk.rs`). The attribute union is read whole (up to a page) and handed to the
//! command's decoder, which prints the fields of the structure that command uses, stopping at the
//! first field the caller's `size` does not cover (each field was added by some kernel release), and
//! then notes caller bytes past the structure this ABI knows when they are not zero. Commands whose
//! structure the kernel writes back (`BPF_OBJ_GET_INFO_BY_FD`, `BPF_PROG_QUERY`, `BPF_*_GET_NEXT_ID`,
//! `BPF_TASK_FD_QUERY`, the batch operations) finish at exit, showing what changed as
//! `before => after` against what the entry read; under `-v` the map or program information
//! `BPF_OBJ_GET_INFO_BY_FD` fills is decoded too. Commands without a decoder here (newer than
//! `BPF_LINK_GET_FD_BY_ID`) show the attribute's address.

use super::bpf_filter::opcode_into;
use super::structs::CHex;
use super::walk::{le16, le32, le64, ptr, Call};
use super::xlat::{self, Style, Xlat};
use std::fmt::Write;

const COMMANDS: Xlat = Xlat::hex(
    &[
        (0, "BPF_MAP_CREATE"),
        (1, "BPF_MAP_LOOKUP_ELEM"),
        (2, "BPF_MAP_UPDATE_ELEM"),
        (3, "BPF_MAP_DELETE_ELEM"),
        (4, "BPF_MAP_GET_NEXT_KEY"),
        (5, "BPF_PROG_LOAD"),
        (6, "BPF_OBJ_PIN"),
        (7, "BPF_OBJ_GET"),
        (8, "BPF_PROG_ATTACH"),
        (9, "BPF_PROG_DETACH"),
        (10, "BPF_PROG_TEST_RUN"),
        (11, "BPF_PROG_GET_NEXT_ID"),
        (12, "BPF_MAP_GET_NEXT_ID"),
        (13, "BPF_PROG_GET_FD_BY_ID"),
        (14, "BPF_MAP_GET_FD_BY_ID"),
        (15, "BPF_OBJ_GET_INFO_BY_FD"),
        (16, "BPF_PROG_QUERY"),
        (17, "BPF_RAW_TRACEPOINT_OPEN"),
        (18, "BPF_BTF_LOAD"),
        (19, "BPF_BTF_GET_FD_BY_ID"),
        (20, "BPF_TASK_FD_QUERY"),
        (21, "BPF_MAP_LOOKUP_AND_DELETE_ELEM"),
        (22, "BPF_MAP_FREEZE"),
        (23, "BPF_BTF_GET_NEXT_ID"),
        (24, "BPF_MAP_LOOKUP_BATCH"),
        (25, "BPF_MAP_LOOKUP_AND_DELETE_BATCH"),
        (26, "BPF_MAP_UPDATE_BATCH"),
        (27, "BPF_MAP_DELETE_BATCH"),
        (28, "BPF_LINK_CREATE"),
        (29, "BPF_LINK_UPDATE"),
        (30, "BPF_LINK_GET_FD_BY_ID"),
        (31, "BPF_LINK_GET_NEXT_ID"),
        (32, "BPF_ENABLE_STATS"),
        (33, "BPF_ITER_CREATE"),
        (34, "BPF_LINK_DETACH"),
        (35, "BPF_PROG_BIND_MAP"),
    ],
    "BPF_???",
);

const PROG_TYPES: Xlat = Xlat::hex(
    &[
        (0, "BPF_PROG_TYPE_UNSPEC"),
        (1, "BPF_PROG_TYPE_SOCKET_FILTER"),
        (2, "BPF_PROG_TYPE_KPROBE"),
        (3, "BPF_PROG_TYPE_SCHED_CLS"),
        (4, "BPF_PROG_TYPE_SCHED_ACT"),
        (5, "BPF_PROG_TYPE_TRACEPOINT"),
        (6, "BPF_PROG_TYPE_XDP"),
        (7, "BPF_PROG_TYPE_PERF_EVENT"),
        (8, "BPF_PROG_TYPE_CGROUP_SKB"),
        (9, "BPF_PROG_TYPE_CGROUP_SOCK"),
        (10, "BPF_PROG_TYPE_LWT_IN"),
        (11, "BPF_PROG_TYPE_LWT_OUT"),
        (12, "BPF_PROG_TYPE_LWT_XMIT"),
        (13, "BPF_PROG_TYPE_SOCK_OPS"),
        (14, "BPF_PROG_TYPE_SK_SKB"),
        (15, "BPF_PROG_TYPE_CGROUP_DEVICE"),
        (16, "BPF_PROG_TYPE_SK_MSG"),
        (17, "BPF_PROG_TYPE_RAW_TRACEPOINT"),
        (18, "BPF_PROG_TYPE_CGROUP_SOCK_ADDR"),
        (19, "BPF_PROG_TYPE_LWT_SEG6LOCAL"),
        (20, "BPF_PROG_TYPE_LIRC_MODE2"),
        (21, "BPF_PROG_TYPE_SK_REUSEPORT"),
        (22, "BPF_PROG_TYPE_FLOW_DISSECTOR"),
        (23, "BPF_PROG_TYPE_CGROUP_SYSCTL"),
        (24, "BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE"),
        (25, "BPF_PROG_TYPE_CGROUP_SOCKOPT"),
        (26, "BPF_PROG_TYPE_TRACING"),
        (27, "BPF_PROG_TYPE_STRUCT_OPS"),
        (28, "BPF_PROG_TYPE_EXT"),
        (29, "BPF_PROG_TYPE_LSM"),
        (30, "BPF_PROG_TYPE_SK_LOOKUP"),
        (31, "BPF_PROG_TYPE_SYSCALL"),
    ],
    "BPF_PROG_TYPE_???",
);

const ATTACH_TYPES: Xlat = Xlat::hex(
    &[
        (0, "BPF_CGROUP_INET_INGRESS"),
        (1, "BPF_CGROUP_INET_EGRESS"),
        (2, "BPF_CGROUP_INET_SOCK_CREATE"),
        (3, "BPF_CGROUP_SOCK_OPS"),
        (4, "BPF_SK_SKB_STREAM_PARSER"),
        (5, "BPF_SK_SKB_STREAM_VERDICT"),
        (6, "BPF_CGROUP_DEVICE"),
        (7, "BPF_SK_MSG_VERDICT"),
        (8, "BPF_CGROUP_INET4_BIND"),
        (9, "BPF_CGROUP_INET6_BIND"),
        (10, "BPF_CGROUP_INET4_CONNECT"),
        (11, "BPF_CGROUP_INET6_CONNECT"),
        (12, "BPF_CGROUP_INET4_POST_BIND"),
        (13, "BPF_CGROUP_INET6_POST_BIND"),
        (14, "BPF_CGROUP_UDP4_SENDMSG"),
        (15, "BPF_CGROUP_UDP6_SENDMSG"),
        (16, "BPF_LIRC_MODE2"),
        (17, "BPF_FLOW_DISSECTOR"),
        (18, "BPF_CGROUP_SYSCTL"),
        (19, "BPF_CGROUP_UDP4_RECVMSG"),
        (20, "BPF_CGROUP_UDP6_RECVMSG"),
        (21, "BPF_CGROUP_GETSOCKOPT"),
        (22, "BPF_CGROUP_SETSOCKOPT"),
        (23, "BPF_TRACE_RAW_TP"),
        (24, "BPF_TRACE_FENTRY"),
        (25, "BPF_TRACE_FEXIT"),
        (26, "BPF_MODIFY_RETURN"),
        (27, "BPF_LSM_MAC"),
        (28, "BPF_TRACE_ITER"),
        (29, "BPF_CGROUP_INET4_GETPEERNAME"),
        (30, "BPF_CGROUP_INET6_GETPEERNAME"),
        (31, "BPF_CGROUP_INET4_GETSOCKNAME"),
        (32, "BPF_CGROUP_INET6_GETSOCKNAME"),
        (33, "BPF_XDP_DEVMAP"),
        (34, "BPF_CGROUP_INET_SOCK_RELEASE"),
        (35, "BPF_XDP_CPUMAP"),
        (36, "BPF_SK_LOOKUP"),
        (37, "BPF_XDP"),
        (38, "BPF_SK_SKB_VERDICT"),
        (39, "BPF_SK_REUSEPORT_SELECT"),
        (40, "BPF_SK_REUSEPORT_SELECT_OR_MIGRATE"),
        (41, "BPF_PERF_EVENT"),
        (42, "BPF_TRACE_KPROBE_MULTI"),
        (43, "BPF_LSM_CGROUP"),
    ],
    "BPF_???",
);

const MAP_TYPES: Xlat = Xlat::hex(
    &[
        (0, "BPF_MAP_TYPE_UNSPEC"),
        (1, "BPF_MAP_TYPE_HASH"),
        (2, "BPF_MAP_TYPE_ARRAY"),
        (3, "BPF_MAP_TYPE_PROG_ARRAY"),
        (4, "BPF_MAP_TYPE_PERF_EVENT_ARRAY"),
        (5, "BPF_MAP_TYPE_PERCPU_HASH"),
        (6, "BPF_MAP_TYPE_PERCPU_ARRAY"),
        (7, "BPF_MAP_TYPE_STACK_TRACE"),
        (8, "BPF_MAP_TYPE_CGROUP_ARRAY"),
        (9, "BPF_MAP_TYPE_LRU_HASH"),
        (10, "BPF_MAP_TYPE_LRU_PERCPU_HASH"),
        (11, "BPF_MAP_TYPE_LPM_TRIE"),
        (12, "BPF_MAP_TYPE_ARRAY_OF_MAPS"),
        (13, "BPF_MAP_TYPE_HASH_OF_MAPS"),
        (14, "BPF_MAP_TYPE_DEVMAP"),
        (15, "BPF_MAP_TYPE_SOCKMAP"),
        (16, "BPF_MAP_TYPE_CPUMAP"),
        (17, "BPF_MAP_TYPE_XSKMAP"),
        (18, "BPF_MAP_TYPE_SOCKHASH"),
        (19, "BPF_MAP_TYPE_CGROUP_STORAGE"),
        (20, "BPF_MAP_TYPE_REUSEPORT_SOCKARRAY"),
        (21, "BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE"),
        (22, "BPF_MAP_TYPE_QUEUE"),
        (23, "BPF_MAP_TYPE_STACK"),
        (24, "BPF_MAP_TYPE_SK_STORAGE"),
        (25, "BPF_MAP_TYPE_DEVMAP_HASH"),
        (26, "BPF_MAP_TYPE_STRUCT_OPS"),
        (27, "BPF_MAP_TYPE_RINGBUF"),
        (28, "BPF_MAP_TYPE_INODE_STORAGE"),
        (29, "BPF_MAP_TYPE_TASK_STORAGE"),
        (30, "BPF_MAP_TYPE_BLOOM_FILTER"),
        (31, "BPF_MAP_TYPE_USER_RINGBUF"),
    ],
    "BPF_MAP_TYPE_???",
);

const MAP_FLAGS: Xlat = Xlat::hex(
    &[
        (1, "BPF_F_NO_PREALLOC"),
        (1 << 1, "BPF_F_NO_COMMON_LRU"),
        (1 << 2, "BPF_F_NUMA_NODE"),
        (1 << 3, "BPF_F_RDONLY"),
        (1 << 4, "BPF_F_WRONLY"),
        (1 << 5, "BPF_F_STACK_BUILD_ID"),
        (1 << 6, "BPF_F_ZERO_SEED"),
        (1 << 7, "BPF_F_RDONLY_PROG"),
        (1 << 8, "BPF_F_WRONLY_PROG"),
        (1 << 9, "BPF_F_CLONE"),
        (1 << 10, "BPF_F_MMAPABLE"),
        (1 << 11, "BPF_F_PRESERVE_ELEMS"),
        (1 << 12, "BPF_F_INNER_MAP"),
    ],
    "BPF_F_???",
);

const LOOKUP_ELEM_FLAGS: Xlat = Xlat::wide(&[(0, "BPF_ANY"), (4, "BPF_F_LOCK")], "BPF_???");

const UPDATE_ELEM_FLAGS: Xlat = Xlat::wide(
    &[
        (0, "BPF_ANY"),
        (1, "BPF_NOEXIST"),
        (2, "BPF_EXIST"),
        (4, "BPF_F_LOCK"),
    ],
    "BPF_???",
);

const FILE_MODE_FLAGS: Xlat = Xlat::hex(
    &[(1 << 3, "BPF_F_RDONLY"), (1 << 4, "BPF_F_WRONLY")],
    "BPF_F_???",
);

const ATTACH_FLAGS: Xlat = Xlat::hex(
    &[
        (1, "BPF_F_ALLOW_OVERRIDE"),
        (1 << 1, "BPF_F_ALLOW_MULTI"),
        (1 << 2, "BPF_F_REPLACE"),
    ],
    "BPF_F_???",
);

const TEST_RUN_FLAGS: Xlat = Xlat::hex(
    &[
        (1, "BPF_F_TEST_RUN_ON_CPU"),
        (1 << 1, "BPF_F_TEST_XDP_LIVE_FRAMES"),
    ],
    "BPF_F_???",
);

const QUERY_FLAGS: Xlat = Xlat::hex(&[(1, "BPF_F_QUERY_EFFECTIVE")], "BPF_F_QUERY_???");

const TASK_FD_TYPES: Xlat = Xlat::hex(
    &[
        (0, "BPF_FD_TYPE_RAW_TRACEPOINT"),
        (1, "BPF_FD_TYPE_TRACEPOINT"),
        (2, "BPF_FD_TYPE_KPROBE"),
        (3, "BPF_FD_TYPE_KRETPROBE"),
        (4, "BPF_FD_TYPE_UPROBE"),
        (5, "BPF_FD_TYPE_URETPROBE"),
    ],
    "BPF_FD_TYPE_???",
);

const KPROBE_MULTI_FLAGS: Xlat = Xlat::hex(&[(1, "BPF_F_KPROBE_MULTI_RETURN")], "BPF_F_???");

const PROG_FLAGS: Xlat = Xlat::hex(
    &[
        (1, "BPF_F_STRICT_ALIGNMENT"),
        (1 << 1, "BPF_F_ANY_ALIGNMENT"),
        (1 << 2, "BPF_F_TEST_RND_HI32"),
        (1 << 3, "BPF_F_TEST_STATE_FREQ"),
        (1 << 4, "BPF_F_SLEEPABLE"),
    ],
    "BPF_F_???",
);

const REGS: Xlat = Xlat::hex(
    &[
        (0, "BPF_REG_0"),
        (1, "BPF_REG_1"),
        (2, "BPF_REG_2"),
        (3, "BPF_REG_3"),
        (4, "BPF_REG_4"),
        (5, "BPF_REG_5"),
        (6, "BPF_REG_6"),
        (7, "BPF_REG_7"),
        (8, "BPF_REG_8"),
        (9, "BPF_REG_9"),
        (10, "BPF_REG_10"),
    ],
    "BPF_REG_???",
);

/// The commands whose result is a new descriptor.
pub const MAP_CREATE: u32 = 0;
/// See [`MAP_CREATE`].
pub const PROG_LOAD: u32 = 5;
const OBJ_GET_INFO_BY_FD: u32 = 15;
const MAP_CREATE_SIZE: usize = 72;
const PROG_LOAD_SIZE: usize = 128;
const OBJ_GET_INFO_SIZE: usize = 16;
const MAP_INFO_SIZE: usize = 88;
const PROG_INFO_SIZE: usize = 220;
const TAG_SIZE: usize = 8;
const BPF_F_NUMA_NODE: u32 = 1 << 2;
const PAGE: u64 = 4096;
/// The most instructions a program may have; more are shown as `...`.
const MAXINSNS: u64 = 4096;
const INSN_SIZE: usize = 8;
const OBJ_NAME_LEN: usize = 16;

/// Whether command `cmd`'s result is a new descriptor.
pub fn returns_fd(cmd: u32) -> bool {
    // MAP_CREATE, PROG_LOAD, OBJ_GET, PROG/MAP_GET_FD_BY_ID, BTF_LOAD, BTF_GET_FD_BY_ID, LINK_CREATE,
    // LINK_GET_FD_BY_ID.
    matches!(cmd, 0 | 5 | 6 | 7 | 13 | 14 | 18 | 19 | 28 | 30)
}

/// What a command's entry decoder left to do.
enum Finish {
    /// Note the caller's extra bytes past this many, close the structure; the call is decoded.
    Close(usize),
    /// The same, and the exit has more to say (what the kernel wrote back).
    CloseThenExit(usize),
    /// The structure stays open until the exit.
    AtExit,
}

/// Prints a command's attribute structure at entry, given its bytes (zero-filled to the known
/// size) and how many of them the caller passed.
type EntryDecoder = fn(&mut Call<'_>, &mut String, &[u8], usize) -> Finish;
/// Prints what a command's attribute structure holds at exit, given its bytes then and the caller's.
type ExitDecoder = fn(&mut Call<'_>, &mut String, &[u8], &[u8]);

/// The decoders of a command: at entry, at exit, and its structure's size.
fn decoders(cmd: u32) -> Option<(EntryDecoder, Option<ExitDecoder>, usize)> {
    Some(match cmd {
        MAP_CREATE => (map_create, None, MAP_CREATE_SIZE),
        1 | 21 => (map_lookup_elem, None, 32),
        2 => (map_update_elem, None, 32),
        3 => (map_delete_elem, None, 16),
        4 => (map_get_next_key, None, 24),
        PROG_LOAD => (prog_load, None, PROG_LOAD_SIZE),
        6 | 7 => (obj_pin, None, 16),
        8 => (prog_attach, None, 20),
        9 => (prog_detach, None, 12),
        10 => (prog_test_run, None, 76),
        11 | 12 | 23 | 31 => (get_next_id, Some(get_next_id_exit), 12),
        13 => (prog_get_fd_by_id, None, 12),
        14 => (map_get_fd_by_id, None, 12),
        OBJ_GET_INFO_BY_FD => (
            obj_get_info_entry,
            Some(obj_get_info_exit),
            OBJ_GET_INFO_SIZE,
        ),
        16 => (prog_query, Some(prog_query_exit), 28),
        17 => (raw_tracepoint_open, None, 12),
        18 => (btf_load, None, 28),
        19 => (btf_get_fd_by_id, None, 4),
        20 => (task_fd_query, Some(task_fd_query_exit), 48),
        22 => (map_freeze, None, 4),
        24 | 25 => (lookup_batch, Some(batch_exit), 56),
        26 => (update_batch, Some(batch_exit), 56),
        27 => (delete_batch, Some(batch_exit), 56),
        28 => (link_create, None, 48),
        29 => (link_update, None, 16),
        30 => (link_get_fd_by_id, None, 4),
        _ => return None,
    })
}

/// `bpf(cmd, attr, size)`.
pub fn bpf(call: &mut Call<'_>, out: &mut String) {
    let [cmd, addr, size, ..] = call.args;
    let (cmd, size) = (cmd as u32, size as u32 as u64);
    let decoder = decoders(cmd).filter(|_| size > 0 && size <= PAGE);
    if call.exiting() {
        let Some((_, Some(exit), known)) = decoder else {
            return;
        };
        // Unreadable now, the attribute was unreadable at entry too, which then said everything.
        let Some(data) = call.bytes(addr, size as usize) else {
            return;
        };
        let before = call
            .at_entry(addr, size as usize)
            .map(|b| padded(&b, known))
            .unwrap_or_else(|| padded(&data, known));
        exit(call, out, &padded(&data, known), &before);
        let _ = write!(out, ", {size}");
        return;
    }
    xlat::value(out, cmd as u64, &COMMANDS);
    out.push_str(", ");
    let Some((entry, _, known)) = decoder else {
        ptr(out, addr);
        let _ = write!(out, ", {size}");
        return;
    };
    // The attribute is read whatever the call's outcome (the kernel read it).
    let Some(data) = call.bytes(addr, size as usize) else {
        ptr(out, addr);
        let _ = write!(out, ", {size}");
        return;
    };
    out.push('{');
    match entry(call, out, &padded(&data, known), (size as usize).min(known)) {
        Finish::Close(known) => {
            extra_data(call, out, &data, known);
            out.push('}');
            let _ = write!(out, ", {size}");
        }
        Finish::CloseThenExit(known) => {
            extra_data(call, out, &data, known);
            out.push('}');
        }
        Finish::AtExit => {}
    }
}

/// The caller's bytes, zero-filled to the structure's known size.
fn padded(data: &[u8], known: usize) -> Vec<u8> {
    let mut attr = data.to_vec();
    attr.resize(known.max(data.len()), 0);
    attr
}

/// Caller bytes past the structure this ABI knows, when not all zero: `, ...`, or under `-v` the
/// bytes in hex with their offsets.
fn extra_data(call: &Call<'_>, out: &mut String, data: &[u8], known: usize) {
    let Some(extra) = data.get(known..).filter(|e| e.iter().any(|&c| c != 0)) else {
        return;
    };
    if !call.opts.verbose {
        out.push_str(", ...");
        return;
    }
    out.push_str(", extra_data=");
    super::strings::quote_into(out, extra, true);
    let _ = write!(out, " /* bytes {known}..{} */", data.len() - 1);
}

/// `KERNEL_VERSION(4, 19, 0)` in the `-X` style.
fn kernel_version(out: &mut String, v: u32) {
    let text = format!(
        "KERNEL_VERSION({}, {}, {})",
        v >> 16,
        (v >> 8) & 0xff,
        v & 0xff
    );
    match xlat::style() {
        Style::Abbrev => out.push_str(&text),
        Style::Raw => {
            let _ = write!(out, "{}", CHex(v as u64));
        }
        Style::Verbose => {
            let _ = write!(out, "{} /* {text} */", CHex(v as u64));
        }
    }
}

/// A NUL-terminated string in a fixed-size field: `"name"`; when no NUL ends it, all but its last
/// byte (the NUL's place) followed by `...`.
fn cstring_field(out: &mut String, b: &[u8]) {
    match b.iter().position(|&c| c == 0) {
        Some(n) => super::strings::quote_into(out, &b[..n], false),
        None => {
            super::strings::quote_into(out, &b[..b.len().saturating_sub(1)], false);
            out.push_str("...");
        }
    }
}

/// A network interface index: its name when this host has one (`if_nametoindex("lo")`).
fn ifindex(out: &mut String, index: u32) {
    let mut name = [0 as libc::c_char; libc::IF_NAMESIZE + 1];
    // SAFETY: `name` has room for IF_NAMESIZE bytes and a NUL, as if_indextoname requires; it only
    // writes there and returns NULL when the index names no interface.
    let found = index != 0 && !unsafe { libc::if_indextoname(index, name.as_mut_ptr()) }.is_null();
    if !found {
        let _ = write!(out, "{index}");
        return;
    }
    let bytes: Vec<u8> = name
        .iter()
        .take_while(|&&c| c != 0)
        .map(|&c| c as u8)
        .collect();
    let text = format!("if_nametoindex(\"{}\")", String::from_utf8_lossy(&bytes));
    xlat::composed_signed(out, index as i64, &text);
}

/// An eBPF program of `n` instructions (its address without `-v`).
fn ebpf_prog(call: &mut Call<'_>, out: &mut String, addr: u64, n: u64) {
    if !call.opts.verbose {
        ptr(out, addr);
        return;
    }
    let mut count = 0u64;
    call.array(
        out,
        addr,
        n.min(MAXINSNS + 1),
        INSN_SIZE,
        &mut |_, out, b| {
            if count == MAXINSNS {
                out.push_str("...");
            } else {
                out.push_str("{code=");
                opcode_into(out, b[0] as u16, true);
                out.push_str(", dst_reg=");
                xlat::value(out, (b[1] & 0xf) as u64, &REGS);
                out.push_str(", src_reg=");
                xlat::value(out, (b[1] >> 4) as u64, &REGS);
                let _ = write!(
                    out,
                    ", off={}, imm={}}}",
                    le16(b, 2) as i16,
                    CHex(le32(b, 4) as u64)
                );
            }
            count += 1;
        },
    );
}

/// `BPF_PROG_LOAD`'s structure; `len` is how much of it the caller passed.
fn prog_load(call: &mut Call<'_>, out: &mut String, a: &[u8], len: usize) -> Finish {
    prog_load_fields(call, out, a, len);
    Finish::Close(PROG_LOAD_SIZE)
}

fn prog_load_fields(call: &mut Call<'_>, out: &mut String, a: &[u8], len: usize) {
    out.push_str("prog_type=");
    xlat::value(out, le32(a, 0) as u64, &PROG_TYPES);
    let insn_cnt = le32(a, 4);
    let _ = write!(out, ", insn_cnt={insn_cnt}, insns=");
    ebpf_prog(call, out, le64(a, 8), insn_cnt as u64);
    out.push_str(", license=");
    call.str(out, le64(a, 16));
    if len <= 24 {
        return;
    }
    let log_size = le32(a, 28);
    let _ = write!(
        out,
        ", log_level={}, log_size={log_size}, log_buf=",
        le32(a, 24)
    );
    let log_buf = le64(a, 32);
    let saved = call.opts.strsize;
    call.opts.strsize = saved.min(log_size as usize);
    call.str(out, log_buf);
    call.opts.strsize = saved;
    if len <= 40 {
        return;
    }
    out.push_str(", kern_version=");
    kernel_version(out, le32(a, 40));
    if len <= 44 {
        return;
    }
    out.push_str(", prog_flags=");
    xlat::flags(out, le32(a, 44) as u64, &PROG_FLAGS);
    if len <= 48 {
        return;
    }
    out.push_str(", prog_name=");
    cstring_field(out, &a[48..48 + OBJ_NAME_LEN.min(len - 48)]);
    if len <= 64 {
        return;
    }
    out.push_str(", prog_ifindex=");
    ifindex(out, le32(a, 64));
    if len <= 68 {
        return;
    }
    out.push_str(", expected_attach_type=");
    xlat::value(out, le32(a, 68) as u64, &ATTACH_TYPES);
    if len <= 72 {
        return;
    }
    out.push_str(", prog_btf_fd=");
    call.fd(out, le32(a, 72) as i32);
    let _ = write!(out, ", func_info_rec_size={}, func_info=", le32(a, 76));
    ptr(out, le64(a, 80));
    let _ = write!(
        out,
        ", func_info_cnt={}, line_info_rec_size={}, line_info=",
        le32(a, 88),
        le32(a, 92)
    );
    ptr(out, le64(a, 96));
    let _ = write!(out, ", line_info_cnt={}", le32(a, 104));
    if len <= 108 {
        return;
    }
    let _ = write!(out, ", attach_btf_id={}", le32(a, 108));
    if len <= 112 {
        return;
    }
    out.push_str(", attach_prog_fd=");
    call.fd(out, le32(a, 112) as i32);
    if len <= 120 {
        return;
    }
    out.push_str(", fd_array=");
    ptr(out, le64(a, 120));
}

/// `BPF_MAP_CREATE`'s structure.
fn map_create(call: &mut Call<'_>, out: &mut String, a: &[u8], len: usize) -> Finish {
    map_create_fields(call, out, a, len);
    Finish::Close(MAP_CREATE_SIZE)
}

fn map_create_fields(call: &mut Call<'_>, out: &mut String, a: &[u8], len: usize) {
    out.push_str("map_type=");
    xlat::value(out, le32(a, 0) as u64, &MAP_TYPES);
    let _ = write!(
        out,
        ", key_size={}, value_size={}, max_entries={}",
        le32(a, 4),
        le32(a, 8),
        le32(a, 12)
    );
    if len <= 16 {
        return;
    }
    let flags = le32(a, 16);
    out.push_str(", map_flags=");
    xlat::flags(out, flags as u64, &MAP_FLAGS);
    if len <= 20 {
        return;
    }
    out.push_str(", inner_map_fd=");
    call.fd(out, le32(a, 20) as i32);
    if len <= 24 {
        return;
    }
    if flags & BPF_F_NUMA_NODE != 0 {
        let node = le32(a, 24);
        let _ = write!(out, ", numa_node={node}");
        if node == u32::MAX && xlat::style() != Style::Raw {
            out.push_str(" /* NUMA_NO_NODE */");
        }
    }
    if len <= 28 {
        return;
    }
    out.push_str(", map_name=");
    cstring_field(out, &a[28..28 + OBJ_NAME_LEN.min(len - 28)]);
    if len <= 44 {
        return;
    }
    out.push_str(", map_ifindex=");
    ifindex(out, le32(a, 44));
    if len <= 48 {
        return;
    }
    out.push_str(", btf_fd=");
    call.fd(out, le32(a, 48) as i32);
    let _ = write!(
        out,
        ", btf_key_type_id={}, btf_value_type_id={}",
        le32(a, 52),
        le32(a, 56)
    );
    if len <= 60 {
        return;
    }
    let _ = write!(out, ", btf_vmlinux_value_type_id={}", le32(a, 60));
    if len <= 64 {
        return;
    }
    let _ = write!(out, ", map_extra={}", le64(a, 64));
}

/// `BPF_OBJ_GET_INFO_BY_FD` at entry: the descriptor and the buffer's length.
fn obj_get_info_entry(call: &mut Call<'_>, out: &mut String, a: &[u8], _len: usize) -> Finish {
    let (fd, len) = (le32(a, 0) as i32, le32(a, 4));
    out.push_str("info={bpf_fd=");
    call.fd(out, fd);
    let _ = write!(out, ", info_len={len}");
    // A program's counts are shown at exit against what the caller passed: read it now.
    if call.opts.verbose
        && len > 0
        && (len as u64) <= PAGE
        && call.fd_target(fd).as_deref() == Some(b"anon_inode:bpf-prog")
    {
        call.bytes(le64(a, 8), len as usize);
    }
    Finish::AtExit
}

/// `BPF_OBJ_GET_INFO_BY_FD` at exit: the length the kernel wrote back when it changed, the buffer.
fn obj_get_info_exit(call: &mut Call<'_>, out: &mut String, a: &[u8], before: &[u8]) {
    let len = le32(a, 4);
    let entry_len = le32(before, 4);
    if entry_len != len {
        let _ = write!(out, " => {len}");
    }
    out.push_str(", info=");
    info_into(
        call,
        out,
        le32(a, 0) as i32,
        le64(a, 8),
        len,
        Some(entry_len),
    );
    out.push('}');
    extra_data(call, out, a, OBJ_GET_INFO_SIZE);
    out.push('}');
}

/// The information buffer of `BPF_OBJ_GET_INFO_BY_FD` at exit: decoded under `-v` for maps and
/// programs, its address otherwise. `entry_len` is the buffer length the caller passed.
fn info_into(
    call: &mut Call<'_>,
    out: &mut String,
    fd: i32,
    info: u64,
    len: u32,
    entry_len: Option<u32>,
) {
    if !call.opts.verbose {
        ptr(out, info);
        return;
    }
    let kind = call.fd_target(fd);
    let is_map = kind.as_deref() == Some(b"anon_inode:bpf-map");
    let is_prog = kind.as_deref() == Some(b"anon_inode:bpf-prog");
    let fetched = (is_map || is_prog) && len > 0 && (len as u64) <= PAGE;
    let Some(buf) = fetched.then(|| call.bytes(info, len as usize)).flatten() else {
        ptr(out, info);
        return;
    };
    if is_map {
        map_info(call, out, &buf);
    } else {
        // What the caller passed, for the counts and addresses the kernel rewrites (unknown to the
        // tracer's run, which then reads as much as any entry could have asked for).
        let before = if call.recording() {
            None
        } else {
            Some(
                entry_len
                    .filter(|&l| l > 0 && (l as u64) <= PAGE)
                    .and_then(|l| call.at_entry(info, l as usize))
                    .map(|b| padded(&b, PROG_INFO_SIZE))
                    .unwrap_or_else(|| vec![0; PROG_INFO_SIZE]),
            )
        };
        prog_info(call, out, &buf, before.as_deref());
    }
}

/// `struct bpf_map_info`.
fn map_info(call: &mut Call<'_>, out: &mut String, data: &[u8]) {
    let a = padded(data, MAP_INFO_SIZE);
    let len = data.len().min(MAP_INFO_SIZE);
    out.push_str("{type=");
    xlat::value(out, le32(&a, 0) as u64, &MAP_TYPES);
    let _ = write!(
        out,
        ", id={}, key_size={}, value_size={}, max_entries={}, map_flags=",
        le32(&a, 4),
        le32(&a, 8),
        le32(&a, 12),
        le32(&a, 16)
    );
    xlat::flags(out, le32(&a, 20) as u64, &MAP_FLAGS);
    if len > 24 {
        out.push_str(", name=");
        cstring_field(out, &a[24..40]);
    }
    if len > 40 {
        out.push_str(", ifindex=");
        ifindex(out, le32(&a, 40));
        let _ = write!(
            out,
            ", btf_vmlinux_value_type_id={}, netns_dev=",
            le32(&a, 44)
        );
        super::structs::makedev_into(out, le64(&a, 48));
        let _ = write!(out, ", netns_ino={}", le64(&a, 56));
    }
    if len > 64 {
        let _ = write!(
            out,
            ", btf_id={}, btf_key_type_id={}, btf_value_type_id={}",
            le32(&a, 64),
            le32(&a, 68),
            le32(&a, 72)
        );
        extra_data(call, out, data, MAP_INFO_SIZE);
    }
    out.push('}');
}

/// `, name=` a `u32` count, as `before => after` when the kernel changed it.
fn count(out: &mut String, name: &str, before: u32, after: u32) {
    let _ = write!(out, ", {name}=");
    if before != after {
        let _ = write!(out, "{before} => ");
    }
    let _ = write!(out, "{after}");
}

/// `, name=` an address, as `before => after` when the kernel changed it.
fn addr_changed(out: &mut String, name: &str, before: u64, after: u64) {
    let _ = write!(out, ", {name}=");
    if before != after {
        ptr(out, before);
        out.push_str(" => ");
    }
    ptr(out, after);
}

/// A time since boot as a date comment (` /* 2026-12-07T12:44:54+0000 */`), to the second.
fn boottime(out: &mut String, ns: u64) {
    if xlat::style() == Style::Raw {
        return;
    }
    let now = |clock| {
        // SAFETY: an all-zero timespec is valid, and clock_gettime only writes the one it is given.
        let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
        // SAFETY: `ts` is a valid, writable timespec.
        let ok = unsafe { libc::clock_gettime(clock, &mut ts) } == 0;
        ok.then(|| ts.tv_sec as i128 * 1_000_000_000 + ts.tv_nsec as i128)
    };
    let (Some(boot), Some(real)) = (now(libc::CLOCK_BOOTTIME), now(libc::CLOCK_REALTIME)) else {
        return;
    };
    let at = ns as i128 + (real - boot);
    out.push_str(" /* ");
    super::structs::date_into(out, at.div_euclid(1_000_000_000) as i64, u64::MAX);
    out.push_str(" */");
}

/// `struct bpf_prog_info`; `before` is what the caller passed (zero-filled), `None` in the tracer's
/// run.
fn prog_info(call: &mut Call<'_>, out: &mut String, data: &[u8], before: Option<&[u8]>) {
    let a = padded(data, PROG_INFO_SIZE);
    let b: &[u8] = before.unwrap_or(&a);
    // How many elements the caller made room for and the kernel filled.
    let filled = |off: usize| le32(b, off).min(le32(&a, off)) as u64;
    let len = data.len().min(PROG_INFO_SIZE);
    out.push_str("{type=");
    xlat::value(out, le32(&a, 0) as u64, &PROG_TYPES);
    let _ = write!(out, ", id={}, tag=", le32(&a, 4));
    super::strings::quote_into(out, &a[8..8 + TAG_SIZE], true);
    let jited_len = le32(&a, 16);
    count(out, "jited_prog_len", le32(b, 16), jited_len);
    out.push_str(", jited_prog_insns=");
    let jited = le64(&a, 24);
    if jited == 0 {
        out.push_str("NULL");
    } else {
        let max = call.opts.strsize;
        match call.bytes(jited, (jited_len as usize).min(max + 1)) {
            Some(code) => {
                let n = code.len().min(max);
                super::strings::quote_into(out, &code[..n], true);
                if jited_len as usize > max {
                    out.push_str("...");
                }
            }
            None => ptr(out, jited),
        }
    }
    let xlated_len = le32(&a, 20);
    count(out, "xlated_prog_len", le32(b, 20), xlated_len);
    out.push_str(", xlated_prog_insns=");
    let shown = filled(20) / INSN_SIZE as u64;
    ebpf_prog(call, out, le64(&a, 32), shown);
    if len > 40 {
        let _ = write!(out, ", load_time={}", le64(&a, 40));
        boottime(out, le64(&a, 40));
        let uid = le32(&a, 48);
        if uid == u32::MAX {
            out.push_str(", created_by_uid=-1");
        } else {
            let _ = write!(out, ", created_by_uid={uid}");
        }
        let ids = le32(&a, 52);
        count(out, "nr_map_ids", le32(b, 52), ids);
        out.push_str(", map_ids=");
        call.array(out, le64(&a, 56), filled(52), 4, &mut |_, out, id| {
            let _ = write!(out, "{}", le32(id, 0));
        });
        out.push_str(", name=");
        cstring_field(out, &a[64..80]);
    }
    if len > 80 {
        out.push_str(", ifindex=");
        ifindex(out, le32(&a, 80));
        let _ = write!(out, ", gpl_compatible={}, netns_dev=", le32(&a, 84) & 1);
        super::structs::makedev_into(out, le64(&a, 88));
        let _ = write!(out, ", netns_ino={}", le64(&a, 96));
    }
    if len > 104 {
        count(out, "nr_jited_ksyms", le32(b, 104), le32(&a, 104));
        count(out, "nr_jited_func_lens", le32(b, 108), le32(&a, 108));
        addr_changed(out, "jited_ksyms", le64(b, 112), le64(&a, 112));
        addr_changed(out, "jited_func_lens", le64(b, 120), le64(&a, 120));
    }
    if len > 128 {
        let _ = write!(out, ", btf_id={}", le32(&a, 128));
        count(out, "func_info_rec_size", le32(b, 132), le32(&a, 132));
        out.push_str(", func_info=");
        ptr(out, le64(&a, 136));
        count(out, "nr_func_info", le32(b, 144), le32(&a, 144));
        count(out, "nr_line_info", le32(b, 148), le32(&a, 148));
        out.push_str(", line_info=");
        ptr(out, le64(&a, 152));
        addr_changed(out, "jited_line_info", le64(b, 160), le64(&a, 160));
        count(out, "nr_jited_line_info", le32(b, 168), le32(&a, 168));
        count(out, "line_info_rec_size", le32(b, 172), le32(&a, 172));
        count(out, "jited_line_info_rec_size", le32(b, 176), le32(&a, 176));
        count(out, "nr_prog_tags", le32(b, 180), le32(&a, 180));
        out.push_str(", prog_tags=");
        ptr(out, le64(&a, 184));
    }
    if len > 192 {
        let _ = write!(
            out,
            ", run_time_ns={}, run_cnt={}",
            le64(&a, 192),
            le64(&a, 200)
        );
    }
    if len > 208 {
        let _ = write!(out, ", recursion_misses={}", le64(&a, 208));
    }
    if len > 216 {
        let _ = write!(out, ", verified_insns={}", le32(&a, 216));
        extra_data(call, out, data, PROG_INFO_SIZE);
    }
    out.push('}');
}

/// `, name=` a descriptor.
fn fd_field(call: &mut Call<'_>, out: &mut String, name: &str, fd: u32) {
    let _ = write!(out, ", {name}=");
    call.fd(out, fd as i32);
}

/// `, name=` an address.
fn addr_field(out: &mut String, name: &str, v: u64) {
    let _ = write!(out, ", {name}=");
    ptr(out, v);
}

/// A NUL-terminated string of at most `len` bytes (strace's `printstr_ex` with a length): cut at
/// `-s`, followed by `...` when no NUL ends it within what is shown.
fn str_upto(call: &mut Call<'_>, out: &mut String, addr: u64, len: u64) {
    if addr == 0 {
        out.push_str("NULL");
        return;
    }
    let max = call.opts.strsize;
    let size = (len as usize).min(max + 1);
    let Some(b) = call.upto_str(addr, size) else {
        ptr(out, addr);
        return;
    };
    let shown = size.min(max);
    let end = b.iter().take(shown).position(|&c| c == 0);
    let text = &b[..end.unwrap_or(shown.min(b.len()))];
    let hex = super::strings::wants_hex(text, call.opts.xflag);
    super::strings::quote_into(out, text, hex);
    if end.is_none() && len != 0 {
        out.push_str("...");
    }
}

fn map_lookup_elem(call: &mut Call<'_>, out: &mut String, a: &[u8], len: usize) -> Finish {
    out.push_str("map_fd=");
    call.fd(out, le32(a, 0) as i32);
    addr_field(out, "key", le64(a, 8));
    addr_field(out, "value", le64(a, 16));
    if len > 24 {
        out.push_str(", flags=");
        xlat::flags(out, le64(a, 24), &LOOKUP_ELEM_FLAGS);
    }
    Finish::Close(32)
}

fn map_update_elem(call: &mut Call<'_>, out: &mut String, a: &[u8], _len: usize) -> Finish {
    out.push_str("map_fd=");
    call.fd(out, le32(a, 0) as i32);
    addr_field(out, "key", le64(a, 8));
    addr_field(out, "value", le64(a, 16));
    out.push_str(", flags=");
    xlat::value(out, le64(a, 24), &UPDATE_ELEM_FLAGS);
    Finish::Close(32)
}

fn map_delete_elem(call: &mut Call<'_>, out: &mut String, a: &[u8], _len: usize) -> Finish {
    out.push_str("map_fd=");
    call.fd(out, le32(a, 0) as i32);
    addr_field(out, "key", le64(a, 8));
    Finish::Close(16)
}

fn map_get_next_key(call: &mut Call<'_>, out: &mut String, a: &[u8], _len: usize) -> Finish {
    out.push_str("map_fd=");
    call.fd(out, le32(a, 0) as i32);
    addr_field(out, "key", le64(a, 8));
    addr_field(out, "next_key", le64(a, 16));
    Finish::Close(24)
}

fn map_freeze(call: &mut Call<'_>, out: &mut String, a: &[u8], _len: usize) -> Finish {
    out.push_str("map_fd=");
    call.fd(out, le32(a, 0) as i32);
    Finish::Close(4)
}

fn obj_pin(call: &mut Call<'_>, out: &mut String, a: &[u8], len: usize) -> Finish {
    out.push_str("pathname=");
    call.path(out, le64(a, 0));
    fd_field(call, out, "bpf_fd", le32(a, 8));
    if len > 12 {
        out.push_str(", file_flags=");
        xlat::flags(out, le32(a, 12) as u64, &FILE_MODE_FLAGS);
    }
    Finish::Close(16)
}

fn prog_attach(call: &mut Call<'_>, out: &mut String, a: &[u8], len: usize) -> Finish {
    out.push_str("target_fd=");
    call.fd(out, le32(a, 0) as i32);
    fd_field(call, out, "attach_bpf_fd", le32(a, 4));
    out.push_str(", attach_type=");
    xlat::value(out, le32(a, 8) as u64, &ATTACH_TYPES);
    out.push_str(", attach_flags=");
    xlat::flags(out, le32(a, 12) as u64, &ATTACH_FLAGS);
    if len > 16 {
        fd_field(call, out, "replace_bpf_fd", le32(a, 16));
    }
    Finish::Close(20)
}

fn prog_detach(call: &mut Call<'_>, out: &mut String, a: &[u8], _len: usize) -> Finish {
    out.push_str("target_fd=");
    call.fd(out, le32(a, 0) as i32);
    out.push_str(", attach_type=");
    xlat::value(out, le32(a, 8) as u64, &ATTACH_TYPES);
    Finish::Close(12)
}

fn prog_test_run(call: &mut Call<'_>, out: &mut String, a: &[u8], len: usize) -> Finish {
    out.push_str("test={prog_fd=");
    call.fd(out, le32(a, 0) as i32);
    let _ = write!(
        out,
        ", retval={}, data_size_in={}, data_size_out={}",
        le32(a, 4),
        le32(a, 8),
        le32(a, 12)
    );
    addr_field(out, "data_in", le64(a, 16));
    addr_field(out, "data_out", le64(a, 24));
    let _ = write!(out, ", repeat={}, duration={}", le32(a, 32), le32(a, 36));
    if len > 40 {
        let _ = write!(
            out,
            ", ctx_size_in={}, ctx_size_out={}",
            le32(a, 40),
            le32(a, 44)
        );
        addr_field(out, "ctx_in", le64(a, 48));
        addr_field(out, "ctx_out", le64(a, 56));
    }
    if len > 64 {
        out.push_str(", flags=");
        xlat::flags(out, le32(a, 64) as u64, &TEST_RUN_FLAGS);
        let _ = write!(out, ", cpu={}", le32(a, 68));
    }
    if len > 72 {
        let _ = write!(out, ", batch_size={}", le32(a, 72));
    }
    out.push('}');
    Finish::Close(76)
}

fn get_next_id(_: &mut Call<'_>, out: &mut String, a: &[u8], _len: usize) -> Finish {
    let _ = write!(out, "start_id={}, next_id={}", le32(a, 0), le32(a, 4));
    Finish::AtExit
}

fn get_next_id_exit(call: &mut Call<'_>, out: &mut String, a: &[u8], before: &[u8]) {
    let next = le32(a, 4);
    if le32(before, 4) != next {
        let _ = write!(out, " => {next}");
    }
    let len = (call.args[2] as u32 as usize).min(12);
    if len > 8 {
        out.push_str(", open_flags=");
        xlat::flags(out, le32(a, 8) as u64, &FILE_MODE_FLAGS);
    }
    extra_data(call, out, a, 12);
    out.push('}');
}

fn prog_get_fd_by_id(_: &mut Call<'_>, out: &mut String, a: &[u8], len: usize) -> Finish {
    let _ = write!(out, "prog_id={}, next_id={}", le32(a, 0), le32(a, 4));
    if len > 8 {
        out.push_str(", open_flags=");
        xlat::flags(out, le32(a, 8) as u64, &FILE_MODE_FLAGS);
    }
    Finish::Close(12)
}

fn map_get_fd_by_id(_: &mut Call<'_>, out: &mut String, a: &[u8], len: usize) -> Finish {
    let _ = write!(out, "map_id={}, next_id={}", le32(a, 0), le32(a, 4));
    if len > 8 {
        out.push_str(", open_flags=");
        xlat::flags(out, le32(a, 8) as u64, &FILE_MODE_FLAGS);
    }
    Finish::Close(12)
}

fn prog_query(call: &mut Call<'_>, out: &mut String, a: &[u8], _len: usize) -> Finish {
    out.push_str("query={target_fd=");
    call.fd(out, le32(a, 0) as i32);
    out.push_str(", attach_type=");
    xlat::value(out, le32(a, 4) as u64, &ATTACH_TYPES);
    out.push_str(", query_flags=");
    xlat::flags(out, le32(a, 8) as u64, &QUERY_FLAGS);
    out.push_str(", attach_flags=");
    xlat::flags(out, le32(a, 12) as u64, &ATTACH_FLAGS);
    out.push_str(", prog_ids=");
    Finish::AtExit
}

fn prog_query_exit(call: &mut Call<'_>, out: &mut String, a: &[u8], before: &[u8]) {
    let cnt = le32(a, 24);
    call.array(out, le64(a, 16), cnt as u64, 4, &mut |_, out, id| {
        let _ = write!(out, "{}", le32(id, 0));
    });
    count(out, "prog_cnt", le32(before, 24), cnt);
    out.push('}');
    extra_data(call, out, a, 28);
    out.push('}');
}

fn raw_tracepoint_open(call: &mut Call<'_>, out: &mut String, a: &[u8], _len: usize) -> Finish {
    out.push_str("raw_tracepoint={name=");
    str_upto(call, out, le64(a, 0), 128);
    fd_field(call, out, "prog_fd", le32(a, 8));
    out.push('}');
    Finish::Close(12)
}

fn btf_load(call: &mut Call<'_>, out: &mut String, a: &[u8], _len: usize) -> Finish {
    out.push_str("btf=");
    call.buf(out, le64(a, 0), le32(a, 16) as u64);
    addr_field(out, "btf_log_buf", le64(a, 8));
    let _ = write!(
        out,
        ", btf_size={}, btf_log_size={}, btf_log_level={}",
        le32(a, 16),
        le32(a, 20),
        le32(a, 24)
    );
    Finish::Close(28)
}

fn btf_get_fd_by_id(_: &mut Call<'_>, out: &mut String, a: &[u8], _len: usize) -> Finish {
    let _ = write!(out, "btf_id={}", le32(a, 0));
    Finish::Close(4)
}

fn task_fd_query(call: &mut Call<'_>, out: &mut String, a: &[u8], _len: usize) -> Finish {
    let _ = write!(out, "task_fd_query={{pid={}", le32(a, 0) as i32);
    fd_field(call, out, "fd", le32(a, 4));
    let _ = write!(out, ", flags={}, buf_len={}", le32(a, 8), le32(a, 12));
    Finish::AtExit
}

fn task_fd_query_exit(call: &mut Call<'_>, out: &mut String, a: &[u8], before: &[u8]) {
    let (saved, now) = (le32(before, 12), le32(a, 12));
    if saved != now {
        let _ = write!(out, " => {now}");
    }
    // The tracer's run reads as much as any entry could have allowed.
    let len = if call.recording() {
        now
    } else {
        saved.min(now)
    };
    out.push_str(", buf=");
    str_upto(call, out, le64(a, 16), len as u64);
    let _ = write!(out, ", prog_id={}, fd_type=", le32(a, 24));
    xlat::value(out, le32(a, 28) as u64, &TASK_FD_TYPES);
    let _ = write!(
        out,
        ", probe_offset={}, probe_addr={}}}",
        CHex(le64(a, 32)),
        CHex(le64(a, 40))
    );
    extra_data(call, out, a, 48);
    out.push('}');
}

/// The fields every batch operation shows after its addresses.
fn batch_tail(call: &mut Call<'_>, out: &mut String, a: &[u8]) {
    let _ = write!(out, ", count={}", le32(a, 32));
    fd_field(call, out, "map_fd", le32(a, 36));
    out.push_str(", elem_flags=");
    xlat::flags(out, le64(a, 40), &LOOKUP_ELEM_FLAGS);
    let _ = write!(out, ", flags={}}}", CHex(le64(a, 48)));
}

fn lookup_batch(call: &mut Call<'_>, out: &mut String, a: &[u8], _len: usize) -> Finish {
    out.push_str("batch={in_batch=");
    ptr(out, le64(a, 0));
    addr_field(out, "out_batch", le64(a, 8));
    addr_field(out, "keys", le64(a, 16));
    addr_field(out, "values", le64(a, 24));
    batch_tail(call, out, a);
    Finish::CloseThenExit(56)
}

fn update_batch(call: &mut Call<'_>, out: &mut String, a: &[u8], _len: usize) -> Finish {
    out.push_str("batch={keys=");
    ptr(out, le64(a, 16));
    addr_field(out, "values", le64(a, 24));
    batch_tail(call, out, a);
    Finish::CloseThenExit(56)
}

fn delete_batch(call: &mut Call<'_>, out: &mut String, a: &[u8], _len: usize) -> Finish {
    out.push_str("batch={keys=");
    ptr(out, le64(a, 16));
    batch_tail(call, out, a);
    Finish::CloseThenExit(56)
}

fn batch_exit(_: &mut Call<'_>, out: &mut String, a: &[u8], before: &[u8]) {
    let count = le32(a, 32);
    if le32(before, 32) != count {
        let _ = write!(out, " => {{batch={{count={count}}}}}");
    }
}

fn link_create(call: &mut Call<'_>, out: &mut String, a: &[u8], len: usize) -> Finish {
    out.push_str("link_create={prog_fd=");
    call.fd(out, le32(a, 0) as i32);
    fd_field(call, out, "target_fd", le32(a, 4));
    let attach_type = le32(a, 8);
    out.push_str(", attach_type=");
    xlat::value(out, attach_type as u64, &ATTACH_TYPES);
    let _ = write!(out, ", flags={}", CHex(le32(a, 12) as u64));
    let mut known = 48;
    if len > 16 {
        known = match attach_type {
            0 => {
                let id = le32(a, 16);
                if id != 0 {
                    let _ = write!(out, ", target_btf_id={id}");
                }
                20
            }
            // BPF_TRACE_ITER
            28 => {
                let count = le32(a, 24);
                out.push_str(", iter_info=");
                call.array(out, le64(a, 16), count as u64, 4, &mut |call, out, m| {
                    out.push_str("{map={map_fd=");
                    call.fd(out, le32(m, 0) as i32);
                    out.push_str("}}");
                });
                let _ = write!(out, ", iter_info_len={count}");
                28
            }
            // BPF_PERF_EVENT
            41 => {
                let _ = write!(out, ", perf_event={{bpf_cookie={}}}", CHex(le64(a, 16)));
                24
            }
            // BPF_TRACE_KPROBE_MULTI
            42 => {
                out.push_str(", kprobe_multi={flags=");
                xlat::flags(out, le32(a, 16) as u64, &KPROBE_MULTI_FLAGS);
                let count = le32(a, 20) as u64;
                let _ = write!(out, ", cnt={count}, syms=");
                call.array(out, le64(a, 24), count, 8, &mut |call, out, p| {
                    call.str(out, le64(p, 0));
                });
                for (name, off) in [("addrs", 32), ("cookies", 40)] {
                    let _ = write!(out, ", {name}=");
                    call.array(out, le64(a, off), count, 8, &mut |_, out, v| {
                        let _ = write!(out, "{}", CHex(le64(v, 0)));
                    });
                }
                out.push('}');
                48
            }
            _ => 16,
        };
    }
    out.push('}');
    Finish::Close(known)
}

fn link_update(call: &mut Call<'_>, out: &mut String, a: &[u8], _len: usize) -> Finish {
    out.push_str("link_update={link_fd=");
    call.fd(out, le32(a, 0) as i32);
    fd_field(call, out, "new_prog_fd", le32(a, 4));
    let flags = le32(a, 8);
    out.push_str(", flags=");
    xlat::flags(out, flags as u64, &ATTACH_FLAGS);
    if flags & (1 << 2) != 0 {
        fd_field(call, out, "old_prog_fd", le32(a, 12));
    }
    out.push('}');
    Finish::Close(16)
}

fn link_get_fd_by_id(_: &mut Call<'_>, out: &mut String, a: &[u8], _len: usize) -> Finish {
    let _ = write!(out, "link_id={}", le32(a, 0));
    Finish::Close(4)
}
