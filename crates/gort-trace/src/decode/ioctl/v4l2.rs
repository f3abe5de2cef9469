//! Video4Linux2 ioctls (`linux/videodev2.h`, type `V`).
//!
//! Design: most requests are read-write: the fields the caller fills (a buffer type, an index) are
//! shown at entry and what the kernel wrote at exit, after `=>` where the kernel rewrites a field the
//! caller set. A structure whose layout depends on a buffer type (`struct v4l2_format`) is shown by
//! that type. Pixel formats are four characters (`v4l2_fourcc('Y', 'U', 'Y', 'V')`) with their name
//! in a comment; control ids without a name of their own are shown relative to their class
//! (`V4L2_CTRL_CLASS_USER+0x...`). Layouts are the x86_64 ones.

use super::cx::{addr_into, cstring_field, i32_at, i64_at, local_array, u16_at, u32_at, u64_at};
use super::cx::{Cx, Rval};
use super::tables::*;
use crate::decode::replay::Record;
use crate::decode::structs::CHex;
use crate::decode::xlat::{self, style, Style, Xlat};
use std::fmt::Write;

const BUF_TYPES: Xlat = Xlat::hex(V4L2_BUF_TYPES, "V4L2_BUF_TYPE_???");
const CAPS: Xlat = Xlat::hex(V4L2_DEVICE_CAPABILITIES_FLAGS, "V4L2_CAP_???");
const FMT_FLAGS: Xlat = Xlat::hex(V4L2_FORMAT_DESCRIPTION_FLAGS, "V4L2_FMT_FLAG_???");
const FIELDS: Xlat = Xlat::hex(V4L2_FIELDS, "V4L2_FIELD_???");
const COLORSPACES: Xlat = Xlat::hex(V4L2_COLORSPACES, "V4L2_COLORSPACE_???");
const VBI_FLAGS: Xlat = Xlat::hex(V4L2_VBI_FLAGS, "V4L2_VBI_???");
const SLICED: Xlat = Xlat::hex(V4L2_SLICED_FLAGS, "V4L2_SLICED_???");
const MEMORIES: Xlat = Xlat::hex(V4L2_MEMORIES, "V4L2_MEMORY_???");
const BUF_FLAGS: Xlat = Xlat::hex(V4L2_BUF_FLAGS, "V4L2_BUF_FLAG_???");
const TS_TYPE: Xlat = Xlat::hex(V4L2_BUF_FLAGS_TS_TYPE, "V4L2_BUF_FLAG_TIMESTAMP_???");
const TS_SRC: Xlat = Xlat::hex(V4L2_BUF_FLAGS_TS_SRC, "V4L2_BUF_FLAG_TSTAMP_SRC_???");
const STREAMING: Xlat = Xlat::hex(V4L2_STREAMING_CAPABILITIES, "V4L2_CAP_???");
const MODES: Xlat = Xlat::hex(V4L2_CAPTURE_MODES, "V4L2_MODE_???");
const INPUT_TYPES: Xlat = Xlat::hex(V4L2_INPUT_TYPES, "V4L2_INPUT_TYPE_???");
const CLASSES: Xlat = Xlat::hex(V4L2_CONTROL_CLASSES, "V4L2_CTRL_CLASS_???");
const CIDS: Xlat = Xlat::hex(V4L2_CONTROL_IDS, "V4L2_CID_???");
const QUERY_FLAGS: Xlat = Xlat::hex(V4L2_CONTROL_QUERY_FLAGS, "V4L2_CTRL_FLAG_NEXT_???");
const TUNER_TYPES: Xlat = Xlat::hex(V4L2_TUNER_TYPES, "V4L2_TUNER_???");
const TUNER_CAPS: Xlat = Xlat::hex(V4L2_TUNER_CAPABILITIES, "V4L2_TUNER_CAP_???");
const RXSUBCHANS: Xlat = Xlat::hex(V4L2_TUNER_RXSUBCHANSES, "V4L2_TUNER_SUB_???");
const AUDMODES: Xlat = Xlat::hex(V4L2_TUNER_AUDMODES, "V4L2_TUNER_MODE_???");
const CTRL_TYPES: Xlat = Xlat::hex(V4L2_CONTROL_TYPES, "V4L2_CTRL_TYPE_???");
const CTRL_FLAGS: Xlat = Xlat::hex(V4L2_CONTROL_FLAGS, "V4L2_CTRL_FLAG_???");
const FRMSIZE_TYPES: Xlat = Xlat::hex(V4L2_FRAMESIZE_TYPES, "V4L2_FRMSIZE_TYPE_???");
const FRMIVAL_TYPES: Xlat = Xlat::hex(V4L2_FRAMEINTERVAL_TYPES, "V4L2_FRMIVAL_TYPE_???");

