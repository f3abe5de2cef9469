//! `modify_ldt(func, ptr, bytecount)`: a `struct user_desc` and the call's odd error form.
//!
//! Design: the structure is printed only when `bytecount` is exactly its size (16 bytes), as the
//! kernel reads it only then; otherwise, or when it cannot be read, its address. The kernel's
//! `modify_ldt` returns an `int` that x86_64 does not sign-extend, so an error arrives as a large
//! positive number (`4294967258` for `-ENOSYS`): strace keeps that number and names the error after
//! it, which [`return_into`] reproduces.

use super::flags;
use std::fmt::Write;

/// Bytes of `struct user_desc`.
pub const USER_DESC_SIZE: usize = 16;

/// Whether `modify_ldt` reads a `struct user_desc` for this `bytecount`.
pub fn reads_user_desc(bytecount: u64) -> bool {
    bytecount == USER_DESC_SIZE as u64
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_ne_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// strace's zero-padded hex for a 32-bit field: `0x87868584`, but `00000000` for zero.
fn hex32(out: &mut String, v: u32) {
    if v == 0 {
        out.push_str("00000000");
    } else {
        let _ = write!(out, "{v:#010x}");
    }
}

/// Appends a `struct user_desc` (`b` holds [`USER_DESC_SIZE`] bytes): the entry number (`-1` asks
/// the kernel to pick one), base and limit, then the one-bit (and one two-bit) descriptor fields.
pub fn user_desc_into(out: &mut String, b: &[u8]) {
    let entry = u32_at(b, 0);
    out.push_str("{entry_number=");
    if entry == u32::MAX {
        out.push_str("-1");
    } else {
        let _ = write!(out, "{entry}");
    }
    out.push_str(", base_addr=");
    hex32(out, u32_at(b, 4));
    out.push_str(", limit=");
    hex32(out, u32_at(b, 8));
    let bits = u32_at(b, 12);
    let _ = write!(
        out,
        ", seg_32bit={}, contents={}, read_exec_only={}, limit_in_pages={}, seg_not_present={}, \
         useable={}, lm={}}}",
        bits & 1,
        (bits >> 1) & 3,
        (bits >> 3) & 1,
        (bits >> 4) & 1,
        (bits >> 5) & 1,
        (bits >> 6) & 1,
        (bits >> 7) & 1,
    );
}

/// Appends the return value: a 32-bit error code (`0xfffff001..=0xffffffff`) is shown as the number
/// the register holds followed by the error's name; a sign-extended one as any other error.
pub fn return_into(out: &mut String, ret: i64) {
    let v = ret as u64;
    if (-4095..0).contains(&ret) {
        out.push_str(&flags::error_return((-ret) as i32));
    } else if (0xffff_f000..=0xffff_ffff).contains(&v) {
        let err = (v as u32).wrapping_neg() as i32;
        let text = flags::error_return(err);
        let _ = write!(out, "{ret} {}", text.split_once(' ').map_or("", |t| t.1));
    } else {
        let _ = write!(out, "{ret}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_desc_pads_zero_hex_and_shows_minus_one_entries() {
        let mut b = [0u8; USER_DESC_SIZE];
        b[0..4].copy_from_slice(&u32::MAX.to_ne_bytes());
        b[12..16].copy_from_slice(&0x61u32.to_ne_bytes());
        let mut s = String::new();
        user_desc_into(&mut s, &b);
        assert_eq!(
            s,
            "{entry_number=-1, base_addr=00000000, limit=00000000, seg_32bit=1, contents=0, \
             read_exec_only=0, limit_in_pages=0, seg_not_present=1, useable=1, lm=0}"
        );
    }

    #[test]
    fn unextended_error_codes_keep_their_number_and_get_a_name() {
        let mut s = String::new();
        return_into(&mut s, 0xffff_ffda);
        assert_eq!(s, "4294967258 ENOSYS (Function not implemented)");
        let mut s = String::new();
        return_into(&mut s, 0);
        assert_eq!(s, "0");
        let mut s = String::new();
        return_into(&mut s, -14);
        assert_eq!(s, "-1 EFAULT (Bad address)");
    }
}
