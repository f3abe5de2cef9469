//! `_sysctl(args)`: the `struct __sysctl_args` it takes, fields shown as numbers and pointers.
//!
//! Design: like strace 6.1, the structure is shown field by field without following its pointers
//! (the name array, old and new values): the syscall is gone from current kernels, so only its
//! arguments are of interest. An unreadable structure shows its address.

use std::fmt::Write;

/// Bytes of `struct __sysctl_args` on x86_64 (six fields and four reserved words).
pub const SYSCTL_ARGS_SIZE: usize = 80;

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_ne_bytes(b[at..at + 8].try_into().unwrap_or_default())
}

fn ptr_field(out: &mut String, name: &str, v: u64) {
    if v == 0 {
        let _ = write!(out, "{name}=NULL");
    } else {
        let _ = write!(out, "{name}={v:#x}");
    }
}

/// Appends a `struct __sysctl_args` (`b` holds [`SYSCTL_ARGS_SIZE`] bytes).
pub fn args_into(out: &mut String, b: &[u8]) {
    out.push('{');
    ptr_field(out, "name", u64_at(b, 0));
    let nlen = i32::from_ne_bytes([b[8], b[9], b[10], b[11]]);
    let _ = write!(out, ", nlen={nlen}, ");
    ptr_field(out, "oldval", u64_at(b, 16));
    out.push_str(", ");
    ptr_field(out, "oldlenp", u64_at(b, 24));
    out.push_str(", ");
    ptr_field(out, "newval", u64_at(b, 32));
    let _ = write!(out, ", newlen={}}}", u64_at(b, 40));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeroed_args_show_null_pointers_and_zero_lengths() {
        let mut s = String::new();
        args_into(&mut s, &[0u8; SYSCTL_ARGS_SIZE]);
        assert_eq!(
            s,
            "{name=NULL, nlen=0, oldval=NULL, oldlenp=NULL, newval=NULL, newlen=0}"
        );
    }
}