const QUERYCAP: u32 = 0x80685600;
const ENUM_FMT: u32 = 0xc0405602;
const G_FMT: u32 = 0xc0d05604;
const S_FMT: u32 = 0xc0d05605;
const TRY_FMT: u32 = 0xc0d05640;
const REQBUFS: u32 = 0xc0145608;
const QUERYBUF: u32 = 0xc0585609;
const QBUF: u32 = 0xc058560f;
const DQBUF: u32 = 0xc0585611;
const G_FBUF: u32 = 0x8030560a;
const S_FBUF: u32 = 0x4030560b;
const STREAMON: u32 = 0x40045612;
const STREAMOFF: u32 = 0x40045613;
const G_PARM: u32 = 0xc0cc5615;
const S_PARM: u32 = 0xc0cc5616;
const G_STD: u32 = 0x80085617;
const S_STD: u32 = 0x40085618;
const ENUMSTD: u32 = 0xc0485619;
const ENUMINPUT: u32 = 0xc050561a;
const G_CTRL: u32 = 0xc008561b;
const S_CTRL: u32 = 0xc008561c;
const G_TUNER: u32 = 0xc054561d;
const S_TUNER: u32 = 0x4054561e;
const QUERYCTRL: u32 = 0xc0445624;
const QUERY_EXT_CTRL: u32 = 0xc0e85667;
const G_INPUT: u32 = 0x80045626;
const S_INPUT: u32 = 0xc0045627;
const CROPCAP: u32 = 0xc02c563a;
const G_CROP: u32 = 0xc014563b;
const S_CROP: u32 = 0x4014563c;
const G_EXT_CTRLS: u32 = 0xc0205647;
const S_EXT_CTRLS: u32 = 0xc0205648;
const TRY_EXT_CTRLS: u32 = 0xc0205649;
const ENUM_FRAMESIZES: u32 = 0xc02c564a;
const ENUM_FRAMEINTERVALS: u32 = 0xc034564b;
/// `VIDIOC_CREATE_BUFS`: its result is shown after the return value.
pub const CREATE_BUFS: u32 = 0xc100565c;

/// Decodes a V4L2 request.
pub fn decode(cx: &mut Cx, out: &mut String) -> Rval {
    match cx.code {
        QUERYCAP => capability(cx, out),
        ENUM_FMT => fmtdesc(cx, out),
        G_FMT | S_FMT | TRY_FMT => format(cx, out, cx.code == G_FMT),
        REQBUFS => requestbuffers(cx, out),
        QUERYBUF | QBUF | DQBUF => buffer(cx, out),
        G_FBUF if cx.entering() => Rval::Exit,
        G_FBUF | S_FBUF => framebuffer(cx, out),
        STREAMON | STREAMOFF => {
            out.push_str(", ");
            let arg = cx.arg;
            cx.xval_into(out, arg, &BUF_TYPES);
            Rval::Done
        }
        G_PARM | S_PARM => streamparm(cx, out, cx.code == G_PARM),
        G_STD if cx.entering() => Rval::Exit,
        G_STD | S_STD => {
            out.push_str(", ");
            let arg = cx.arg;
            if let Some(b) = cx.fetch(out, arg, 8) {
                let _ = write!(out, "[{}]", CHex(u64_at(&b, 0)));
            }
            Rval::Done
        }
        ENUMSTD => standard(cx, out),
        ENUMINPUT => input(cx, out),
        G_CTRL | S_CTRL => control(cx, out, cx.code == G_CTRL),
        G_TUNER | S_TUNER => tuner(cx, out, cx.code == G_TUNER),
        QUERYCTRL => queryctrl(cx, out, false),
        QUERY_EXT_CTRL => queryctrl(cx, out, true),
        G_INPUT if cx.entering() => Rval::Exit,
        G_INPUT | S_INPUT => {
            out.push_str(", ");
            let arg = cx.arg;
            cx.uint_into(out, arg);
            Rval::Done
        }
        CROPCAP => cropcap(cx, out),
        G_CROP | S_CROP => crop(cx, out, cx.code == G_CROP),
        G_EXT_CTRLS | S_EXT_CTRLS | TRY_EXT_CTRLS => ext_controls(cx, out, cx.code == G_EXT_CTRLS),
        ENUM_FRAMESIZES => frmsizeenum(cx, out),
        ENUM_FRAMEINTERVALS => frmivalenum(cx, out),
        CREATE_BUFS => create_buffers(cx, out),
        _ => Rval::Plain,
    }
}

/// At entry, `, ` and the structure's bytes, or the address printed (then the request is done).
fn enter(cx: &mut Cx, out: &mut String, len: usize) -> Option<Vec<u8>> {
    out.push_str(", ");
    let arg = cx.arg;
    cx.fetch(out, arg, len)
}

/// At exit, the structure's bytes when the call succeeded and they are readable.
fn result(cx: &mut Cx, len: usize) -> Option<Vec<u8>> {
    if cx.failed() {
        return None;
    }
    let arg = cx.arg;
    cx.read(arg, len)
}

/// `{left=.., top=.., width=.., height=..}` at `off`.
fn rect(out: &mut String, b: &[u8], off: usize) {
    let _ = write!(
        out,
        "{{left={}, top={}, width={}, height={}}}",
        i32_at(b, off),
        i32_at(b, off + 4),
        u32_at(b, off + 8),
        u32_at(b, off + 12)
    );
}

/// `N/D` for the `struct v4l2_fract` at `off`.
fn fract(out: &mut String, b: &[u8], off: usize) {
    let _ = write!(out, "{}/{}", u32_at(b, off), u32_at(b, off + 4));
}

