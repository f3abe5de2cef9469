//! `quotactl(cmd, special, id, addr)` and `quotactl_fd(fd, cmd, id, addr)`.
//!
//! Design: one walker for both (see `walk.rs`); they differ only in how the filesystem is named. The
//! command word is shown as `QCMD(Q_GETQUOTA, USRQUOTA)`, and the command decides the rest: whether
//! the id is shown, and whether `addr` is a path, a format, a flag word or one of the quota structures
//! (printed at entry when the kernel reads it, at exit when it fills it; abbreviated to their first
//! fields without `-v`). Layouts are `<linux/quota.h>`'s and `<linux/dqblk_xfs.h>`'s.

use super::walk::{le16, le32, le64, ptr, Call};
use super::xlat::{self, Style, Xlat};
use std::fmt::Write;

const fn new_cmd(c: u64) -> u64 {
    c | 0x800000
}
const fn old_cmd(c: u64) -> u64 {
    c << 8
}
const fn xqm_cmd(c: u64) -> u64 {
    (b'X' as u64) << 8 | c
}

const Q_SYNC: u64 = new_cmd(1);
const Q_QUOTAON: u64 = new_cmd(2);
const Q_QUOTAOFF: u64 = new_cmd(3);
const Q_GETFMT: u64 = new_cmd(4);
const Q_GETINFO: u64 = new_cmd(5);
const Q_SETINFO: u64 = new_cmd(6);
const Q_GETQUOTA: u64 = new_cmd(7);
const Q_SETQUOTA: u64 = new_cmd(8);
const Q_GETNEXTQUOTA: u64 = new_cmd(9);
const Q_XQUOTAON: u64 = xqm_cmd(1);
const Q_XQUOTAOFF: u64 = xqm_cmd(2);
const Q_XGETQUOTA: u64 = xqm_cmd(3);
const Q_XSETQLIM: u64 = xqm_cmd(4);
const Q_XGETQSTAT: u64 = xqm_cmd(5);
const Q_XQUOTARM: u64 = xqm_cmd(6);
const Q_XQUOTASYNC: u64 = xqm_cmd(7);
const Q_XGETQSTATV: u64 = xqm_cmd(8);
const Q_XGETNEXTQUOTA: u64 = xqm_cmd(9);

const QUOTA_CMDS: Xlat = Xlat::hex(
    &[
        (old_cmd(0x1), "Q_V1_QUOTAON"),
        (old_cmd(0x2), "Q_V1_QUOTAOFF"),
        (old_cmd(0x3), "Q_V1_GETQUOTA"),
        (old_cmd(0x4), "Q_V1_SETQUOTA"),
        (old_cmd(0x5), "Q_V1_SETUSE"),
        (old_cmd(0x6), "Q_V1_SYNC"),
        (old_cmd(0x7), "Q_SETQLIM"),
        (old_cmd(0x8), "Q_V1_GETSTATS"),
        (old_cmd(0x10), "Q_V1_RSQUASH"),
        (old_cmd(0xD), "Q_V2_GETQUOTA"),
        (old_cmd(0xE), "Q_V2_SETQUOTA"),
        (old_cmd(0xF), "Q_V2_SETUSE"),
        (old_cmd(0x9), "Q_V2_GETINFO"),
        (old_cmd(0xA), "Q_V2_SETINFO"),
        (old_cmd(0xB), "Q_V2_SETGRACE"),
        (old_cmd(0xC), "Q_V2_SETFLAGS"),
        (old_cmd(0x11), "Q_V2_GETSTATS"),
        (Q_SYNC, "Q_SYNC"),
        (Q_QUOTAON, "Q_QUOTAON"),
        (Q_QUOTAOFF, "Q_QUOTAOFF"),
        (Q_GETFMT, "Q_GETFMT"),
        (Q_GETINFO, "Q_GETINFO"),
        (Q_SETINFO, "Q_SETINFO"),
        (Q_GETQUOTA, "Q_GETQUOTA"),
        (Q_SETQUOTA, "Q_SETQUOTA"),
        (Q_GETNEXTQUOTA, "Q_GETNEXTQUOTA"),
        (Q_XQUOTAON, "Q_XQUOTAON"),
        (Q_XQUOTAOFF, "Q_XQUOTAOFF"),
        (Q_XGETQUOTA, "Q_XGETQUOTA"),
        (Q_XSETQLIM, "Q_XSETQLIM"),
        (Q_XGETQSTAT, "Q_XGETQSTAT"),
        (Q_XQUOTARM, "Q_XQUOTARM"),
        (Q_XQUOTASYNC, "Q_XQUOTASYNC"),
        (Q_XGETQSTATV, "Q_XGETQSTATV"),
        (Q_XGETNEXTQUOTA, "Q_XGETNEXTQUOTA"),
    ],
    "Q_???",
);

