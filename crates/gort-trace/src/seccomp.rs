//! `--seccomp-bpf`: the kernel stops the tracee only at the syscalls that are traced.
//!
//! Design: the started command installs, just before its `execve`, a seccomp filter (a classic BPF
//! program, [`program`]) that returns `SECCOMP_RET_TRACE` for every traced syscall (and for `execve`,
//! `execveat`, which strace always traces this way) and `SECCOMP_RET_ALLOW` for the rest; children
//! inherit it. The tracer, with `PTRACE_O_TRACESECCOMP`, keeps using `PTRACE_SYSCALL` for a tracee
//! until its first seccomp stop shows it has the filter (the syscall's entry stop came first, on
//! Linux 4.8 and later). From then on it lets the tracee run with `PTRACE_CONT` between syscalls: a
//! seccomp stop is the entry of a traced syscall, `PTRACE_SYSCALL` then brings its exit stop. A tracee
//! whose filter could not be installed simply never has a seccomp stop and is traced as without the
//! option, so nothing is lost. Installing the filter needs `prctl(PR_SET_NO_NEW_PRIVS)`, and both
//! calls run before the `execve`, which the tracer hides as strace does (see `tracer.rs`).

use crate::filter::{Filter, MAX_NR};
use syscalls::Sysno;

/// `AUDIT_ARCH_X86_64`.
const AUDIT_ARCH_X86_64: u32 = 0xc000_003e;
/// The bit that marks an x32 syscall number.
const X32_SYSCALL_BIT: u32 = 0x4000_0000;
const SECCOMP_RET_TRACE: u32 = 0x7ff0_0000;
const SECCOMP_RET_ALLOW: u32 = 0x7fff_0000;

const BPF_LD_W_ABS: u16 = 0x20;
const BPF_JEQ_K: u16 = 0x15;
const BPF_JGE_K: u16 = 0x35;
const BPF_RET_K: u16 = 0x06;
/// Offsets in `struct seccomp_data`.
const NR_OFFSET: u32 = 0;
const ARCH_OFFSET: u32 = 4;

fn insn(code: u16, jt: u8, jf: u8, k: u32) -> libc::sock_filter {
    libc::sock_filter { code, jt, jf, k }
}

/// The filter for the syscalls `filter` traces: another ABI's syscalls (i386, x32) are all traced;
/// x86_64's are traced when listed, each by one compare-and-return pair.
pub fn program(filter: &Filter) -> Vec<libc::sock_filter> {
    let mut p = vec![
        insn(BPF_LD_W_ABS, 0, 0, ARCH_OFFSET),
        insn(BPF_JEQ_K, 1, 0, AUDIT_ARCH_X86_64),
        insn(BPF_RET_K, 0, 0, SECCOMP_RET_TRACE),
        insn(BPF_LD_W_ABS, 0, 0, NR_OFFSET),
        insn(BPF_JGE_K, 0, 1, X32_SYSCALL_BIT),
        insn(BPF_RET_K, 0, 0, SECCOMP_RET_TRACE),
    ];
    let always = [Sysno::execve as u64, Sysno::execveat as u64];
    for nr in 0..MAX_NR as u64 {
        if filter.traced(nr) || always.contains(&nr) {
            p.push(insn(BPF_JEQ_K, 0, 1, nr as u32));
            p.push(insn(BPF_RET_K, 0, 0, SECCOMP_RET_TRACE));
        }
    }
    p.push(insn(BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW));
    p
}

/// Runs `program` on a syscall the way the kernel would (for the tests): the action for `nr`.
#[cfg(test)]
fn run(program: &[libc::sock_filter], arch: u32, nr: u32) -> u32 {
    let (mut acc, mut pc) = (0u32, 0usize);
    loop {
        let i = program[pc];
        match i.code {
            BPF_LD_W_ABS => acc = if i.k == ARCH_OFFSET { arch } else { nr },
            BPF_JEQ_K | BPF_JGE_K => {
                let hit = if i.code == BPF_JEQ_K {
                    acc == i.k
                } else {
                    acc >= i.k
                };
                pc += if hit { i.jt } else { i.jf } as usize;
            }
            BPF_RET_K => return i.k,
            _ => unreachable!("unknown instruction"),
        }
        pc += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traced_syscalls_and_exec_stop_the_rest_run() {
        let f = Filter::parse(&["trace=chdir".into()]).unwrap();
        let p = program(&f);
        let x86_64 = AUDIT_ARCH_X86_64;
        assert_eq!(run(&p, x86_64, Sysno::chdir as u32), SECCOMP_RET_TRACE);
        assert_eq!(run(&p, x86_64, Sysno::execve as u32), SECCOMP_RET_TRACE);
        assert_eq!(run(&p, x86_64, Sysno::read as u32), SECCOMP_RET_ALLOW);
        assert_eq!(run(&p, x86_64, X32_SYSCALL_BIT | 1), SECCOMP_RET_TRACE);
        assert_eq!(run(&p, 0x4000_0003, 1), SECCOMP_RET_TRACE);
    }

    #[test]
    fn tracing_everything_fits_the_kernels_limit() {
        assert!(program(&Filter::all()).len() <= 4096);
    }
}
