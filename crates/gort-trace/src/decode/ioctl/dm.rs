//! Device mapper ioctls (`linux/dm-ioctl.h`, type 0xfd): the `struct dm_ioctl` header.
//!
//! Design: every request passes the same header, shown as a one-element array at entry and, when
//! the kernel changed it or the call succeeded, again after ` => ` at exit. Which fields are shown
//! depends on the request. The payload that follows the header is shown as `...` without `-v`;
//! under `-v` target specs, target messages and strings are decoded, while dependency, name and
//! version lists are still shown as `...`.

use super::cx::{cstring_field, u32_at, u64_at, Cx, Rval};
use super::tables::DM_FLAGS;
use crate::decode::structs::makedev_into;
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

const FLAGS: Xlat = Xlat::hex(DM_FLAGS, "DM_???");
/// `offsetof(struct dm_ioctl, data)`: the header's size.
const HEADER: usize = 305;
const DM_VERSION_MAJOR: u32 = 4;
const DM_SUSPEND_FLAG: u32 = 1 << 1;
const DM_DATA_OUT_FLAG: u32 = 1 << 16;

// The requests, by number.
const VERSION: u32 = 0;
const REMOVE_ALL: u32 = 1;
const LIST_DEVICES: u32 = 2;
const DEV_CREATE: u32 = 3;
const DEV_REMOVE: u32 = 4;
const DEV_RENAME: u32 = 5;
const DEV_SUSPEND: u32 = 6;
const DEV_STATUS: u32 = 7;
const DEV_WAIT: u32 = 8;
const TABLE_LOAD: u32 = 9;
const TABLE_CLEAR: u32 = 10;
const TABLE_DEPS: u32 = 11;
const TABLE_STATUS: u32 = 12;
const LIST_VERSIONS: u32 = 13;
const TARGET_MSG: u32 = 14;
const DEV_SET_GEOMETRY: u32 = 15;
const DEV_ARM_POLL: u32 = 16;

/// Decodes a device mapper request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    if cx.code & !0xff != 0xc138fd00 || cx.code & 0xff > DEV_ARM_POLL {
        return Rval::Plain;
    }
    let nr = cx.code & 0xff;
    let header = cx.read(cx.arg, HEADER).filter(|b| u32_at(b, 12) >= 12);
    let Some(b) = header else {
        // An unreadable header: the argument is shown as a number, at exit.
        return if cx.entering() {
            Rval::Exit
        } else {
            Rval::Plain
        };
    };
    if cx.entering() {
        out.push_str(", [");
    } else {
        // Unknown entry values (while recording) count as changed: no further memory is read.
        let changed = cx.entry_read(cx.arg, HEADER).is_none_or(|e| {
            [0, 4, 8, 12, 16, 28]
                .iter()
                .any(|&o| u32_at(&e, o) != u32_at(&b, o))
        });
        if cx.failed() && !changed {
            return Rval::Done;
        }
        out.push_str(" => [");
    }
    if header_into(cx, out, nr, &b) {
        payload(cx, out, nr, &b);
    }
    out.push(']');
    if cx.entering() {
        Rval::Exit
    } else {
        Rval::Done
    }
}

/// The header's fields; false when it is of an unknown version or too small for its fields.
fn header_into(cx: &Cx, out: &mut String, nr: u32, b: &[u8]) -> bool {
    let version = [u32_at(b, 0), u32_at(b, 4), u32_at(b, 8)];
    let _ = write!(
        out,
        "{{version=[{}, {}, {}]",
        version[0], version[1], version[2]
    );
    if version[0] != DM_VERSION_MAJOR {
        out.push_str(" /* unsupported device mapper ABI version */}");
        return false;
    }
    let data_size = u32_at(b, 12);
    let _ = write!(out, ", data_size={data_size}");
    if (data_size as usize) < HEADER {
        out.push_str(" /* data_size too small */}");
        return false;
    }
    let has_params = !matches!(
        nr,
        VERSION
            | REMOVE_ALL
            | DEV_CREATE
            | DEV_REMOVE
            | DEV_SUSPEND
            | DEV_STATUS
            | TABLE_CLEAR
            | DEV_ARM_POLL
    );
    if has_params {
        let _ = write!(out, ", data_start={}", u32_at(b, 16));
    }
    if !matches!(nr, REMOVE_ALL | LIST_DEVICES | LIST_VERSIONS) {
        let dev = u64_at(b, 40);
        if dev != 0 {
            out.push_str(", dev=");
            makedev_into(out, dev);
        }
        if b[48] != 0 {
            out.push_str(", name=");
            cstring_field(out, &b[48..176], cx.opts);
        }
        if b[176] != 0 {
            out.push_str(", uuid=");
            cstring_field(out, &b[176..305], cx.opts);
        }
    }
    let flags = u32_at(b, 28);
    if cx.entering() {
        match nr {
            TABLE_LOAD => {
                let _ = write!(out, ", target_count={}", u32_at(b, 20));
            }
            DEV_SUSPEND if flags & DM_SUSPEND_FLAG != 0 => {}
            DEV_SUSPEND | DEV_RENAME | DEV_REMOVE | DEV_WAIT => {
                let _ = write!(out, ", event_nr={}", u32_at(b, 32));
            }
            _ => {}
        }
    } else if !cx.failed()
        && matches!(
            nr,
            DEV_CREATE
                | DEV_RENAME
                | DEV_SUSPEND
                | DEV_STATUS
                | DEV_WAIT
                | TABLE_LOAD
                | TABLE_CLEAR
                | TABLE_DEPS
                | TABLE_STATUS
                | TARGET_MSG
        )
    {
        let _ = write!(
            out,
            ", target_count={}, open_count={}, event_nr={}",
            u32_at(b, 20),
            u32_at(b, 24) as i32,
            u32_at(b, 32)
        );
    }
    out.push_str(", flags=");
    xlat::flags(out, flags as u64, &FLAGS);
    out.push('}');
    true
}