/// One character in quotes, escaped as strace's `print_char` does.
fn quoted_char(out: &mut String, c: u8) {
    out.push('\'');
    match c {
        b'\'' | b'\\' => {
            out.push('\\');
            out.push(c as char);
        }
        0x20..=0x7e => out.push(c as char),
        _ => {
            let _ = write!(out, "\\x{c:02x}");
        }
    }
    out.push('\'');
}

/// A four-character code: `v4l2_fourcc('Y', 'U', 'Y', 'V') /* V4L2_PIX_FMT_YUYV */`, the number
/// under `-X raw`.
fn fourcc(out: &mut String, v: u32, names: &[(u64, &str)]) {
    if style() == Style::Raw {
        let _ = write!(out, "{}", CHex(v as u64));
        return;
    }
    out.push_str("v4l2_fourcc(");
    for (i, c) in v.to_le_bytes().iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        quoted_char(out, *c);
    }
    out.push(')');
    if let Some((_, n)) = names.iter().find(|(x, _)| *x == v as u64) {
        let _ = write!(out, " /* {n} */");
    }
}

/// `KERNEL_VERSION(a, b, c)`, in the chosen style.
fn kernel_version(out: &mut String, v: u32) {
    let text = format!(
        "KERNEL_VERSION({}, {}, {})",
        v >> 16,
        (v >> 8) & 0xff,
        v & 0xff
    );
    xlat::composed(out, v as u64, &text);
}

fn capability(cx: &mut Cx, out: &mut String) -> Rval {
    if cx.entering() {
        return Rval::Exit;
    }
    let Some(b) = enter(cx, out, 104) else {
        return Rval::Done;
    };
    out.push_str("{driver=");
    cstring_field(out, &b[0..16], cx.opts);
    out.push_str(", card=");
    cstring_field(out, &b[16..48], cx.opts);
    out.push_str(", bus_info=");
    cstring_field(out, &b[48..80], cx.opts);
    out.push_str(", version=");
    kernel_version(out, u32_at(&b, 80));
    out.push_str(", capabilities=");
    xlat::flags(out, u32_at(&b, 84) as u64, &CAPS);
    let device_caps = u32_at(&b, 88);
    if device_caps != 0 {
        out.push_str(", device_caps=");
        xlat::flags(out, device_caps as u64, &CAPS);
    }
    out.push('}');
    Rval::Done
}

fn fmtdesc(cx: &mut Cx, out: &mut String) -> Rval {
    if cx.entering() {
        let Some(b) = enter(cx, out, 64) else {
            return Rval::Done;
        };
        let _ = write!(out, "{{index={}, type=", u32_at(&b, 0));
        xlat::value(out, u32_at(&b, 4) as u64, &BUF_TYPES);
        return Rval::Exit;
    }
    if let Some(b) = result(cx, 64) {
        out.push_str(", flags=");
        xlat::flags(out, u32_at(&b, 8) as u64, &FMT_FLAGS);
        out.push_str(", description=");
        cstring_field(out, &b[12..44], cx.opts);
        out.push_str(", pixelformat=");
        fourcc(out, u32_at(&b, 44), V4L2_PIX_FMTS);
    }
    out.push('}');
    Rval::Done
}

