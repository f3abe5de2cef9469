//! System V IPC: message queues (`msgget`, `msgsnd`, `msgrcv`, `msgctl`), semaphores (`semget`,
//! `semop`, `semtimedop`, `semctl`) and shared memory (`shmget`, `shmat`, `shmdt`, `shmctl`).
//!
//! Design: one walker (see `walk.rs`) per syscall. The `*ctl` calls print the structure the kernel
//! reads (`IPC_SET`) at entry and the ones it fills (`IPC_STAT`, `*_INFO`) at exit; every other command
//! shows its argument as an address. Keys, permission flags and modes are printed the way strace does:
//! `IPC_PRIVATE`, `IPC_CREAT|IPC_EXCL|0600`, with `shmget`'s huge-page size as `21<<SHM_HUGE_SHIFT`.
//! Layouts are x86_64's `ipc64_perm`, `msqid64_ds`, `semid64_ds` and `shmid64_ds`.

use super::structs::octal_into;
use super::walk::{le16, le32, le64, ptr, Call};
use super::xlat::{self, Xlat};
use std::fmt::Write;

const IPC_PRIVATE: Xlat = Xlat::hex(&[(0, "IPC_PRIVATE")], "");

const RESOURCE: Xlat = Xlat::hex(
    &[
        (0o1000, "IPC_CREAT"),
        (0o2000, "IPC_EXCL"),
        (0o4000, "IPC_NOWAIT"),
    ],
    "",
);

const SHM_RESOURCE: Xlat = Xlat::hex(
    &[
        (0o1000, "IPC_CREAT"),
        (0o2000, "IPC_EXCL"),
        (0o4000, "SHM_HUGETLB"),
        (0o10000, "SHM_NORESERVE"),
    ],
    "",
);

const MSG_FLAGS: Xlat = Xlat::hex(
    &[
        (0o10000, "MSG_NOERROR"),
        (0o20000, "MSG_EXCEPT"),
        (0o40000, "MSG_COPY"),
        (0o4000, "IPC_NOWAIT"),
    ],
    "MSG_???",
);

const SHM_FLAGS: Xlat = Xlat::hex(
    &[
        (0o10000, "SHM_RDONLY"),
        (0o20000, "SHM_RND"),
        (0o40000, "SHM_REMAP"),
        (0o100000, "SHM_EXEC"),
    ],
    "SHM_???",
);

const SEMOP_FLAGS: Xlat = Xlat::hex(&[(0x1000, "SEM_UNDO"), (0o4000, "IPC_NOWAIT")], "SEM_???");

const MSGCTL: Xlat = Xlat::hex(
    &[
        (0, "IPC_RMID"),
        (1, "IPC_SET"),
        (2, "IPC_STAT"),
        (3, "IPC_INFO"),
        (11, "MSG_STAT"),
        (12, "MSG_INFO"),
        (13, "MSG_STAT_ANY"),
    ],
    "MSG_???",
);

const SEMCTL: Xlat = Xlat::hex(
    &[
        (0, "IPC_RMID"),
        (1, "IPC_SET"),
        (2, "IPC_STAT"),
        (3, "IPC_INFO"),
        (11, "GETPID"),
        (12, "GETVAL"),
        (13, "GETALL"),
        (14, "GETNCNT"),
        (15, "GETZCNT"),
        (16, "SETVAL"),
        (17, "SETALL"),
        (18, "SEM_STAT"),
        (19, "SEM_INFO"),
        (20, "SEM_STAT_ANY"),
    ],
    "SEM_???",
);

const SHMCTL: Xlat = Xlat::hex(
    &[
        (0, "IPC_RMID"),
        (1, "IPC_SET"),
        (2, "IPC_STAT"),
        (3, "IPC_INFO"),
        (11, "SHM_LOCK"),
        (12, "SHM_UNLOCK"),
        (13, "SHM_STAT"),
        (14, "SHM_INFO"),
        (15, "SHM_STAT_ANY"),
    ],
    "SHM_???",
);

const IPC_64: u64 = 0x100;
const IPC_SET: u32 = 1;
const IPC_STAT: u32 = 2;
const IPC_INFO: u32 = 3;
const SHM_HUGE_SHIFT: u32 = 26;
const SHM_HUGE_MASK: u32 = 0x3f << SHM_HUGE_SHIFT;

const MSQID_DS_SIZE: usize = 120;
const MSGINFO_SIZE: usize = 32;
const SEMID_DS_SIZE: usize = 104;
const SEMINFO_SIZE: usize = 40;
const SEMBUF_SIZE: usize = 6;
const SHMID_DS_SIZE: usize = 112;
const SHMINFO_SIZE: usize = 72;
const SHM_INFO_SIZE: usize = 48;

