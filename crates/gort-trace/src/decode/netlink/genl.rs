//! Names of generic netlink families (`NETLINK_GENERIC` message types).
//!
//! A generic netlink family's message type is an id the kernel assigns when the family registers
//! (only `nlctrl`, the controller, has a fixed one), so like strace the tracer asks the kernel: one
//! `CTRL_CMD_GETFAMILY` dump on a `NETLINK_GENERIC` socket of its own, made once, the first time a
//! generic netlink message is printed. When the kernel cannot be asked, types print as numbers.

use std::sync::OnceLock;

const GENL_ID_CTRL: u16 = 0x10;
const CTRL_CMD_GETFAMILY: u8 = 3;
const CTRL_ATTR_FAMILY_ID: u16 = 1;
const CTRL_ATTR_FAMILY_NAME: u16 = 2;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;

/// The families the kernel knows, as (id, name).
pub fn families() -> &'static [(u64, String)] {
    static FAMILIES: OnceLock<Vec<(u64, String)>> = OnceLock::new();
    FAMILIES.get_or_init(|| query().unwrap_or_default())
}

/// The name of the family with this id.
pub fn family_name(id: u16) -> Option<&'static str> {
    families()
        .iter()
        .find(|(v, _)| *v == id as u64)
        .map(|(_, n)| n.as_str())
}

fn query() -> Option<Vec<(u64, String)>> {
    // SAFETY: socket takes plain integers; the descriptor is owned by `fd` below.
    let raw = unsafe {
        libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_RAW | libc::SOCK_CLOEXEC,
            libc::NETLINK_GENERIC,
        )
    };
    if raw < 0 {
        return None;
    }
    // SAFETY: `raw` is a descriptor this function just opened and owns alone.
    let fd = unsafe { std::os::fd::OwnedFd::from_raw_fd(raw) };
    use std::os::fd::{AsRawFd, FromRawFd};
    // struct nlmsghdr + struct genlmsghdr: a dump request for every family.
    let mut req = [0u8; 20];
    req[0..4].copy_from_slice(&20u32.to_ne_bytes());
    req[4..6].copy_from_slice(&GENL_ID_CTRL.to_ne_bytes());
    let flags = (libc::NLM_F_REQUEST | libc::NLM_F_DUMP) as u16;
    req[6..8].copy_from_slice(&flags.to_ne_bytes());
    req[16] = CTRL_CMD_GETFAMILY;
    req[17] = 1;
    // SAFETY: `req` is a valid buffer of its length; a NULL address sends to the kernel.
    let sent = unsafe {
        libc::sendto(
            fd.as_raw_fd(),
            req.as_ptr().cast(),
            req.len(),
            0,
            std::ptr::null(),
            0,
        )
    };
    if sent != req.len() as isize {
        return None;
    }
    let mut families = Vec::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        // SAFETY: `buf` is a valid writable buffer of its length.
        let n = unsafe { libc::recv(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), 0) };
        if n <= 0 {
            return Some(families);
        }
        let mut msgs = &buf[..n as usize];
        while msgs.len() >= 16 {
            let len = u32::from_ne_bytes(msgs[0..4].try_into().ok()?) as usize;
            let kind = u16::from_ne_bytes([msgs[4], msgs[5]]);
            if kind == NLMSG_DONE || kind == NLMSG_ERROR {
                return Some(families);
            }
            if len < 16 || len > msgs.len() {
                return Some(families);
            }
            if let Some(f) = parse_family(&msgs[16.min(len)..len]) {
                families.push(f);
            }
            msgs = &msgs[((len + 3) & !3).min(msgs.len())..];
        }
    }
}

/// The id and name in one `CTRL_CMD_NEWFAMILY` message's payload (genlmsghdr and attributes).
fn parse_family(payload: &[u8]) -> Option<(u64, String)> {
    let mut attrs = payload.get(4..)?;
    let (mut id, mut name) = (None, None);
    while attrs.len() >= 4 {
        let len = u16::from_ne_bytes([attrs[0], attrs[1]]) as usize;
        let kind = u16::from_ne_bytes([attrs[2], attrs[3]]) & 0x3fff;
        if len < 4 || len > attrs.len() {
            break;
        }
        let data = &attrs[4..len];
        match kind {
            CTRL_ATTR_FAMILY_ID if data.len() >= 2 => {
                id = Some(u16::from_ne_bytes([data[0], data[1]]) as u64)
            }
            CTRL_ATTR_FAMILY_NAME => {
                let end = data.iter().position(|&c| c == 0).unwrap_or(data.len());
                name = Some(String::from_utf8_lossy(&data[..end]).into_owned());
            }
            _ => {}
        }
        attrs = &attrs[((len + 3) & !3).min(attrs.len())..];
    }
    Some((id?, name?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_family_message_gives_its_id_and_name() {
        let mut p = vec![3, 1, 0, 0];
        p.extend_from_slice(&[6, 0, 1, 0, 0x10, 0, 0, 0]);
        p.extend_from_slice(&[11, 0, 2, 0]);
        p.extend_from_slice(b"nlctrl\0\0");
        assert_eq!(parse_family(&p), Some((0x10, "nlctrl".to_string())));
    }

    #[test]
    fn the_kernel_names_its_controller_family() {
        // Every kernel with generic netlink registers nlctrl at its fixed id.
        if !families().is_empty() {
            assert_eq!(family_name(GENL_ID_CTRL), Some("nlctrl"));
        }
    }
}