/// The `fmt` union of a `struct v4l2_format` whose type is at `b[0]` and union at `b[8]`, after
/// `prefix`; false when the type has no known layout or its clip list cannot be read.
fn format_fmt(cx: &mut Cx, out: &mut String, prefix: &str, b: &[u8]) -> bool {
    let f = &b[8..];
    match u32_at(b, 0) {
        1 | 2 => {
            out.push_str(prefix);
            let _ = write!(
                out,
                "fmt.pix={{width={}, height={}, pixelformat=",
                u32_at(f, 0),
                u32_at(f, 4)
            );
            fourcc(out, u32_at(f, 8), V4L2_PIX_FMTS);
            out.push_str(", field=");
            xlat::value(out, u32_at(f, 12) as u64, &FIELDS);
            let _ = write!(
                out,
                ", bytesperline={}, sizeimage={}, colorspace=",
                u32_at(f, 16),
                u32_at(f, 20)
            );
            xlat::value(out, u32_at(f, 24) as u64, &COLORSPACES);
            out.push('}');
        }
        9 | 10 => {
            out.push_str(prefix);
            let _ = write!(
                out,
                "fmt.pix_mp={{width={}, height={}, pixelformat=",
                u32_at(f, 0),
                u32_at(f, 4)
            );
            fourcc(out, u32_at(f, 8), V4L2_PIX_FMTS);
            out.push_str(", field=");
            xlat::value(out, u32_at(f, 12) as u64, &FIELDS);
            out.push_str(", colorspace=");
            xlat::value(out, u32_at(f, 16) as u64, &COLORSPACES);
            out.push_str(", plane_fmt=");
            let planes = f[180] as usize;
            local_array(out, planes.min(8), cx.opts, |out, i| {
                let at = 20 + i * 20;
                let _ = write!(
                    out,
                    "{{sizeimage={}, bytesperline={}}}",
                    u32_at(f, at),
                    u32_at(f, at + 4)
                );
            });
            let _ = write!(out, ", num_planes={planes}}}");
        }
        3 | 8 => {
            out.push_str(prefix);
            out.push_str("fmt.win={w=");
            rect(out, f, 0);
            out.push_str(", field=");
            xlat::value(out, u32_at(f, 16) as u64, &FIELDS);
            let _ = write!(out, ", chromakey={}, clips=", CHex(u32_at(f, 20) as u64));
            let clipcount = u32_at(f, 32);
            let clips = u64_at(f, 24);
            cx.array_into(out, clips, clipcount as u64, 24, |_, out, c| {
                out.push_str("{c=");
                rect(out, c, 0);
                out.push('}');
                true
            });
            let ok = array_complete(cx, clips, clipcount as u64, 24);
            let _ = write!(out, ", clipcount={clipcount}, bitmap=");
            addr_into(out, u64_at(f, 40));
            let alpha = f[48];
            if alpha != 0 {
                let _ = write!(out, ", global_alpha={alpha:#x}");
            }
            out.push('}');
            return ok;
        }
        4 | 5 => {
            out.push_str(prefix);
            let _ = write!(
                out,
                "fmt.vbi={{sampling_rate={}, offset={}, samples_per_line={}, sample_format=",
                u32_at(f, 0),
                u32_at(f, 4),
                u32_at(f, 8)
            );
            fourcc(out, u32_at(f, 12), V4L2_PIX_FMTS);
            let _ = write!(
                out,
                ", start=[{}, {}], count=[{}, {}], flags=",
                i32_at(f, 16),
                i32_at(f, 20),
                u32_at(f, 24),
                u32_at(f, 28)
            );
            xlat::flags(out, u32_at(f, 32) as u64, &VBI_FLAGS);
            out.push('}');
        }
        6 | 7 => {
            out.push_str(prefix);
            out.push_str("fmt.sliced={service_set=");
            xlat::flags(out, u16_at(f, 0) as u64, &SLICED);
            out.push_str(", service_lines=");
            local_array(out, 2, cx.opts, |out, i| {
                local_array(out, 24, cx.opts, |out, j| {
                    let _ = write!(out, "{}", CHex(u16_at(f, 2 + (i * 24 + j) * 2) as u64));
                });
            });
            let _ = write!(out, ", io_size={}}}", u32_at(f, 100));
        }
        11 | 12 => {
            out.push_str(prefix);
            out.push_str("fmt.sdr={pixelformat=");
            fourcc(out, u32_at(f, 0), V4L2_SDR_FMTS);
            let size = u32_at(f, 4);
            if size != 0 {
                let _ = write!(out, ", buffersize={size}");
            }
            out.push('}');
        }
        13 | 14 => {
            out.push_str(prefix);
            out.push_str("fmt.meta={dataformat=");
            fourcc(out, u32_at(f, 0), V4L2_META_FMTS);
            let _ = write!(out, ", buffersize={}}}", u32_at(f, 4));
        }
        _ => return false,
    }
    true
}

fn format(cx: &mut Cx, out: &mut String, is_get: bool) -> Rval {
    if cx.entering() {
        let Some(b) = enter(cx, out, 208) else {
            return Rval::Done;
        };
        out.push_str("{type=");
        xlat::value(out, u32_at(&b, 0) as u64, &BUF_TYPES);
        if is_get {
            return Rval::Exit;
        }
        if !format_fmt(cx, out, ", ", &b) {
            out.push('}');
            return Rval::Done;
        }
        return Rval::Exit;
    }
    if let Some(b) = result(cx, 208) {
        let prefix = if is_get { ", " } else { "} => {" };
        format_fmt(cx, out, prefix, &b);
    }
    out.push('}');
    Rval::Done
}

fn requestbuffers(cx: &mut Cx, out: &mut String) -> Rval {
    if cx.entering() {
        let Some(b) = enter(cx, out, 20) else {
            return Rval::Done;
        };
        out.push_str("{type=");
        xlat::value(out, u32_at(&b, 4) as u64, &BUF_TYPES);
        out.push_str(", memory=");
        xlat::value(out, u32_at(&b, 8) as u64, &MEMORIES);
        let _ = write!(out, ", count={}", u32_at(&b, 0));
        return Rval::Exit;
    }
    if let Some(b) = result(cx, 20) {
        let _ = write!(out, " => {}", u32_at(&b, 0));
    }
    out.push('}');
    Rval::Done
}

/// `V4L2_BUF_FLAG_...|V4L2_BUF_FLAG_TIMESTAMP_...|V4L2_BUF_FLAG_TSTAMP_SRC_...`.
fn buffer_flags(out: &mut String, v: u32) {
    const TIMESTAMP_MASK: u32 = 0xe000;
    const TSTAMP_SRC_MASK: u32 = 0x70000;
    if style() == Style::Raw {
        let _ = write!(out, "{}", CHex(v as u64));
        return;
    }
    let flags = v & !TIMESTAMP_MASK & !TSTAMP_SRC_MASK;
    if flags != 0 {
        xlat::flags(out, flags as u64, &BUF_FLAGS);
        out.push('|');
    }
    xlat::value(out, (v & TIMESTAMP_MASK) as u64, &TS_TYPE);
    out.push('|');
    xlat::value(out, (v & TSTAMP_SRC_MASK) as u64, &TS_SRC);
}