/// An IPC key: `IPC_PRIVATE` or the number.
fn key(out: &mut String, v: u64) {
    let v = v & 0xffff_ffff;
    if v == 0 {
        xlat::value(out, v, &IPC_PRIVATE);
    } else {
        let _ = write!(out, "{v:#x}");
    }
}

/// Permission flags and mode: `IPC_CREAT|0600`, or the mode alone when no flag is set.
fn flags_mode(out: &mut String, v: u64, table: &Xlat) {
    let flags = v & 0xffff_ffff & !0o777;
    if flags != 0 {
        xlat::flags(out, flags, table);
        out.push('|');
    }
    octal_into(out, v & 0o777);
}

/// A `*ctl` command: `IPC_64|IPC_STAT` style.
fn ctl_cmd(out: &mut String, v: u64, table: &Xlat) {
    if v & IPC_64 != 0 {
        xlat::composed(out, IPC_64, "IPC_64");
        out.push('|');
    }
    xlat::value(out, v & !IPC_64, table);
}

/// A user or group id: `-1` for "none", otherwise unsigned.
fn id(out: &mut String, v: u32) {
    if v == u32::MAX {
        out.push_str("-1");
    } else {
        let _ = write!(out, "{v}");
    }
}

/// `{uid=0, gid=0, mode=0600, key=0, cuid=0, cgid=0}`: the last three only when the kernel reports
/// them (not for `IPC_SET`).
fn perm(out: &mut String, b: &[u8], cmd: u32) {
    out.push_str("{uid=");
    id(out, le32(b, 4));
    out.push_str(", gid=");
    id(out, le32(b, 8));
    out.push_str(", mode=");
    octal_into(out, le32(b, 20) as u64);
    if cmd != IPC_SET {
        let _ = write!(out, ", key={}, cuid=", le32(b, 0));
        id(out, le32(b, 12));
        out.push_str(", cgid=");
        id(out, le32(b, 16));
    }
    out.push('}');
}

/// Whether a `*ctl` command's structure is printed at exit (its other commands print at entry).
fn filled_by_kernel(cmd: u32, stats: &[u32]) -> bool {
    cmd == IPC_STAT || cmd == IPC_INFO || stats.contains(&cmd)
}

/// `msgget(key, msgflg)`.
pub fn msgget(call: &mut Call<'_>, out: &mut String) {
    if call.exiting() {
        return;
    }
    key(out, call.args[0]);
    out.push_str(", ");
    flags_mode(out, call.args[1], &RESOURCE);
}

/// `{mtype=1, mtext="..."}` for a message of `count` bytes at `addr`.
fn msgbuf(call: &mut Call<'_>, out: &mut String, addr: u64, count: u64) {
    // The structure is the type and the first byte of text, padded to 16 bytes.
    if let Some(b) = call.bytes(addr, 16) {
        let _ = write!(out, "{{mtype={}, mtext=", le64(&b, 0) as i64);
        call.buf(out, addr + 8, count);
        out.push('}');
    } else {
        ptr(out, addr);
    }
}

/// `msgsnd(msqid, msgp, msgsz, msgflg)`.
pub fn msgsnd(call: &mut Call<'_>, out: &mut String) {
    if call.exiting() {
        return;
    }
    let [q, addr, count, flags, ..] = call.args;
    let _ = write!(out, "{}, ", q as i32);
    msgbuf(call, out, addr, count);
    let _ = write!(out, ", {count}, ");
    xlat::flags(out, flags, &MSG_FLAGS);
}

/// `msgrcv(msqid, msgp, msgsz, msgtyp, msgflg)`: the message is printed once received.
pub fn msgrcv(call: &mut Call<'_>, out: &mut String) {
    let [q, addr, count, typ, flags, _] = call.args;
    if !call.exiting() {
        let _ = write!(out, "{}, ", q as i32);
        return;
    }
    msgbuf(call, out, addr, count);
    let _ = write!(out, ", {count}, {}, ", typ as i64);
    xlat::flags(out, flags, &MSG_FLAGS);
}

/// `msgctl(msqid, cmd, buf)`.
pub fn msgctl(call: &mut Call<'_>, out: &mut String) {
    let [q, cmd_arg, addr, ..] = call.args;
    let cmd = (cmd_arg & !IPC_64) as u32;
    let at_exit = filled_by_kernel(cmd, &[11, 13, 12]);
    if !call.exiting() {
        let _ = write!(out, "{}, ", q as i32);
        ctl_cmd(out, cmd_arg & 0xffff_ffff, &MSGCTL);
        out.push_str(", ");
        match cmd {
            IPC_SET => msqid_ds(call, out, addr, cmd),
            _ if at_exit => {}
            _ => ptr(out, addr),
        }
        return;
    }
    match cmd {
        IPC_INFO | 12 => {
            if let Some(b) = call.umove(out, addr, MSGINFO_SIZE) {
                out.push('{');
                let names = [
                    "msgpool", "msgmap", "msgmax", "msgmnb", "msgmni", "msgssz", "msgtql",
                ];
                for (i, n) in names.iter().enumerate() {
                    let _ = write!(out, "{n}={}, ", le32(&b, 4 * i) as i32);
                }
                let _ = write!(out, "msgseg={}}}", le16(&b, 28));
            }
        }
        _ if at_exit => msqid_ds(call, out, addr, cmd),
        _ => {}
    }
}

