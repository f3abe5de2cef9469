//! Input event device ioctls (`linux/input.h`, type `E`).

use super::cx::{Cx, Rval};
use super::tables::{EVDEV_ABS, EVDEV_EV};
use crate::decode::xlat::Xlat;

/// Absolute axes (`ABS_X`).
pub const ABS: Xlat = Xlat::hex(EVDEV_ABS, "ABS_???");
/// Event types (`EV_KEY`).
pub const EV: Xlat = Xlat::hex(EVDEV_EV, "EV_???");

/// Decodes an evdev request.
pub fn decode(_cx: &mut Cx, _out: &mut String) -> Rval {
    Rval::Plain
}