fn buffer(cx: &mut Cx, out: &mut String) -> Rval {
    let dq = cx.code == DQBUF;
    if cx.entering() {
        let Some(b) = enter(cx, out, 88) else {
            return Rval::Done;
        };
        out.push_str("{type=");
        xlat::value(out, u32_at(&b, 4) as u64, &BUF_TYPES);
        if !dq {
            let _ = write!(out, ", index={}", u32_at(&b, 0));
        }
        return Rval::Exit;
    }
    if let Some(b) = result(cx, 88) {
        if dq {
            let _ = write!(out, ", index={}", u32_at(&b, 0));
        }
        out.push_str(", memory=");
        let memory = u32_at(&b, 60);
        xlat::value(out, memory as u64, &MEMORIES);
        match memory {
            1 => {
                let _ = write!(out, ", m.offset={}", CHex(u32_at(&b, 64) as u64));
            }
            2 => {
                out.push_str(", m.userptr=");
                addr_into(out, u64_at(&b, 64));
            }
            _ => {}
        }
        let _ = write!(
            out,
            ", length={}, bytesused={}, flags=",
            u32_at(&b, 72),
            u32_at(&b, 8)
        );
        buffer_flags(out, u32_at(&b, 12));
        if dq {
            let _ = write!(
                out,
                ", timestamp={{tv_sec={}, tv_usec={}}}",
                i64_at(&b, 24),
                u64_at(&b, 32)
            );
        }
        out.push_str(", ...");
    }
    out.push('}');
    Rval::Done
}

fn framebuffer(cx: &mut Cx, out: &mut String) -> Rval {
    if let Some(b) = enter(cx, out, 48) {
        let _ = write!(
            out,
            "{{capability={}, flags={}, base=",
            CHex(u32_at(&b, 0) as u64),
            CHex(u32_at(&b, 4) as u64)
        );
        addr_into(out, u64_at(&b, 8));
        out.push('}');
    }
    Rval::Done
}

/// `parm.capture={...}` or `parm.output={...}` for the buffer type at `b[0]`.
fn streamparm_parm(out: &mut String, b: &[u8]) {
    let (name, mode, buffers) = if u32_at(b, 0) == 1 {
        ("capture", "capturemode", "readbuffers")
    } else {
        ("output", "outputmode", "writebuffers")
    };
    let _ = write!(out, "parm.{name}={{capability=");
    xlat::flags(out, u32_at(b, 4) as u64, &STREAMING);
    let _ = write!(out, ", {mode}=");
    xlat::flags(out, u32_at(b, 8) as u64, &MODES);
    out.push_str(", timeperframe=");
    fract(out, b, 12);
    let _ = write!(
        out,
        ", extendedmode={}, {buffers}={}}}",
        CHex(u32_at(b, 20) as u64),
        u32_at(b, 24)
    );
}

fn streamparm(cx: &mut Cx, out: &mut String, is_get: bool) -> Rval {
    if cx.entering() {
        let Some(b) = enter(cx, out, 204) else {
            return Rval::Done;
        };
        out.push_str("{type=");
        let typ = u32_at(&b, 0);
        xlat::value(out, typ as u64, &BUF_TYPES);
        if typ != 1 && typ != 2 {
            out.push('}');
            return Rval::Done;
        }
        if is_get {
            return Rval::Exit;
        }
        out.push_str(", ");
        streamparm_parm(out, &b);
        return Rval::Exit;
    }
    let Some(b) = result(cx, 204) else {
        out.push('}');
        return Rval::Done;
    };
    out.push_str(if is_get { ", " } else { "} => {" });
    streamparm_parm(out, &b);
    out.push('}');
    Rval::Done
}

fn standard(cx: &mut Cx, out: &mut String) -> Rval {
    if cx.entering() {
        let Some(b) = enter(cx, out, 72) else {
            return Rval::Done;
        };
        let _ = write!(out, "{{index={}", u32_at(&b, 0));
        return Rval::Exit;
    }
    if let Some(b) = result(cx, 72) {
        out.push_str(", name=");
        cstring_field(out, &b[16..40], cx.opts);
        out.push_str(", frameperiod=");
        fract(out, &b, 40);
        let _ = write!(out, ", framelines={}", u32_at(&b, 48));
    }
    out.push('}');
    Rval::Done
}

fn input(cx: &mut Cx, out: &mut String) -> Rval {
    if cx.entering() {
        let Some(b) = enter(cx, out, 80) else {
            return Rval::Done;
        };
        let _ = write!(out, "{{index={}", u32_at(&b, 0));
        return Rval::Exit;
    }
    if let Some(b) = result(cx, 80) {
        out.push_str(", name=");
        cstring_field(out, &b[4..36], cx.opts);
        out.push_str(", type=");
        xlat::value(out, u32_at(&b, 36) as u64, &INPUT_TYPES);
    }
    out.push('}');
    Rval::Done
}

