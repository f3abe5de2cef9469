//! GPIO character device ioctls (`linux/gpio.h`, type 0xb4), versions 1 and 2 of the ABI.
//!
//! Design: requests that hand the kernel a line description show it at entry and what the kernel
//! filled in (a new descriptor, line information) after ` => ` at exit.

use super::cx::{cstring_field, i32_at, local_array, u32_at, u64_at, Cx, Rval};
use super::tables::{GPIO_EVENT_FLAGS, GPIO_HANDLE_FLAGS, GPIO_LINE_FLAGS, GPIO_V2_LINE_FLAGS};
use crate::decode::structs::CHex;
use crate::decode::xlat::{self, Xlat};
use std::fmt::Write;

const LINE_FLAGS: Xlat = Xlat::hex(GPIO_LINE_FLAGS, "GPIOLINE_FLAG_???");
const HANDLE_FLAGS: Xlat = Xlat::hex(GPIO_HANDLE_FLAGS, "GPIOHANDLE_REQUEST_???");
const EVENT_FLAGS: Xlat = Xlat::hex(GPIO_EVENT_FLAGS, "GPIOEVENT_REQUEST_???");
const V2_FLAGS: Xlat = Xlat::wide(GPIO_V2_LINE_FLAGS, "GPIO_V2_LINE_FLAG_???");

