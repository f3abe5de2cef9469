//! `prctl` options with tables of their own: speculation control, syscall user dispatch, VMA naming.
//!
//! Design: constant tables for the options' sub-arguments, and `PR_GET_SPECULATION_CTRL`'s result,
//! a flag word shown in hex with its names (`0x3 (PR_SPEC_PRCTL|PR_SPEC_ENABLE)`).

use super::custom::{self, CustomRet};
use super::structs::CHex;
use super::xlat::{self, Style, Xlat};
use std::fmt::Write;

/// Speculation misfeatures.
pub const SPEC_CMDS: Xlat = Xlat::wide(
    &[
        (0, "PR_SPEC_STORE_BYPASS"),
        (1, "PR_SPEC_INDIRECT_BRANCH"),
        (2, "PR_SPEC_L1D_FLUSH"),
    ],
    "PR_SPEC_???",
);

/// What `PR_SET_SPECULATION_CTRL` sets.
pub const SPEC_SET: Xlat = Xlat::wide(
    &[
        (1 << 1, "PR_SPEC_ENABLE"),
        (1 << 2, "PR_SPEC_DISABLE"),
        (1 << 3, "PR_SPEC_FORCE_DISABLE"),
        (1 << 4, "PR_SPEC_DISABLE_NOEXEC"),
    ],
    "PR_SPEC_???",
);

/// What `PR_GET_SPECULATION_CTRL` reports.
const SPEC_GET: Xlat = Xlat::wide(
    &[
        (0, "PR_SPEC_NOT_AFFECTED"),
        (1 << 0, "PR_SPEC_PRCTL"),
        (1 << 1, "PR_SPEC_ENABLE"),
        (1 << 2, "PR_SPEC_DISABLE"),
        (1 << 3, "PR_SPEC_FORCE_DISABLE"),
        (1 << 4, "PR_SPEC_DISABLE_NOEXEC"),
    ],
    "PR_SPEC_???",
);

/// `PR_SET_SYSCALL_USER_DISPATCH` modes.
pub const SYS_DISPATCH: Xlat = Xlat::wide(
    &[(0, "PR_SYS_DISPATCH_OFF"), (1, "PR_SYS_DISPATCH_ON")],
    "PR_SYS_DISPATCH_???",
);

/// `PR_SET_VMA` operations.
pub const SET_VMA: Xlat = Xlat::wide(&[(0, "PR_SET_VMA_ANON_NAME")], "PR_SET_VMA_???");

/// `PR_GET_SPECULATION_CTRL`'s result for a known misfeature.
pub const SPEC_GET_RET: CustomRet = CustomRet {
    plan: custom::no_ret_plan,
    render: |_, ret, _, _, out| {
        let v = ret as u64;
        let _ = write!(out, "{}", CHex(v));
        if xlat::style() == Style::Raw {
            return;
        }
        let names = if v == 0 {
            SPEC_GET.name(0).map(str::to_string)
        } else {
            xlat::names_for_return(v, &SPEC_GET)
        };
        // A value with no named bit gets no decoding.
        if let Some(n) = names {
            let _ = write!(out, " ({n})");
        }
    },
};