/// A control id: its name, or its class and offset (`V4L2_CTRL_CLASS_USER+0x...`); with
/// `next_flags`, the `V4L2_CTRL_FLAG_NEXT_*` bits first.
fn cid(out: &mut String, mut id: u32, next_flags: bool) {
    if style() == Style::Raw {
        let _ = write!(out, "{}", CHex(id as u64));
        return;
    }
    if next_flags {
        let mask = V4L2_CONTROL_QUERY_FLAGS
            .iter()
            .fold(0u64, |m, (v, _)| m | v) as u32;
        let flags = id & mask;
        if flags != 0 {
            xlat::flags(out, flags as u64, &QUERY_FLAGS);
            out.push('|');
            id &= !flags;
        }
    }
    if let Some(n) = CIDS.name(id as u64) {
        xlat::composed(out, id as u64, n);
        return;
    }
    let class = V4L2_CONTROL_CLASSES
        .iter()
        .filter(|(v, _)| *v <= id as u64)
        .max_by_key(|(v, _)| *v);
    match class {
        Some((v, n)) if id as u64 - v < 0x10000 => {
            xlat::composed(out, id as u64, &format!("{n}+{}", CHex(id as u64 - v)));
        }
        _ => {
            let _ = write!(out, "{} /* V4L2_CID_??? */", CHex(id as u64));
        }
    }
}

fn control(cx: &mut Cx, out: &mut String, is_get: bool) -> Rval {
    if cx.entering() {
        let Some(b) = enter(cx, out, 8) else {
            return Rval::Done;
        };
        out.push_str("{id=");
        cid(out, u32_at(&b, 0), false);
        if !is_get {
            let _ = write!(out, ", value={}", i32_at(&b, 4));
        }
        return Rval::Exit;
    }
    if let Some(b) = result(cx, 8) {
        if is_get {
            let _ = write!(out, ", value={}", i32_at(&b, 4));
        } else {
            let _ = write!(out, " => {}", i32_at(&b, 4));
        }
    }
    out.push('}');
    Rval::Done
}

fn tuner_fields(cx: &Cx, out: &mut String, b: &[u8]) {
    out.push_str("name=");
    cstring_field(out, &b[4..36], cx.opts);
    out.push_str(", type=");
    xlat::value(out, u32_at(b, 36) as u64, &TUNER_TYPES);
    out.push_str(", capability=");
    xlat::flags(out, u32_at(b, 40) as u64, &TUNER_CAPS);
    let _ = write!(
        out,
        ", rangelow={}, rangehigh={}, rxsubchans=",
        u32_at(b, 44),
        u32_at(b, 48)
    );
    xlat::flags(out, u32_at(b, 52) as u64, &RXSUBCHANS);
    out.push_str(", audmode=");
    xlat::value(out, u32_at(b, 56) as u64, &AUDMODES);
    let _ = write!(out, ", signal={}, afc={}", i32_at(b, 60), i32_at(b, 64));
}

fn tuner(cx: &mut Cx, out: &mut String, is_get: bool) -> Rval {
    if cx.entering() {
        let Some(b) = enter(cx, out, 84) else {
            return Rval::Done;
        };
        let _ = write!(out, "{{index={}", u32_at(&b, 0));
        if is_get {
            return Rval::Exit;
        }
        out.push_str(", ");
        tuner_fields(cx, out, &b);
        return Rval::Exit;
    }
    let Some(b) = result(cx, 84) else {
        out.push('}');
        return Rval::Done;
    };
    out.push_str(if is_get { ", " } else { "} => {" });
    tuner_fields(cx, out, &b);
    out.push('}');
    Rval::Done
}

/// `VIDIOC_QUERYCTRL` (`ext` false) and `VIDIOC_QUERY_EXT_CTRL`.
fn queryctrl(cx: &mut Cx, out: &mut String, ext: bool) -> Rval {
    let len = if ext { 232 } else { 68 };
    if cx.entering() {
        let Some(b) = enter(cx, out, len) else {
            return Rval::Done;
        };
        out.push_str("{id=");
        cid(out, u32_at(&b, 0), true);
        return Rval::Exit;
    }
    let Some(b) = result(cx, len) else {
        out.push('}');
        return Rval::Done;
    };
    let id = u32_at(&b, 0);
    let entry_id = cx.entry_read(cx.arg, len).map(|e| u32_at(&e, 0));
    if entry_id != Some(id) {
        out.push_str(" => ");
        cid(out, id, false);
    }
    out.push_str(", type=");
    xlat::value(out, u32_at(&b, 4) as u64, &CTRL_TYPES);
    out.push_str(", name=");
    cstring_field(out, &b[8..40], cx.opts);
    if !cx.verbose() {
        out.push_str(", ...}");
        return Rval::Done;
    }
    let reserved: &[u8] = if ext {
        let _ = write!(
            out,
            ", minimum={}, maximum={}, step={}, default_value={}, flags=",
            i64_at(&b, 40),
            i64_at(&b, 48),
            u64_at(&b, 56),
            i64_at(&b, 64)
        );
        xlat::flags(out, u32_at(&b, 72) as u64, &CTRL_FLAGS);
        let dims = u32_at(&b, 84);
        let _ = write!(
            out,
            ", elem_size={}, elems={}, nr_of_dims={dims}, dims=",
            u32_at(&b, 76),
            u32_at(&b, 80)
        );
        local_array(out, (dims as usize).min(4), cx.opts, |out, i| {
            let _ = write!(out, "{}", u32_at(&b, 88 + 4 * i));
        });
        &b[104..232]
    } else {
        let _ = write!(
            out,
            ", minimum={}, maximum={}, step={}, default_value={}, flags=",
            i32_at(&b, 40),
            i32_at(&b, 44),
            i32_at(&b, 48),
            i32_at(&b, 52)
        );
        xlat::flags(out, u32_at(&b, 56) as u64, &CTRL_FLAGS);
        &b[60..68]
    };
    if reserved.iter().any(|&c| c != 0) {
        out.push_str(", reserved=");
        local_array(out, reserved.len() / 4, cx.opts, |out, i| {
            let _ = write!(out, "{}", CHex(u32_at(reserved, 4 * i) as u64));
        });
    }
    out.push('}');
    Rval::Done
}