fn msqid_ds(call: &mut Call<'_>, out: &mut String, addr: u64, cmd: u32) {
    let Some(b) = call.umove(out, addr, MSQID_DS_SIZE) else {
        return;
    };
    out.push_str("{msg_perm=");
    perm(out, &b, cmd);
    if cmd != IPC_SET {
        let _ = write!(
            out,
            ", msg_stime={}, msg_rtime={}, msg_ctime={}, msg_qnum={}",
            le64(&b, 48),
            le64(&b, 56),
            le64(&b, 64),
            le64(&b, 80)
        );
    }
    let _ = write!(out, ", msg_qbytes={}", le64(&b, 88));
    if cmd != IPC_SET {
        let _ = write!(
            out,
            ", msg_lspid={}, msg_lrpid={}",
            le32(&b, 96) as i32,
            le32(&b, 100) as i32
        );
    }
    out.push('}');
}

/// `semget(key, nsems, semflg)`.
pub fn semget(call: &mut Call<'_>, out: &mut String) {
    if call.exiting() {
        return;
    }
    key(out, call.args[0]);
    let _ = write!(out, ", {}, ", call.args[1] as i32);
    flags_mode(out, call.args[2], &RESOURCE);
}

/// `[{sem_num=0, sem_op=-1, sem_flg=SEM_UNDO}], 1`.
fn sembufs(call: &mut Call<'_>, out: &mut String, addr: u64, count: u64) {
    let count = count & 0xffff_ffff;
    call.array(out, addr, count, SEMBUF_SIZE, &mut |_, out, b| {
        let _ = write!(
            out,
            "{{sem_num={}, sem_op={}, sem_flg=",
            le16(b, 0),
            le16(b, 2) as i16
        );
        xlat::flags(out, le16(b, 4) as u64, &SEMOP_FLAGS);
        out.push('}');
    });
    let _ = write!(out, ", {count}");
}

/// `semop(semid, sops, nsops)`.
pub fn semop(call: &mut Call<'_>, out: &mut String) {
    if call.exiting() {
        return;
    }
    let _ = write!(out, "{}, ", call.args[0] as i32);
    sembufs(call, out, call.args[1], call.args[2]);
}

/// `semtimedop(semid, sops, nsops, timeout)`.
pub fn semtimedop(call: &mut Call<'_>, out: &mut String) {
    if call.exiting() {
        return;
    }
    semop(call, out);
    out.push_str(", ");
    call.timespec(out, call.args[3]);
}

/// `semctl(semid, semnum, cmd, arg)`.
pub fn semctl(call: &mut Call<'_>, out: &mut String) {
    let [sem, num, cmd_arg, addr, ..] = call.args;
    let cmd = (cmd_arg & !IPC_64) as u32;
    let at_exit = filled_by_kernel(cmd, &[18, 19, 20]);
    if !call.exiting() {
        let _ = write!(out, "{}, {}, ", sem as i32, num as i32);
        ctl_cmd(out, cmd_arg & 0xffff_ffff, &SEMCTL);
        out.push_str(", ");
        match cmd {
            IPC_SET => semid_ds(call, out, addr, cmd),
            _ if at_exit => {}
            _ => ptr(out, addr),
        }
        return;
    }
    match cmd {
        IPC_INFO | 19 => {
            if let Some(b) = call.umove(out, addr, SEMINFO_SIZE) {
                let names = [
                    "semmap", "semmni", "semmns", "semmnu", "semmsl", "semopm", "semume", "semusz",
                    "semvmx", "semaem",
                ];
                for (i, n) in names.iter().enumerate() {
                    out.push_str(if i == 0 { "{" } else { ", " });
                    let _ = write!(out, "{n}={}", le32(&b, 4 * i) as i32);
                }
                out.push('}');
            }
        }
        _ if at_exit => semid_ds(call, out, addr, cmd),
        _ => {}
    }
}

fn semid_ds(call: &mut Call<'_>, out: &mut String, addr: u64, cmd: u32) {
    let Some(b) = call.bytes(addr, SEMID_DS_SIZE) else {
        ptr(out, addr);
        return;
    };
    out.push_str("{sem_perm=");
    perm(out, &b, cmd);
    if cmd != IPC_SET {
        let _ = write!(
            out,
            ", sem_otime={}, sem_ctime={}, sem_nsems={}",
            le64(&b, 48),
            le64(&b, 64),
            le64(&b, 80)
        );
    }
    out.push('}');
}