const QUOTA_TYPES: Xlat = Xlat::hex(
    &[(0, "USRQUOTA"), (1, "GRPQUOTA"), (2, "PRJQUOTA")],
    "???QUOTA",
);

const QUOTA_FORMATS: Xlat = Xlat::hex(
    &[
        (1, "QFMT_VFS_OLD"),
        (2, "QFMT_VFS_V0"),
        (3, "QFMT_OCFS2"),
        (4, "QFMT_VFS_V1"),
    ],
    "QFMT_VFS_???",
);

const DQBLK_VALID: Xlat = Xlat::hex(
    &[
        (1, "QIF_BLIMITS"),
        (2, "QIF_SPACE"),
        (4, "QIF_ILIMITS"),
        (8, "QIF_INODES"),
        (16, "QIF_BTIME"),
        (32, "QIF_ITIME"),
    ],
    "QIF_???",
);

const DQINFO_FLAGS: Xlat = Xlat::hex(
    &[(1, "DQF_ROOT_SQUASH"), (1 << 16, "DQF_SYS_FILE")],
    "DQF_???",
);

const DQINFO_VALID: Xlat = Xlat::hex(
    &[(1, "IIF_BGRACE"), (2, "IIF_IGRACE"), (4, "IIF_FLAGS")],
    "IIF_???",
);

const XFS_DQBLK_FLAGS: Xlat = Xlat::hex(
    &[
        (1, "FS_USER_QUOTA"),
        (2, "FS_PROJ_QUOTA"),
        (4, "FS_GROUP_QUOTA"),
    ],
    "FS_???_QUOTA",
);

const XFS_QUOTA_FLAGS: Xlat = Xlat::hex(
    &[
        (1, "FS_QUOTA_UDQ_ACCT"),
        (2, "FS_QUOTA_UDQ_ENFD"),
        (4, "FS_QUOTA_GDQ_ACCT"),
        (8, "FS_QUOTA_GDQ_ENFD"),
        (0x10, "FS_QUOTA_PDQ_ACCT"),
        (0x20, "FS_QUOTA_PDQ_ENFD"),
    ],
    "FS_QUOTA_???",
);

/// Sizes of `if_dqblk` (packed), `if_nextdqblk`, `if_dqinfo`, `fs_disk_quota`, `fs_quota_stat` and
/// `fs_quota_statv`.
const DQBLK_SIZE: usize = 68;
const NEXTDQBLK_SIZE: usize = 72;
const DQINFO_SIZE: usize = 24;
const DISK_QUOTA_SIZE: usize = 112;
const QUOTA_STAT_SIZE: usize = 80;
const QUOTA_STATV_SIZE: usize = 160;

/// `quotactl(cmd, special, id, addr)`.
pub fn quotactl(call: &mut Call<'_>, out: &mut String) {
    let [qcmd, special, id, addr, ..] = call.args;
    if !call.exiting() {
        qcmd_into(out, qcmd as u32);
        out.push_str(", ");
        call.path(out, special);
    }
    data(call, out, id as u32, qcmd as u32 >> 8, addr);
}

/// `quotactl_fd(fd, cmd, id, addr)`.
pub fn quotactl_fd(call: &mut Call<'_>, out: &mut String) {
    let [fd, qcmd, id, addr, ..] = call.args;
    if !call.exiting() {
        call.fd(out, fd as i32);
        out.push_str(", ");
        qcmd_into(out, qcmd as u32);
    }
    data(call, out, id as u32, qcmd as u32 >> 8, addr);
}

/// `QCMD(Q_GETQUOTA, USRQUOTA)`; the number under `-X raw`, both under `-X verbose`. The names inside
/// are always abbreviated.
fn qcmd_into(out: &mut String, qcmd: u32) {
    let style = xlat::style();
    if style != Style::Abbrev {
        let _ = write!(out, "{qcmd}");
    }
    if style == Style::Raw {
        return;
    }
    if style == Style::Verbose {
        out.push_str(" /* ");
    }
    out.push_str("QCMD(");
    abbrev_value(out, (qcmd >> 8) as u64, &QUOTA_CMDS);
    out.push_str(", ");
    abbrev_value(out, (qcmd & 0xff) as u64, &QUOTA_TYPES);
    out.push(')');
    if style == Style::Verbose {
        out.push_str(" */");
    }
}