fn cropcap(cx: &mut Cx, out: &mut String) -> Rval {
    if cx.entering() {
        let Some(b) = enter(cx, out, 44) else {
            return Rval::Done;
        };
        out.push_str("{type=");
        xlat::value(out, u32_at(&b, 0) as u64, &BUF_TYPES);
        return Rval::Exit;
    }
    if let Some(b) = result(cx, 44) {
        out.push_str(", bounds=");
        rect(out, &b, 4);
        out.push_str(", defrect=");
        rect(out, &b, 20);
        out.push_str(", pixelaspect=");
        fract(out, &b, 36);
    }
    out.push('}');
    Rval::Done
}

fn crop(cx: &mut Cx, out: &mut String, is_get: bool) -> Rval {
    if cx.entering() {
        let Some(b) = enter(cx, out, 20) else {
            return Rval::Done;
        };
        out.push_str("{type=");
        xlat::value(out, u32_at(&b, 0) as u64, &BUF_TYPES);
        if is_get {
            return Rval::Exit;
        }
        out.push_str(", c=");
        rect(out, &b, 4);
        out.push('}');
        return Rval::Done;
    }
    if let Some(b) = result(cx, 20) {
        out.push_str(", c=");
        rect(out, &b, 4);
    }
    out.push('}');
    Rval::Done
}

/// The `controls` array of a `struct v4l2_ext_controls`; false when it could not be read.
fn ext_control_array(cx: &mut Cx, out: &mut String, addr: u64, count: u32) -> bool {
    out.push_str("controls=");
    cx.array_into(out, addr, count as u64, 20, |cx, out, c| {
        out.push_str("{id=");
        xlat::value(out, u32_at(c, 0) as u64, &CIDS);
        let size = u32_at(c, 4);
        let _ = write!(out, ", size={size}");
        if size > 0 {
            out.push_str(", string=");
            cx.str_into(out, u64_at(c, 12), size as usize);
        } else {
            let _ = write!(out, ", value={}, value64={}", i32_at(c, 12), i64_at(c, 12));
        }
        out.push('}');
        true
    });
    array_complete(cx, addr, count as u64, 20)
}

/// Whether strace's `print_array` of the same arguments got to its end (or to its `-s` cut): false
/// for NULL, for no elements and when an element it wanted could not be read.
fn array_complete(cx: &mut Cx, addr: u64, nmemb: u64, size: usize) -> bool {
    let size = size as u64;
    if addr == 0 || nmemb == 0 {
        return false;
    }
    if nmemb
        .checked_mul(size)
        .and_then(|t| addr.checked_add(t))
        .is_none()
    {
        return false;
    }
    let max = cx.opts.strsize as u64;
    let wanted = if !cx.verbose() && max < nmemb {
        max + 1
    } else {
        nmemb
    };
    (0..wanted).all(|i| cx.read(addr + i * size, size as usize).is_some())
}

fn ext_controls(cx: &mut Cx, out: &mut String, is_get: bool) -> Rval {
    if cx.entering() {
        let Some(b) = enter(cx, out, 32) else {
            return Rval::Done;
        };
        out.push_str("{ctrl_class=");
        xlat::value(out, u32_at(&b, 0) as u64, &CLASSES);
        let count = u32_at(&b, 4);
        let _ = write!(out, ", count={count}");
        if count == 0 {
            out.push('}');
            return Rval::Done;
        }
        if is_get {
            return Rval::Exit;
        }
        out.push_str(", ");
        if !ext_control_array(cx, out, u64_at(&b, 24), count) {
            out.push('}');
            return Rval::Done;
        }
        return Rval::Exit;
    }
    let arg = cx.arg;
    let Some(b) = cx.read(arg, 32) else {
        out.push('}');
        return Rval::Done;
    };
    out.push_str(if is_get { ", " } else { "} => {" });
    ext_control_array(cx, out, u64_at(&b, 24), u32_at(&b, 4));
    if cx.failed() {
        let _ = write!(out, ", error_idx={}", u32_at(&b, 8));
    }
    out.push('}');
    Rval::Done
}