/// `shmget(key, size, shmflg)`.
pub fn shmget(call: &mut Call<'_>, out: &mut String) {
    if call.exiting() {
        return;
    }
    key(out, call.args[0]);
    let _ = write!(out, ", {}, ", call.args[1]);
    let all = call.args[2] as u32;
    let flags = all & !0o777 & !SHM_HUGE_MASK;
    let huge = all & SHM_HUGE_MASK;
    if flags != 0 {
        xlat::flags(out, flags as u64, &SHM_RESOURCE);
    }
    if huge != 0 {
        if flags != 0 {
            out.push('|');
        }
        let _ = write!(out, "{}<<", huge >> SHM_HUGE_SHIFT);
        xlat::composed_signed(out, SHM_HUGE_SHIFT as i64, "SHM_HUGE_SHIFT");
    }
    if flags != 0 || huge != 0 {
        out.push('|');
    }
    octal_into(out, (all & 0o777) as u64);
}

/// `shmat(shmid, shmaddr, shmflg)`.
pub fn shmat(call: &mut Call<'_>, out: &mut String) {
    if call.exiting() {
        return;
    }
    let _ = write!(out, "{}, ", call.args[0] as i32);
    ptr(out, call.args[1]);
    out.push_str(", ");
    xlat::flags(out, call.args[2], &SHM_FLAGS);
}

/// `shmdt(shmaddr)`.
pub fn shmdt(call: &mut Call<'_>, out: &mut String) {
    if !call.exiting() {
        ptr(out, call.args[0]);
    }
}

/// `shmctl(shmid, cmd, buf)`.
pub fn shmctl(call: &mut Call<'_>, out: &mut String) {
    let [shm, cmd_arg, addr, ..] = call.args;
    let cmd = (cmd_arg & !IPC_64) as u32;
    let at_exit = filled_by_kernel(cmd, &[13, 14, 15]);
    if !call.exiting() {
        let _ = write!(out, "{}, ", shm as i32);
        ctl_cmd(out, cmd_arg & 0xffff_ffff, &SHMCTL);
        out.push_str(", ");
        match cmd {
            IPC_SET => shmid_ds(call, out, addr, cmd),
            _ if at_exit => {}
            _ => ptr(out, addr),
        }
        return;
    }
    match cmd {
        IPC_INFO => {
            if let Some(b) = call.umove(out, addr, SHMINFO_SIZE) {
                let _ = write!(
                    out,
                    "{{shmmax={}, shmmin={}, shmmni={}, shmseg={}, shmall={}}}",
                    le64(&b, 0),
                    le64(&b, 8),
                    le64(&b, 16),
                    le64(&b, 24),
                    le64(&b, 32)
                );
            }
        }
        14 => {
            if let Some(b) = call.umove(out, addr, SHM_INFO_SIZE) {
                let _ = write!(
                    out,
                    "{{used_ids={}, shm_tot={}, shm_rss={}, shm_swp={}, swap_attempts={}, swap_successes={}}}",
                    le32(&b, 0) as i32,
                    le64(&b, 8),
                    le64(&b, 16),
                    le64(&b, 24),
                    le64(&b, 32),
                    le64(&b, 40)
                );
            }
        }
        _ if at_exit => shmid_ds(call, out, addr, cmd),
        _ => {}
    }
}

fn shmid_ds(call: &mut Call<'_>, out: &mut String, addr: u64, cmd: u32) {
    let Some(b) = call.umove(out, addr, SHMID_DS_SIZE) else {
        return;
    };
    out.push_str("{shm_perm=");
    perm(out, &b, cmd);
    if cmd != IPC_SET {
        let _ = write!(
            out,
            ", shm_segsz={}, shm_cpid={}, shm_lpid={}, shm_nattch={}, shm_atime={}, shm_dtime={}, shm_ctime={}",
            le64(&b, 48),
            le32(&b, 80) as i32,
            le32(&b, 84) as i32,
            le64(&b, 88),
            le64(&b, 56),
            le64(&b, 64),
            le64(&b, 72)
        );
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_page_size_is_shown_as_a_shift() {
        let mut s = String::new();
        let v = (21u64 << 26) | 0o1000 | 0o125;
        let flags = v & !0o777 & !(SHM_HUGE_MASK as u64);
        xlat::flags(&mut s, flags, &SHM_RESOURCE);
        assert_eq!(s, "IPC_CREAT");
        let mut s = String::new();
        flags_mode(&mut s, 0o1600, &RESOURCE);
        assert_eq!(s, "IPC_CREAT|0600");
    }
}
