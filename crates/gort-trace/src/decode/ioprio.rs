//! I/O priorities: `ioprio_get`/`ioprio_set`.
//!
//! Design: a priority packs a class in its upper bits and a level in the lower 13, shown as the
//! kernel's macro would build it: `IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)`. `ioprio_set` shows the
//! number too under `-X raw`/`-X verbose`; `ioprio_get` returns a priority, decoded in parentheses.

use super::custom::{self, CustomArg, CustomRet, Phase};
use super::xlat::{self, Style, Xlat};
use std::fmt::Write;

/// Whose priority.
pub const WHO: Xlat = Xlat::hex(
    &[
        (1, "IOPRIO_WHO_PROCESS"),
        (2, "IOPRIO_WHO_PGRP"),
        (3, "IOPRIO_WHO_USER"),
    ],
    "IOPRIO_WHO_???",
);

const CLASSES: Xlat = Xlat::hex(
    &[
        (0, "IOPRIO_CLASS_NONE"),
        (1, "IOPRIO_CLASS_RT"),
        (2, "IOPRIO_CLASS_BE"),
        (3, "IOPRIO_CLASS_IDLE"),
    ],
    "IOPRIO_CLASS_???",
);

const CLASS_SHIFT: u32 = 13;

/// `IOPRIO_PRIO_VALUE(class, level)`, the class in the `-X` style.
fn value_text(prio: u32) -> String {
    let mut class = String::new();
    xlat::value(&mut class, (prio >> CLASS_SHIFT) as u64, &CLASSES);
    format!(
        "IOPRIO_PRIO_VALUE({class}, {})",
        prio & ((1 << CLASS_SHIFT) - 1)
    )
}

/// `ioprio_set`'s priority.
pub const PRIO: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: custom::no_plan,
    render: |c, _, out| {
        let prio = c.v() as u32;
        match xlat::style() {
            Style::Abbrev => out.push_str(&value_text(prio)),
            Style::Raw => {
                let _ = write!(out, "{}", prio as i32);
            }
            Style::Verbose => {
                let _ = write!(out, "{} /* {} */", prio as i32, value_text(prio));
            }
        }
    },
};

/// `ioprio_get`'s result: `4 (IOPRIO_PRIO_VALUE(IOPRIO_CLASS_NONE, 4))`.
pub const PRIO_RET: CustomRet = CustomRet {
    plan: custom::no_ret_plan,
    render: |_, ret, _, _, out| {
        let _ = write!(out, "{ret}");
        if xlat::style() != Style::Raw {
            let _ = write!(out, " ({})", value_text(ret as u32));
        }
    },
};