fn frmsizeenum(cx: &mut Cx, out: &mut String) -> Rval {
    if cx.entering() {
        let Some(b) = enter(cx, out, 44) else {
            return Rval::Done;
        };
        let _ = write!(out, "{{index={}, pixel_format=", u32_at(&b, 0));
        fourcc(out, u32_at(&b, 4), V4L2_PIX_FMTS);
        return Rval::Exit;
    }
    if let Some(b) = result(cx, 44) {
        out.push_str(", type=");
        let typ = u32_at(&b, 8);
        xlat::value(out, typ as u64, &FRMSIZE_TYPES);
        match typ {
            1 => {
                let _ = write!(
                    out,
                    ", discrete={{width={}, height={}}}",
                    u32_at(&b, 12),
                    u32_at(&b, 16)
                );
            }
            3 => {
                let _ = write!(
                    out,
                    ", stepwise={{min_width={}, max_width={}, step_width={}, min_height={}, max_height={}, step_height={}}}",
                    u32_at(&b, 12),
                    u32_at(&b, 16),
                    u32_at(&b, 20),
                    u32_at(&b, 24),
                    u32_at(&b, 28),
                    u32_at(&b, 32)
                );
            }
            _ => {}
        }
    }
    out.push('}');
    Rval::Done
}

fn frmivalenum(cx: &mut Cx, out: &mut String) -> Rval {
    if cx.entering() {
        let Some(b) = enter(cx, out, 52) else {
            return Rval::Done;
        };
        let _ = write!(out, "{{index={}, pixel_format=", u32_at(&b, 0));
        fourcc(out, u32_at(&b, 4), V4L2_PIX_FMTS);
        let _ = write!(out, ", width={}, height={}", u32_at(&b, 8), u32_at(&b, 12));
        return Rval::Exit;
    }
    if let Some(b) = result(cx, 52) {
        out.push_str(", type=");
        let typ = u32_at(&b, 16);
        xlat::value(out, typ as u64, &FRMIVAL_TYPES);
        match typ {
            1 => {
                out.push_str(", discrete=");
                fract(out, &b, 20);
            }
            2 | 3 => {
                out.push_str(", stepwise={min=");
                fract(out, &b, 20);
                out.push_str(", max=");
                fract(out, &b, 28);
                out.push_str(", step=");
                fract(out, &b, 36);
                out.push('}');
            }
            _ => {}
        }
    }
    out.push('}');
    Rval::Done
}

fn create_buffers(cx: &mut Cx, out: &mut String) -> Rval {
    if !cx.entering() {
        // Read (and so recorded) for `create_buffers_result`.
        let _ = result(cx, 256);
        return Rval::Done;
    }
    let Some(b) = enter(cx, out, 256) else {
        return Rval::Done;
    };
    let _ = write!(out, "{{count={}, memory=", u32_at(&b, 4));
    xlat::value(out, u32_at(&b, 8) as u64, &MEMORIES);
    out.push_str(", format={type=");
    let f = &b[16..224];
    xlat::value(out, u32_at(f, 0) as u64, &BUF_TYPES);
    format_fmt(cx, out, ", ", f);
    out.push_str("}}");
    Rval::Exit
}

/// The text after the return value of a successful `VIDIOC_CREATE_BUFS`: `{index=N, count=M}`,
/// from the structure read at exit; none when the whole structure could not be read (strace then
/// shows only its address).
pub fn create_buffers_result(log: &[Record], arg: u64) -> Option<String> {
    const LEN: usize = 256;
    let start = log
        .iter()
        .position(|r| matches!(r, Record::Read { addr, .. } if *addr == arg))?;
    // The structure is read page by page: gather the consecutive pieces.
    let mut bytes = Vec::with_capacity(LEN);
    for r in &log[start..] {
        match r {
            Record::Read { addr, len, got }
                if *addr == arg + bytes.len() as u64 && got.len() == *len =>
            {
                bytes.extend_from_slice(got);
                if bytes.len() >= LEN {
                    return Some(format!(
                        "{{index={}, count={}}}",
                        u32_at(&bytes, 0),
                        u32_at(&bytes, 4)
                    ));
                }
            }
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fourcc_shows_its_characters_escaped_and_its_name() {
        let mut s = String::new();
        fourcc(&mut s, u32::from_le_bytes(*b"YUYV"), V4L2_PIX_FMTS);
        assert_eq!(s, "v4l2_fourcc('Y', 'U', 'Y', 'V') /* V4L2_PIX_FMT_YUYV */");
        let mut s = String::new();
        fourcc(
            &mut s,
            u32::from_le_bytes([b'A', b'\'', b'\\', 0xfa]),
            V4L2_PIX_FMTS,
        );
        assert_eq!(s, r"v4l2_fourcc('A', '\'', '\\', '\xfa')");
    }

    #[test]
    fn a_control_id_without_a_name_is_shown_relative_to_its_class() {
        let mut s = String::new();
        cid(&mut s, 0x980900, false);
        assert_eq!(s, "V4L2_CID_BRIGHTNESS");
        let mut s = String::new();
        cid(&mut s, 0x980000, false);
        assert_eq!(s, "V4L2_CTRL_CLASS_USER+0");
        let mut s = String::new();
        cid(&mut s, 0xa31234, false);
        assert_eq!(s, "V4L2_CTRL_CLASS_DETECT+0x1234");
        let mut s = String::new();
        cid(&mut s, 0x97abcd, false);
        assert_eq!(s, "0x97abcd /* V4L2_CID_??? */");
        let mut s = String::new();
        cid(&mut s, 0x8000_0000 | 0x980900, true);
        assert_eq!(s, "V4L2_CTRL_FLAG_NEXT_CTRL|V4L2_CID_BRIGHTNESS");
    }
}
