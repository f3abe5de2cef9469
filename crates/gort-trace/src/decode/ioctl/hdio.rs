//! ATA/IDE disk ioctls (`linux/hdreg.h`, type 0x03).
//!
//! Design: the `HDIO_GET_*` settings are an `unsigned long` the kernel writes through the pointer,
//! the `HDIO_SET_*` ones the value itself; geometry and drive commands are structures, a drive
//! command's reply (status, error, sector count and the sectors read) written over its header.

use super::cx::{u16_at, u32_at, u64_at, Cx, Rval};
use super::tables::{HDIO_BUSSTATES, HDIO_DRIVE_CMDS, HDIO_IDE_NICE};
use crate::decode::structs::CHex;
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

const DRIVE_CMDS: Xlat = Xlat::hex(HDIO_DRIVE_CMDS, "ATA_CMD_???");
const BUSSTATES: Xlat = Xlat::wide(HDIO_BUSSTATES, "BUSSTATE_???");
const IDE_NICE: Xlat = Xlat::wide(HDIO_IDE_NICE, "IDE_NICE_???");

/// Decodes one phase of an HDIO request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    let arg = cx.arg;
    match cx.code {
        // HDIO_GETGEO
        0x0301 => {
            if cx.entering() {
                out.push_str(", ");
                return Rval::Exit;
            }
            if let Some(b) = cx.fetch(out, arg, 16) {
                let _ = write!(
                    out,
                    "{{heads={}, sectors={}, cylinders={}, start={}}}",
                    b[0],
                    b[1],
                    u16_at(&b, 2),
                    u64_at(&b, 8)
                );
            }
            Rval::Done
        }
        // HDIO_DRIVE_CMD
        0x031f => drive_cmd(cx, out),
        // HDIO_DRIVE_RESET, HDIO_SCAN_HWIF: three ints.
        0x031c | 0x0328 => {
            out.push_str(", ");
            cx.array_into(out, arg, 3, 4, |_, out, b| {
                let _ = write!(out, "{}", CHex(u32_at(b, 0) as u64));
                true
            });
            Rval::Done
        }
        // HDIO_GET_32BIT, _ACOUSTIC, _ADDRESS, _DMA, _KEEPSETTINGS, _MULTCOUNT, _NOWERR,
        // _UNMASKINTR, _WCACHE
        0x0309 | 0x030f | 0x0310 | 0x030b | 0x0308 | 0x0304 | 0x030a | 0x0302 | 0x030e => {
            if cx.entering() {
                out.push_str(", ");
                return Rval::Exit;
            }
            cx.ulong_into(out, arg);
            Rval::Done
        }
        // HDIO_GET_NICE, HDIO_GET_BUSSTATE
        0x030c | 0x031a => {
            if cx.entering() {
                out.push_str(", ");
                return Rval::Exit;
            }
            if let Some(b) = cx.fetch(out, arg, 8) {
                out.push('[');
                if cx.code == 0x030c {
                    xlat::flags(out, u64_at(&b, 0), &IDE_NICE);
                } else {
                    xlat::value(out, u64_at(&b, 0), &BUSSTATES);
                }
                out.push(']');
            }
            Rval::Done
        }
        // HDIO_GET_IDENTITY (512 bytes), HDIO_OBSOLETE_IDENTITY (142 bytes)
        0x030d | 0x0307 => {
            if cx.entering() {
                out.push_str(", ");
                return Rval::Exit;
            }
            if cx.failed() {
                super::cx::addr_into(out, arg);
            } else {
                let len = if cx.code == 0x030d { 512 } else { 142 };
                cx.str_into(out, arg, len);
            }
            Rval::Done
        }
        // HDIO_SET_32BIT, _ACOUSTIC, _ADDRESS, _DMA, _KEEPSETTINGS, _MULTCOUNT, _NOWERR,
        // _PIO_MODE, _UNMASKINTR, _WCACHE, HDIO_UNREGISTER_HWIF
        0x0324 | 0x032c | 0x032f | 0x0326 | 0x0323 | 0x0321 | 0x0325 | 0x0327 | 0x0322 | 0x032b
        | 0x032a => {
            let _ = write!(out, ", {arg}");
            Rval::Done
        }
        // HDIO_SET_NICE
        0x0329 => {
            out.push_str(", ");
            xlat::flags(out, arg, &IDE_NICE);
            Rval::Done
        }
        // HDIO_SET_BUSSTATE
        0x032d => {
            out.push_str(", ");
            xlat::value(out, arg, &BUSSTATES);
            Rval::Done
        }
        _ => Rval::Plain,
    }
}

/// `HDIO_DRIVE_CMD`: the command header at entry, the reply written over it at exit.
fn drive_cmd(cx: &mut Cx, out: &mut String) -> Rval {
    const SECTOR: usize = 512;
    let arg = cx.arg;
    if cx.entering() {
        out.push_str(", ");
        let Some(b) = cx.fetch(out, arg, 4) else {
            return Rval::Done;
        };
        out.push_str("{command=");
        xlat::value(out, b[0] as u64, &DRIVE_CMDS);
        let _ = write!(
            out,
            ", sector_number={}, feature={}, sector_count={}}}",
            b[1], b[2], b[3]
        );
        return Rval::Exit;
    }
    // EIO still fills the reply.
    if cx.failed() && cx.errno() != Some(5) {
        return Rval::Done;
    }
    let Some(b) = cx.read(arg, 4) else {
        return Rval::Done;
    };
    let _ = write!(
        out,
        " => {{status={}, error={}, nsector={}",
        CHex(b[0] as u64),
        b[1],
        b[2]
    );
    if b[3] != 0 {
        out.push_str(", buf=");
        cx.str_ex_into(out, arg + 4, b[3] as usize * SECTOR, true);
    }
    out.push('}');
    Rval::Done
}
