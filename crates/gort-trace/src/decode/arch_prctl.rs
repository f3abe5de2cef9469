//! `arch_prctl`'s x86 extended-state (XSAVE) feature arguments.
//!
//! Design: `ARCH_GET_XCOMP_*` write a 64-bit mask of XSAVE features, `ARCH_REQ_XCOMP_*` take one
//! feature number and return the permitted mask. The kernel does not export these names, so strace
//! always shows the number with the names in a comment (`[0x600e7 /* XFEATURE_MASK_FPSSE|... */]`)
//! unless `-X raw` asks for numbers only; the returned mask gets its names in parentheses.

use super::custom::{self, CustomArg, CustomRet, Phase};
use super::structs::CHex;
use super::xlat::{self, Style, Xlat};
use super::FetchKind;
use std::fmt::Write;

/// XSAVE feature masks, composite ones first as strace matches them.
const XFEATURE_MASKS: Xlat = Xlat::wide(
    &[
        (0x3, "XFEATURE_MASK_FPSSE"),
        (1 << 0, "XFEATURE_MASK_FP"),
        (1 << 1, "XFEATURE_MASK_SSE"),
        (1 << 2, "XFEATURE_MASK_YMM"),
        (1 << 3, "XFEATURE_MASK_BNDREGS"),
        (1 << 4, "XFEATURE_MASK_BNDCSR"),
        (0xe0, "XFEATURE_MASK_AVX512"),
        (1 << 5, "XFEATURE_MASK_OPMASK"),
        (1 << 6, "XFEATURE_MASK_ZMM_Hi256"),
        (1 << 7, "XFEATURE_MASK_Hi16_ZMM"),
        (1 << 8, "XFEATURE_MASK_PT"),
        (1 << 9, "XFEATURE_MASK_PKRU"),
        (1 << 10, "XFEATURE_MASK_PASID"),
        (1 << 15, "XFEATURE_MASK_LBR"),
        (0x60000, "XFEATURE_MASK_XTILE"),
        (1 << 17, "XFEATURE_MASK_XTILE_CFG"),
        (1 << 18, "XFEATURE_MASK_XTILE_DATA"),
    ],
    "XFEATURE_MASK_???",
);

/// XSAVE feature numbers.
const XFEATURES: Xlat = Xlat::wide(
    &[
        (0, "XFEATURE_FP"),
        (1, "XFEATURE_SSE"),
        (2, "XFEATURE_YMM"),
        (3, "XFEATURE_BNDREGS"),
        (4, "XFEATURE_BNDCSR"),
        (5, "XFEATURE_OPMASK"),
        (6, "XFEATURE_ZMM_Hi256"),
        (7, "XFEATURE_Hi16_ZMM"),
        (8, "XFEATURE_PT_UNIMPLEMENTED_SO_FAR"),
        (9, "XFEATURE_PKRU"),
        (10, "XFEATURE_PASID"),
        (15, "XFEATURE_LBR"),
        (17, "XFEATURE_XTILE_CFG"),
        (18, "XFEATURE_XTILE_DATA"),
    ],
    "XFEATURE_???",
);

/// `0x600e7 /* XFEATURE_MASK_FPSSE|... */` (`0x600e7` under `-X raw`, `0` for none).
fn mask_into(out: &mut String, v: u64) {
    let _ = write!(out, "{}", CHex(v));
    if v == 0 || xlat::style() == Style::Raw {
        return;
    }
    let names = xlat::names_for_return(v, &XFEATURE_MASKS);
    let _ = write!(
        out,
        " /* {} */",
        names.as_deref().unwrap_or(XFEATURE_MASKS.unknown)
    );
}

/// The mask `ARCH_GET_XCOMP_*` writes: `[0x600e7 /* ... */]`.
pub const XFEATURE_MASK_OUT: CustomArg = CustomArg {
    phase: Phase::Exit,
    plan: |c, out| {
        if !c.failed() && c.v() != 0 {
            out.push(c.req(c.v(), FetchKind::Bytes { len: 8 }));
        }
    },
    render: |c, m, out| match m.bytes(c.i) {
        Some(b) if !c.failed() => {
            out.push('[');
            mask_into(
                out,
                u64::from_ne_bytes(b[..8].try_into().unwrap_or_default()),
            );
            out.push(']');
        }
        _ => custom::ptr(out, c.v()),
    },
};

/// The feature number `ARCH_REQ_XCOMP_*` takes: `0x12 /* XFEATURE_XTILE_DATA */`.
pub const XFEATURE_IN: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: custom::no_plan,
    render: |c, _, out| {
        let v = c.v();
        let _ = write!(out, "{}", CHex(v));
        if xlat::style() != Style::Raw {
            let _ = write!(
                out,
                " /* {} */",
                XFEATURES.name(v).unwrap_or(XFEATURES.unknown)
            );
        }
    },
};

/// The permitted mask `ARCH_REQ_XCOMP_*` returns: `0x60000 (XFEATURE_MASK_XTILE)`.
pub const XFEATURE_MASK_RET: CustomRet = CustomRet {
    plan: custom::no_ret_plan,
    render: |_, ret, _, _, out| {
        let _ = write!(out, "{}", CHex(ret as u64));
        if ret > 0 {
            if let Some(names) = xlat::names_for_return(ret as u64, &XFEATURE_MASKS) {
                let _ = write!(out, " ({names})");
            }
        }
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_show_their_number_with_names_in_a_comment() {
        let mut s = String::new();
        mask_into(&mut s, 0x600e7);
        assert_eq!(
            s,
            "0x600e7 /* XFEATURE_MASK_FPSSE|XFEATURE_MASK_YMM|XFEATURE_MASK_AVX512|XFEATURE_MASK_XTILE */"
        );
        let mut s = String::new();
        mask_into(&mut s, 0xffff_ffff_fff9_7800);
        assert_eq!(s, "0xfffffffffff97800 /* XFEATURE_MASK_??? */");
    }
}
