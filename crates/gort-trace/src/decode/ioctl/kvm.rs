//! KVM ioctls (`linux/kvm.h`, type 0xae; x86_64 register layouts).
//!
//! Design: `KVM_CREATE_VM` and `KVM_CREATE_VCPU` return descriptors, which [`ret_kind`] marks so the
//! return value is shown with its path under `-y`. Register sets are cut under `-v`'s absence the way
//! strace cuts them.

use super::cx::{u16_at, u32_at, u64_at, Cx, Rval};
use super::tables::{KVM_CAP, KVM_CPUID_FLAGS, KVM_MEM_FLAGS};
use crate::decode::structs::CHex;
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

const MEM_FLAGS: Xlat = Xlat::hex(KVM_MEM_FLAGS, "KVM_MEM_???");
const CPUID_FLAGS: Xlat = Xlat::hex(KVM_CPUID_FLAGS, "KVM_CPUID_FLAG_???");
const CAPS: Xlat = Xlat::wide(KVM_CAP, "KVM_CAP_???");

/// Decodes a KVM request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    let arg = cx.arg;
    match cx.code {
        // KVM_CREATE_VCPU: the vCPU id.
        0xae41 => {
            if cx.entering() {
                let _ = write!(out, ", {}", arg as u32);
            }
            Rval::Done
        }
        // KVM_SET_USER_MEMORY_REGION: struct kvm_userspace_memory_region.
        0x4020ae46 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 32) {
                let _ = write!(out, "{{slot={}, flags=", u32_at(&b, 0));
                xlat::flags(out, u32_at(&b, 4) as u64, &MEM_FLAGS);
                let _ = write!(
                    out,
                    ", guest_phys_addr={}, memory_size={}, userspace_addr={}}}",
                    CHex(u64_at(&b, 8)),
                    u64_at(&b, 16),
                    CHex(u64_at(&b, 24))
                );
            }
            Rval::Done
        }
        // KVM_GET_REGS, KVM_GET_SREGS, KVM_GET_SUPPORTED_CPUID, KVM_GET_EMULATED_CPUID
        0x8090ae81 | 0x8138ae83 | 0xc008ae05 | 0xc008ae09 if cx.entering() => Rval::Exit,
        // ... KVM_SET_REGS: struct kvm_regs.
        0x8090ae81 | 0x4090ae82 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 144) {
                regs(out, &b, cx.verbose());
            }
            Rval::Done
        }
        // ... KVM_SET_SREGS: struct kvm_sregs.
        0x8138ae83 | 0x4138ae84 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 312) {
                sregs(out, &b, cx.verbose());
            }
            Rval::Done
        }
        // ... KVM_SET_CPUID2: struct kvm_cpuid2 and its entries.
        0xc008ae05 | 0xc008ae09 | 0x4008ae90 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 8) {
                let nent = u32_at(&b, 0);
                let _ = write!(out, "{{nent={nent}, entries=");
                if !cx.verbose() {
                    out.push_str(if nent != 0 { "[...]" } else { "[]" });
                } else {
                    cx.array_into(out, arg + 8, nent as u64, 40, |_, out, e| {
                        let _ = write!(
                            out,
                            "{{function={}, index={}, flags=",
                            CHex(u32_at(e, 0) as u64),
                            CHex(u32_at(e, 4) as u64)
                        );
                        xlat::flags(out, u32_at(e, 8) as u64, &CPUID_FLAGS);
                        let _ = write!(
                            out,
                            ", eax={}, ebx={}, ecx={}, edx={}}}",
                            CHex(u32_at(e, 12) as u64),
                            CHex(u32_at(e, 16) as u64),
                            CHex(u32_at(e, 20) as u64),
                            CHex(u32_at(e, 24) as u64)
                        );
                        true
                    });
                }
                out.push('}');
            }
            Rval::Done
        }
        // KVM_CHECK_EXTENSION
        0xae03 => {
            out.push_str(", ");
            xlat::value(out, arg, &CAPS);
            Rval::Done
        }
        // KVM_RUN: decoded at exit (the exit reason is shown only with `-e kvm=vcpu`).
        0xae80 if cx.entering() => Rval::Exit,
        _ => Rval::Plain,
    }
}

/// How a successful call's return value is shown, when not as a plain number.
pub fn ret_kind(code: u32) -> Option<super::RetKind> {
    // KVM_CREATE_VM, KVM_CREATE_VCPU
    matches!(code, 0xae01 | 0xae41).then_some(super::RetKind::Fd)
}

/// `struct kvm_regs`: the general registers, the middle ones elided without `-v`.
fn regs(out: &mut String, b: &[u8], verbose: bool) {
    let r = |i: usize| CHex(u64_at(b, 8 * i));
    let _ = write!(out, "{{rax={}, ", r(0));
    if verbose {
        let _ = write!(
            out,
            "rbx={}, rcx={}, rdx={}, rsi={}, rdi={}",
            r(1),
            r(2),
            r(3),
            r(4),
            r(5)
        );
    } else {
        out.push_str("...");
    }
    let _ = write!(out, ", rsp={}, rbp={}, ", r(6), r(7));
    if verbose {
        for (i, n) in ["r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"]
            .iter()
            .enumerate()
        {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "{n}={}", r(8 + i));
        }
    } else {
        out.push_str("...");
    }
    let _ = write!(out, ", rip={}, rflags={}}}", r(16), r(17));
}

fn segment(out: &mut String, s: &[u8]) {
    let _ = write!(
        out,
        "{{base={}, limit={}, selector={}, type={}, present={}, dpl={}, db={}, s={}, l={}, g={}, \
         avl={}}}",
        CHex(u64_at(s, 0)),
        u32_at(s, 8),
        u16_at(s, 12),
        s[14],
        s[15],
        s[16],
        s[17],
        s[18],
        s[19],
        s[20],
        s[21]
    );
}

/// `struct kvm_sregs`: the code segment, and under `-v` everything else.
fn sregs(out: &mut String, b: &[u8], verbose: bool) {
    out.push_str("{cs=");
    segment(out, &b[0..24]);
    if !verbose {
        out.push_str(", ...}");
        return;
    }
    for (i, n) in ["ds", "es", "fs", "gs", "ss", "tr", "ldt"]
        .iter()
        .enumerate()
    {
        let _ = write!(out, ", {n}=");
        segment(out, &b[24 * (i + 1)..24 * (i + 2)]);
    }
    for (i, n) in ["gdt", "idt"].iter().enumerate() {
        let d = &b[192 + 16 * i..208 + 16 * i];
        let _ = write!(
            out,
            ", {n}={{base={}, limit={}}}",
            CHex(u64_at(d, 0)),
            u16_at(d, 8)
        );
    }
    for (i, n) in ["cr0", "cr2", "cr3", "cr4", "cr8", "efer"]
        .iter()
        .enumerate()
    {
        let _ = write!(out, ", {n}={}", u64_at(b, 224 + 8 * i));
    }
    let _ = write!(
        out,
        ", apic_base={}, interrupt_bitmap=[",
        CHex(u64_at(b, 272))
    );
    for i in 0..4 {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{}", CHex(u64_at(b, 280 + 8 * i)));
    }
    out.push_str("]}");
}