/// A value's name, or the number with the unknown-value comment, whatever `-X` says.
fn abbrev_value(out: &mut String, v: u64, x: &Xlat) {
    match x.name(v) {
        Some(n) => out.push_str(n),
        None => {
            let _ = write!(out, "{} /* {} */", super::structs::CHex(v), x.unknown);
        }
    }
}

/// A quota id: `-1` or unsigned.
fn id_into(out: &mut String, id: u32) {
    if id == u32::MAX {
        out.push_str("-1");
    } else {
        let _ = write!(out, "{id}");
    }
}

/// What follows the filesystem, by command.
fn data(call: &mut Call<'_>, out: &mut String, id: u32, cmd: u32, addr: u64) {
    let entering = !call.exiting();
    let verbose = call.opts.verbose;
    match cmd as u64 {
        Q_QUOTAOFF | Q_SYNC | Q_XQUOTASYNC => {}
        Q_QUOTAON => {
            if entering {
                out.push_str(", ");
                xlat::value(out, id as u64, &QUOTA_FORMATS);
                out.push_str(", ");
                call.path(out, addr);
            }
        }
        c @ (Q_GETQUOTA | Q_SETQUOTA | Q_GETNEXTQUOTA | Q_XGETQUOTA | Q_XGETNEXTQUOTA
        | Q_XSETQLIM) => {
            let filled = !matches!(c, Q_SETQUOTA | Q_XSETQLIM);
            if entering {
                out.push_str(", ");
                id_into(out, id);
                out.push_str(", ");
            }
            if entering == filled {
                return;
            }
            match c {
                Q_XGETQUOTA | Q_XGETNEXTQUOTA | Q_XSETQLIM => {
                    if let Some(b) = call.umove(out, addr, DISK_QUOTA_SIZE) {
                        disk_quota(out, &b, verbose);
                    }
                }
                Q_GETNEXTQUOTA => {
                    if let Some(b) = call.umove(out, addr, NEXTDQBLK_SIZE) {
                        dqblk(out, &b, verbose, true);
                    }
                }
                _ => {
                    if let Some(b) = call.umove(out, addr, DQBLK_SIZE) {
                        dqblk(out, &b, verbose, false);
                    }
                }
            }
        }
        Q_GETFMT => {
            if entering {
                out.push_str(", ");
            } else if let Some(b) = call.umove(out, addr, 4) {
                out.push('[');
                xlat::value(out, le32(&b, 0) as u64, &QUOTA_FORMATS);
                out.push(']');
            }
        }
        c @ (Q_GETINFO | Q_SETINFO) => {
            if entering {
                out.push_str(", ");
            }
            if entering == (c == Q_GETINFO) {
                return;
            }
            if let Some(b) = call.umove(out, addr, DQINFO_SIZE) {
                let _ = write!(
                    out,
                    "{{dqi_bgrace={}, dqi_igrace={}, dqi_flags=",
                    le64(&b, 0),
                    le64(&b, 8)
                );
                xlat::flags(out, le32(&b, 16) as u64, &DQINFO_FLAGS);
                out.push_str(", dqi_valid=");
                xlat::flags(out, le32(&b, 20) as u64, &DQINFO_VALID);
                out.push('}');
            }
        }
        c @ (Q_XGETQSTAT | Q_XGETQSTATV) => {
            if entering {
                out.push_str(", ");
                return;
            }
            let size = if c == Q_XGETQSTAT {
                QUOTA_STAT_SIZE
            } else {
                QUOTA_STATV_SIZE
            };
            if let Some(b) = call.umove(out, addr, size) {
                quota_stat(out, &b, verbose, c == Q_XGETQSTATV);
            }
        }
        c @ (Q_XQUOTAON | Q_XQUOTAOFF | Q_XQUOTARM) => {
            if !entering {
                return;
            }
            out.push_str(", ");
            if let Some(b) = call.umove(out, addr, 4) {
                let table = if c == Q_XQUOTARM {
                    &XFS_DQBLK_FLAGS
                } else {
                    &XFS_QUOTA_FLAGS
                };
                out.push('[');
                xlat::flags(out, le32(&b, 0) as u64, table);
                out.push(']');
            }
        }
        _ => {
            if entering {
                out.push_str(", ");
                id_into(out, id);
                out.push_str(", ");
                ptr(out, addr);
            }
        }
    }
}