/// Decodes a GPIO request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    let arg = cx.arg;
    match cx.code {
        // GPIO_GET_CHIPINFO_IOCTL
        0x8044b401 => {
            if cx.entering() {
                return Rval::Exit;
            }
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 68) {
                out.push_str("{name=");
                cstring_field(out, &b[0..32], cx.opts);
                out.push_str(", label=");
                cstring_field(out, &b[32..64], cx.opts);
                let _ = write!(out, ", lines={}}}", u32_at(&b, 64));
            }
            Rval::Done
        }
        // GPIO_GET_LINEINFO_UNWATCH_IOCTL
        0xc004b40c => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 4) {
                let _ = write!(out, "{{offset={}}}", u32_at(&b, 0));
            }
            Rval::Done
        }
        // GPIO_GET_LINEINFO_IOCTL, GPIO_GET_LINEINFO_WATCH_IOCTL
        0xc048b402 | 0xc048b40b => {
            let Some(b) = in_out(cx, out, 72) else {
                return Rval::Done;
            };
            if cx.entering() {
                let _ = write!(out, "{{line_offset={}}}", u32_at(&b, 0));
                return Rval::Exit;
            }
            out.push_str("{flags=");
            xlat::flags(out, u32_at(&b, 4) as u64, &LINE_FLAGS);
            out.push_str(", name=");
            cstring_field(out, &b[8..40], cx.opts);
            out.push_str(", consumer=");
            cstring_field(out, &b[40..72], cx.opts);
            out.push('}');
            Rval::Done
        }
        // GPIO_GET_LINEHANDLE_IOCTL
        0xc16cb403 => {
            let Some(b) = in_out(cx, out, 364) else {
                return Rval::Done;
            };
            if !cx.entering() {
                new_fd(cx, out, i32_at(&b, 360));
                return Rval::Done;
            }
            let lines = u32_at(&b, 356);
            let n = (lines as usize).min(64);
            let _ = write!(out, "{{lines={lines}, lineoffsets=");
            local_array(out, n, cx.opts, |out, i| {
                let _ = write!(out, "{}", u32_at(&b, 4 * i));
            });
            out.push_str(", flags=");
            xlat::flags(out, u32_at(&b, 256) as u64, &HANDLE_FLAGS);
            out.push_str(", default_values=");
            local_array(out, n, cx.opts, |out, i| {
                let _ = write!(out, "{}", b[260 + i]);
            });
            out.push_str(", consumer_label=");
            cstring_field(out, &b[324..356], cx.opts);
            out.push('}');
            Rval::Exit
        }
        // GPIO_GET_LINEEVENT_IOCTL
        0xc030b404 => {
            let Some(b) = in_out(cx, out, 48) else {
                return Rval::Done;
            };
            if !cx.entering() {
                new_fd(cx, out, i32_at(&b, 44));
                return Rval::Done;
            }
            let _ = write!(out, "{{lineoffset={}, handleflags=", u32_at(&b, 0));
            xlat::flags(out, u32_at(&b, 4) as u64, &HANDLE_FLAGS);
            out.push_str(", eventflags=");
            xlat::flags(out, u32_at(&b, 8) as u64, &EVENT_FLAGS);
            out.push_str(", consumer_label=");
            cstring_field(out, &b[12..44], cx.opts);
            out.push('}');
            Rval::Exit
        }
        // GPIOHANDLE_GET_LINE_VALUES_IOCTL
        0xc040b408 if cx.entering() => Rval::Exit,
        // ... and GPIOHANDLE_SET_LINE_VALUES_IOCTL
        0xc040b408 | 0xc040b409 => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 64) {
                out.push_str("{values=");
                local_array(out, 64, cx.opts, |out, i| {
                    let _ = write!(out, "{}", b[i]);
                });
                out.push('}');
            }
            Rval::Done
        }
        // GPIOHANDLE_SET_CONFIG_IOCTL
        0xc054b40a => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 84) {
                out.push_str("{flags=");
                xlat::flags(out, u32_at(&b, 0) as u64, &HANDLE_FLAGS);
                out.push_str(", default_values=");
                local_array(out, 64, cx.opts, |out, i| {
                    let _ = write!(out, "{}", b[4 + i]);
                });
                out.push('}');
            }
            Rval::Done
        }
        // GPIO_V2_GET_LINEINFO_IOCTL, GPIO_V2_GET_LINEINFO_WATCH_IOCTL
        0xc100b405 | 0xc100b406 => {
            let Some(b) = in_out(cx, out, 256) else {
                return Rval::Done;
            };
            if cx.entering() {
                let _ = write!(out, "{{offset={}}}", u32_at(&b, 64));
                return Rval::Exit;
            }
            out.push_str("{name=");
            cstring_field(out, &b[0..32], cx.opts);
            out.push_str(", consumer=");
            cstring_field(out, &b[32..64], cx.opts);
            out.push_str(", flags=");
            xlat::flags(out, u64_at(&b, 72), &V2_FLAGS);
            let num = u32_at(&b, 68);
            let _ = write!(out, ", num_attrs={num}");
            if num != 0 {
                out.push_str(", attrs=");
                local_array(out, (num as usize).min(10), cx.opts, |out, i| {
                    out.push('{');
                    attribute(out, &b[80 + 16 * i..96 + 16 * i], false);
                    out.push('}');
                });
            }
            padding(out, &b[240..256], cx);
            out.push('}');
            Rval::Done
        }
        // GPIO_V2_GET_LINE_IOCTL
        0xc250b407 => {
            let Some(b) = in_out(cx, out, 592) else {
                return Rval::Done;
            };
            if !cx.entering() {
                new_fd(cx, out, i32_at(&b, 588));
                return Rval::Done;
            }
            let num = u32_at(&b, 560);
            let _ = write!(out, "{{num_lines={num}, offsets=");
            local_array(out, (num as usize).min(64), cx.opts, |out, i| {
                let _ = write!(out, "{}", u32_at(&b, 4 * i));
            });
            out.push_str(", consumer=");
            cstring_field(out, &b[256..288], cx.opts);
            out.push_str(", config=");
            line_config(out, &b[288..560], cx);
            let ebs = u32_at(&b, 564);
            if ebs != 0 {
                let _ = write!(out, ", event_buffer_size={ebs}");
            }
            padding(out, &b[568..588], cx);
            out.push('}');
            Rval::Exit
        }
        // GPIO_V2_LINE_SET_CONFIG_IOCTL
        0xc110b40d => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 272) {
                line_config(out, &b, cx);
            }
            Rval::Done
        }
        // GPIO_V2_LINE_GET_VALUES_IOCTL
        0xc010b40e => {
            let Some(b) = in_out(cx, out, 16) else {
                return Rval::Done;
            };
            if cx.entering() {
                let _ = write!(out, "{{mask={}}}", CHex(u64_at(&b, 8)));
                return Rval::Exit;
            }
            let _ = write!(out, "{{bits={}}}", CHex(u64_at(&b, 0)));
            Rval::Done
        }
        // GPIO_V2_LINE_SET_VALUES_IOCTL
        0xc010b40f => {
            out.push_str(", ");
            if let Some(b) = cx.fetch(out, arg, 16) {
                let _ = write!(
                    out,
                    "{{bits={}, mask={}}}",
                    CHex(u64_at(&b, 0)),
                    CHex(u64_at(&b, 8))
                );
            }
            Rval::Done
        }
        _ => Rval::Plain,
    }
}

