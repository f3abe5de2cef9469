//! Network block device ioctls (`linux/nbd.h`, type 0xab): values passed directly.

use super::cx::{Cx, Rval};
use super::tables::NBD_IOCTL_FLAGS;
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

const FLAGS: Xlat = Xlat::hex(NBD_IOCTL_FLAGS, "NBD_IOC_FLAG_???");

/// Decodes an NBD request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    match cx.code {
        // NBD_DISCONNECT, NBD_CLEAR_SOCK, NBD_DO_IT, NBD_CLEAR_QUE, NBD_PRINT_DEBUG
        0xab08 | 0xab04 | 0xab03 | 0xab05 | 0xab06 => Rval::Done,
        // NBD_SET_SOCK
        0xab00 => {
            out.push_str(", ");
            cx.fd_into(out, cx.arg as i32);
            Rval::Done
        }
        // NBD_SET_BLKSIZE, NBD_SET_SIZE, NBD_SET_SIZE_BLOCKS, NBD_SET_TIMEOUT
        0xab01 | 0xab02 | 0xab07 | 0xab09 => {
            let _ = write!(out, ", {}", cx.arg);
            Rval::Done
        }
        // NBD_SET_FLAGS
        0xab0a => {
            out.push_str(", ");
            xlat::flags(out, cx.arg, &FLAGS);
            Rval::Done
        }
        _ => Rval::Plain,
    }
}