/// `struct if_dqblk` / `if_nextdqblk`.
fn dqblk(out: &mut String, b: &[u8], verbose: bool, next: bool) {
    let names = [
        "dqb_bhardlimit",
        "dqb_bsoftlimit",
        "dqb_curspace",
        "dqb_ihardlimit",
        "dqb_isoftlimit",
        "dqb_curinodes",
    ];
    for (i, n) in names.iter().enumerate() {
        out.push_str(if i == 0 { "{" } else { ", " });
        let _ = write!(out, "{n}={}", le64(b, 8 * i));
    }
    if verbose {
        let _ = write!(
            out,
            ", dqb_btime={}, dqb_itime={}, dqb_valid=",
            le64(b, 48),
            le64(b, 56)
        );
        xlat::flags(out, le32(b, 64) as u64, &DQBLK_VALID);
    }
    if next {
        let _ = write!(out, ", dqb_id={}", le32(b, 68));
    }
    if !verbose {
        out.push_str(", ...");
    }
    out.push('}');
}

/// `fs_disk_quota_t`.
fn disk_quota(out: &mut String, b: &[u8], verbose: bool) {
    let _ = write!(out, "{{d_version={}, d_flags=", b[0] as i8);
    xlat::flags(out, b[1] as u64, &XFS_DQBLK_FLAGS);
    let _ = write!(
        out,
        ", d_fieldmask={}, d_id={}",
        super::structs::CHex(le16(b, 2) as u64),
        le32(b, 4)
    );
    let names = [
        "d_blk_hardlimit",
        "d_blk_softlimit",
        "d_ino_hardlimit",
        "d_ino_softlimit",
        "d_bcount",
        "d_icount",
    ];
    for (i, n) in names.iter().enumerate() {
        let _ = write!(out, ", {n}={}", le64(b, 8 + 8 * i));
    }
    if verbose {
        let _ = write!(
            out,
            ", d_itimer={}, d_btimer={}, d_iwarns={}, d_bwarns={}, d_rtb_hardlimit={}, \
             d_rtb_softlimit={}, d_rtbcount={}, d_rtbtimer={}, d_rtbwarns={}",
            le32(b, 56) as i32,
            le32(b, 60) as i32,
            le16(b, 64),
            le16(b, 66),
            le64(b, 72),
            le64(b, 80),
            le64(b, 88),
            le32(b, 96) as i32,
            le16(b, 100)
        );
    } else {
        out.push_str(", ...");
    }
    out.push('}');
}

/// `fs_quota_stat_t` or, for `Q_XGETQSTATV`, `struct fs_quota_statv`.
fn quota_stat(out: &mut String, b: &[u8], verbose: bool, v: bool) {
    let _ = write!(out, "{{qs_version={}", b[0] as i8);
    if !verbose {
        out.push_str(", ...}");
        return;
    }
    out.push_str(", qs_flags=");
    xlat::flags(out, le16(b, 2) as u64, &XFS_QUOTA_FLAGS);
    let file = |out: &mut String, name: &str, off: usize| {
        let _ = write!(
            out,
            ", {name}={{qfs_ino={}, qfs_nblks={}, qfs_nextents={}}}",
            le64(b, off),
            le64(b, off + 8),
            le32(b, off + 16)
        );
    };
    let limits = |out: &mut String, off: usize| {
        let _ = write!(
            out,
            ", qs_btimelimit={}, qs_itimelimit={}, qs_rtbtimelimit={}, qs_bwarnlimit={}, \
             qs_iwarnlimit={}}}",
            le32(b, off) as i32,
            le32(b, off + 4) as i32,
            le32(b, off + 8) as i32,
            le16(b, off + 12),
            le16(b, off + 14)
        );
    };
    if v {
        let _ = write!(out, ", qs_incoredqs={}", le32(b, 4));
        file(out, "qs_uquota", 8);
        file(out, "qs_gquota", 32);
        file(out, "qs_pquota", 56);
        limits(out, 80);
    } else {
        file(out, "qs_uquota", 8);
        file(out, "qs_gquota", 32);
        let _ = write!(out, ", qs_incoredqs={}", le32(b, 56));
        limits(out, 60);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_word_is_split_into_command_and_quota_type() {
        let mut s = String::new();
        qcmd_into(&mut s, ((Q_GETQUOTA as u32) << 8) | 1);
        assert_eq!(s, "QCMD(Q_GETQUOTA, GRPQUOTA)");
        let mut s = String::new();
        qcmd_into(&mut s, 0xbadc0ded);
        assert_eq!(s, "QCMD(0xbadc0d /* Q_??? */, 0xed /* ???QUOTA */)");
    }
}
