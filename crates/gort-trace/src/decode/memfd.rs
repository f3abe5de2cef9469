//! `memfd_create`'s name and flags.
//!
//! Design: the name is limited to 249 bytes plus its NUL (the kernel's 255 less `memfd:`); the flags
//! carry a huge page size as a power of two in bits 26-31, printed as `30<<MFD_HUGE_SHIFT` after the
//! named flags, and in `-X verbose` the whole composition goes in one comment after the number.

use super::bounded_str;
use super::custom::{CustomArg, Phase};
use super::xlat::{self, Style, Xlat};
use std::fmt::Write;

/// The longest name strace reads (`MFD_NAME_MAX_LEN` and its NUL).
const NAME_LIMIT: usize = 250;

const HUGE_SHIFT: u32 = 26;
const HUGE_MASK: u64 = 0x3f << HUGE_SHIFT;

const FLAGS: Xlat = Xlat::hex(
    &[
        (1, "MFD_CLOEXEC"),
        (2, "MFD_ALLOW_SEALING"),
        (4, "MFD_HUGETLB"),
    ],
    "MFD_???",
);

/// The name.
pub const NAME: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: |c, out| bounded_str::plan(c, NAME_LIMIT, out),
    render: |c, m, out| bounded_str::render(c, m, NAME_LIMIT, out),
};

/// The flags: `MFD_CLOEXEC|MFD_HUGETLB|30<<MFD_HUGE_SHIFT`.
pub const MEMFD_FLAGS: CustomArg = CustomArg {
    phase: Phase::Entry,
    plan: super::custom::no_plan,
    render: |c, _, out| {
        let v = c.v() & 0xffff_ffff;
        let style = xlat::style();
        if v == 0 || style != Style::Abbrev {
            let _ = write!(out, "{}", super::structs::CHex(v));
        }
        if v == 0 || style == Style::Raw {
            return;
        }
        let (flags, huge) = (v & !HUGE_MASK, v & HUGE_MASK);
        let mut names = String::new();
        if flags != 0 || huge == 0 {
            // The names as `-X abbrev` gives them (this branch never runs under `-X raw`).
            match xlat::names_for_return(flags, &FLAGS) {
                Some(n) => names.push_str(&n),
                None => {
                    let _ = write!(names, "{flags:#x} /* {} */", FLAGS.unknown);
                }
            }
        }
        if huge != 0 {
            if flags != 0 {
                names.push('|');
            }
            let _ = write!(names, "{}<<MFD_HUGE_SHIFT", huge >> HUGE_SHIFT);
        }
        if style == Style::Verbose {
            let _ = write!(out, " /* {names} */");
        } else {
            out.push_str(&names);
        }
    },
};