/// The common start of a request shown at entry and again at exit: `, ` at entry, ` => ` after a
/// successful call; `None` when nothing more is shown.
fn in_out(cx: &mut Cx, out: &mut String, len: usize) -> Option<Vec<u8>> {
    if cx.entering() {
        out.push_str(", ");
    } else if cx.failed() {
        return None;
    } else {
        out.push_str(" => ");
    }
    cx.fetch(out, cx.arg, len)
}

fn new_fd(cx: &mut Cx, out: &mut String, fd: i32) {
    out.push_str("{fd=");
    cx.fd_into(out, fd);
    out.push('}');
}

/// `, padding=[...]` when any padding word is set.
fn padding(out: &mut String, b: &[u8], cx: &Cx) {
    if b.iter().all(|&c| c == 0) {
        return;
    }
    out.push_str(", padding=");
    local_array(out, b.len() / 4, cx.opts, |out, i| {
        let _ = write!(out, "{}", CHex(u32_at(b, 4 * i) as u64));
    });
}

/// `struct gpio_v2_line_config`.
fn line_config(out: &mut String, b: &[u8], cx: &Cx) {
    out.push_str("{flags=");
    xlat::flags(out, u64_at(b, 0), &V2_FLAGS);
    let num = u32_at(b, 8);
    let _ = write!(out, ", num_attrs={num}");
    padding(out, &b[12..32], cx);
    if num != 0 {
        out.push_str(", attrs=");
        local_array(out, (num as usize).min(10), cx.opts, |out, i| {
            let a = &b[32 + 24 * i..56 + 24 * i];
            out.push('{');
            attribute(out, &a[0..16], true);
            let _ = write!(out, ", mask={}}}", CHex(u64_at(a, 16)));
        });
    }
    out.push('}');
}

/// `struct gpio_v2_line_attribute`: the member its id selects, or its raw words (wrapped in
/// `attr={...}` when it is a field) for an unknown id or a set padding word.
fn attribute(out: &mut String, a: &[u8], as_field: bool) {
    let (id, pad) = (u32_at(a, 0), u32_at(a, 4));
    match (id, pad) {
        (1, 0) => {
            out.push_str("flags=");
            xlat::flags(out, u64_at(a, 8), &V2_FLAGS);
        }
        (2, 0) => {
            let _ = write!(out, "values={}", CHex(u64_at(a, 8)));
        }
        (3, 0) => {
            let _ = write!(out, "debounce_period_us={}", u32_at(a, 8));
        }
        _ => {
            if as_field {
                out.push_str("attr={");
            }
            let _ = write!(out, "id={id}");
            if pad != 0 {
                let _ = write!(out, ", padding={}", CHex(pad as u64));
            }
            let _ = write!(out, ", data={}", CHex(u64_at(a, 8)));
            if as_field {
                out.push('}');
            }
        }
    }
}