/// The payload after the header: decoded under `-v` where implemented, else `, ...`.
fn payload(cx: &mut Cx, out: &mut String, nr: u32, b: &[u8]) {
    if cx.verbose() {
        let ok_exit = !cx.entering() && !cx.failed();
        match nr {
            TABLE_LOAD if cx.entering() => return target_specs(cx, out, b),
            DEV_WAIT | TABLE_STATUS if ok_exit => return target_specs(cx, out, b),
            TARGET_MSG if cx.entering() => return target_msg(cx, out, b),
            TARGET_MSG if ok_exit && u32_at(b, 28) & DM_DATA_OUT_FLAG != 0 => {
                return string(cx, out, b)
            }
            DEV_RENAME | DEV_SET_GEOMETRY if cx.entering() => return string(cx, out, b),
            _ => {}
        }
    }
    let ok_exit = !cx.entering() && !cx.failed();
    let has_data = u32_at(b, 16) != u32_at(b, 12);
    let more = match nr {
        DEV_WAIT | TABLE_STATUS => ok_exit && u32_at(b, 20) != 0,
        TABLE_LOAD => cx.entering() && u32_at(b, 20) != 0,
        TABLE_DEPS | LIST_DEVICES | LIST_VERSIONS => ok_exit && has_data,
        TARGET_MSG if cx.entering() => has_data,
        TARGET_MSG => ok_exit && u32_at(b, 28) & DM_DATA_OUT_FLAG != 0,
        DEV_RENAME | DEV_SET_GEOMETRY => cx.entering(),
        _ => false,
    };
    if more {
        out.push_str(", ...");
    }
}

/// The `struct dm_target_spec`s of a table, each followed by its parameter string.
fn target_specs(cx: &mut Cx, out: &mut String, b: &[u8]) {
    const SPEC: u32 = 40;
    let (data_size, count) = (u32_at(b, 12), u32_at(b, 20));
    let mut offset = u32_at(b, 16);
    let mut offset_end = 0u32;
    for i in 0..count {
        out.push_str(", ");
        if i > 0 && offset <= offset_end {
            out.push_str("??? /* misplaced struct dm_target_spec */");
            return;
        }
        offset_end = offset.wrapping_add(SPEC);
        if offset_end <= offset || offset_end > data_size {
            out.push_str("??? /* misplaced struct dm_target_spec */");
            return;
        }
        if i as usize >= cx.opts.strsize {
            out.push_str("...");
            return;
        }
        let Some(s) = cx.fetch(out, cx.arg + offset as u64, SPEC as usize) else {
            return;
        };
        let _ = write!(
            out,
            "{{sector_start={}, length={}",
            u64_at(&s, 0),
            u64_at(&s, 8)
        );
        if !cx.entering() {
            let _ = write!(out, ", status={}", u32_at(&s, 16) as i32);
        }
        out.push_str(", target_type=");
        cstring_field(out, &s[24..40], cx.opts);
        out.push_str(", string=");
        let (at, len) = (
            cx.arg + offset_end as u64,
            (data_size - offset_end) as usize,
        );
        cx.cstr_n_into(out, at, len);
        out.push('}');
        let next = u32_at(&s, 20);
        offset = if cx.entering() {
            offset.wrapping_add(next)
        } else {
            u32_at(b, 16).wrapping_add(next)
        };
    }
}

/// `struct dm_target_msg`: the sector and the message.
fn target_msg(cx: &mut Cx, out: &mut String, b: &[u8]) {
    let (data_size, offset) = (u32_at(b, 12), u32_at(b, 16));
    if offset == data_size {
        return;
    }
    out.push_str(", ");
    let offset_end = offset.wrapping_add(8);
    if offset_end <= offset || offset_end > data_size {
        out.push_str("??? /* misplaced struct dm_target_msg */");
        return;
    }
    let Some(s) = cx.fetch(out, cx.arg + offset as u64, 8) else {
        return;
    };
    let _ = write!(out, "{{sector={}, message=", u64_at(&s, 0));
    let (at, len) = (
        cx.arg + offset_end as u64,
        (data_size - offset_end) as usize,
    );
    cx.cstr_n_into(out, at, len);
    out.push('}');
}

/// A string payload (a new name, a geometry, a message's reply).
fn string(cx: &mut Cx, out: &mut String, b: &[u8]) {
    let (data_size, offset) = (u32_at(b, 12), u32_at(b, 16));
    out.push_str(", ");
    if offset > data_size {
        out.push_str("??? /* misplaced string */");
        return;
    }
    out.push_str("{string=");
    let (at, len) = (cx.arg + offset as u64, (data_size - offset) as usize);
    cx.cstr_n_into(out, at, len);
    out.push('}');
}
