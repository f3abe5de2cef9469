//! What a tracee's socket is connected to, for `-yy` and `--decode-fds=socket`: `TCP:[127.0.0.1:80]`,
//! `UNIX:[1234->1235,"/tmp/s"]`, `NETLINK:[ROUTE:42]`.
//!
//! Design: the socket's protocol is its `system.sockprotoname` attribute (read through
//! `/proc/PID/fd/N`); the kernel's sock_diag netlink interface is then asked about sockets of that
//! protocol and the answer for the socket's inode is formatted as strace does. A socket the kernel does
//! not list (an unbound one) is shown as `PROTO:[INODE]`, one of a protocol without a query as its plain
//! `socket:[INODE]`. The queries run on the tracer thread while the tracee is stopped, like every fetch,
//! and only when descriptors are decorated with socket details.

use crate::decode::socket::families::NETLINK_PROTOCOLS;
use std::ffi::CString;
use std::fmt::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

/// A process id (`crate::ptrace::Pid`, named here without the import: ptrace calls this module).
type Pid = libc::pid_t;

/// `SOCK_DIAG_BY_FAMILY`.
const SOCK_DIAG_BY_FAMILY: u16 = 20;
/// `NLM_F_REQUEST`.
const NLM_F_REQUEST: u16 = 1;
/// `NLM_F_DUMP`.
const NLM_F_DUMP: u16 = 0x300;

/// How a protocol's sockets are asked about.
#[derive(Clone, Copy)]
enum Query {
    Unix,
    Inet { family: u8, protocol: u8 },
    Netlink,
}

/// The protocols strace resolves, by the name the kernel gives them.
fn query_of(name: &str) -> Option<Query> {
    let inet = |family, protocol| Some(Query::Inet { family, protocol });
    match name {
        "UNIX" | "UNIX-STREAM" => Some(Query::Unix),
        "TCP" => inet(2, 6),
        "UDP" => inet(2, 17),
        "UDPLITE" => inet(2, 136),
        "DCCP" => inet(2, 33),
        "SCTP" => inet(2, 132),
        "L2TP/IP" => inet(2, 115),
        "PING" => inet(2, 1),
        "RAW" => inet(2, 255),
        "TCPv6" => inet(10, 6),
        "UDPv6" => inet(10, 17),
        "UDPLITEv6" => inet(10, 136),
        "DCCPv6" => inet(10, 33),
        "SCTPv6" => inet(10, 132),
        "L2TP/IPv6" => inet(10, 115),
        "PINGv6" => inet(10, 1),
        "RAWv6" => inet(10, 255),
        "NETLINK" => Some(Query::Netlink),
        _ => None,
    }
}

/// The details of socket `inode`, descriptor `fd` of `pid`; `None` to show its plain path.
pub fn socket_details(pid: Pid, fd: i32, inode: u64) -> Option<String> {
    let name = protocol_name(pid, fd)?;
    let query = query_of(&name)?;
    Some(lookup(query, &name, inode).unwrap_or_else(|| format!("{name}:[{inode}]")))
}

/// The socket's `system.sockprotoname` attribute.
fn protocol_name(pid: Pid, fd: i32) -> Option<String> {
    let path = CString::new(format!("/proc/{pid}/fd/{fd}")).ok()?;
    let attr = c"system.sockprotoname";
    let mut buf = [0u8; 64];
    // SAFETY: both names are NUL-terminated C strings and `buf` is writable for the length passed.
    let n = unsafe {
        libc::getxattr(
            path.as_ptr(),
            attr.as_ptr(),
            buf.as_mut_ptr().cast(),
            buf.len() - 1,
        )
    };
    if n <= 0 {
        return None;
    }
    let b = &buf[..n as usize];
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8(b[..end].to_vec()).ok()
}

/// Asks sock_diag about `inode`'s protocol and formats the answer for it.
fn lookup(query: Query, name: &str, inode: u64) -> Option<String> {
    // SAFETY: socket takes plain integers; a non-negative result is a new descriptor we own.
    let raw = unsafe { libc::socket(libc::AF_NETLINK, libc::SOCK_RAW | libc::SOCK_CLOEXEC, 4) };
    if raw < 0 {
        return None;
    }
    // SAFETY: `raw` is a descriptor just opened and owned by nothing else.
    let sock = unsafe { OwnedFd::from_raw_fd(raw) };
    let mut req = Vec::with_capacity(56);
    let (flags, body): (u16, Vec<u8>) = match query {
        Query::Inet { family, protocol } => {
            // struct inet_diag_req_v2: every state, any socket id.
            let mut b = vec![family, protocol, 0, 0];
            b.extend_from_slice(&u32::MAX.to_ne_bytes());
            b.extend_from_slice(&[0u8; 48]);
            (NLM_F_REQUEST | NLM_F_DUMP, b)
        }
        Query::Netlink => {
            // struct netlink_diag_req: every protocol (NDIAG_PROTO_ALL).
            let mut b = vec![16, 255, 0, 0];
            b.extend_from_slice(&[0u8; 16]);
            (NLM_F_REQUEST | NLM_F_DUMP, b)
        }
        Query::Unix => {
            // struct unix_diag_req for this inode, with its name and peer (UDIAG_SHOW_NAME|PEER).
            let mut b = vec![1, 0, 0, 0];
            b.extend_from_slice(&u32::MAX.to_ne_bytes());
            b.extend_from_slice(&(inode as u32).to_ne_bytes());
            b.extend_from_slice(&5u32.to_ne_bytes());
            b.extend_from_slice(&[0xff; 8]);
            (NLM_F_REQUEST, b)
        }
    };
    req.extend_from_slice(&(16 + body.len() as u32).to_ne_bytes());
    req.extend_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes());
    req.extend_from_slice(&flags.to_ne_bytes());
    req.extend_from_slice(&[0u8; 8]);
    req.extend_from_slice(&body);
    // SAFETY: a zeroed sockaddr_nl is a valid value (the kernel as destination).
    let mut kernel: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
    kernel.nl_family = libc::AF_NETLINK as u16;
    // SAFETY: `req` and `kernel` are valid for the lengths passed for the duration of the call.
    let sent = unsafe {
        libc::sendto(
            sock.as_raw_fd(),
            req.as_ptr().cast(),
            req.len(),
            0,
            (&kernel as *const libc::sockaddr_nl).cast(),
            std::mem::size_of::<libc::sockaddr_nl>() as u32,
        )
    };
    if sent < 0 {
        return None;
    }
    let mut buf = vec![0u8; 8192];
    let mut flags = 0;
    loop {
        // SAFETY: `buf` is writable for its length.
        let n = unsafe { libc::recv(sock.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), flags) };
        if n <= 0 {
            return None;
        }
        let mut msgs = &buf[..n as usize];
        while msgs.len() >= 16 {
            let len = u32::from_ne_bytes([msgs[0], msgs[1], msgs[2], msgs[3]]) as usize;
            let kind = u16::from_ne_bytes([msgs[4], msgs[5]]);
            if len < 16 || len > msgs.len() || kind != SOCK_DIAG_BY_FAMILY {
                return None;
            }
            let data = &msgs[16..len];
            match parse(query, name, inode, data) {
                Parsed::Found(s) => return Some(s),
                Parsed::Failed => return None,
                Parsed::Other => {}
            }
            msgs = &msgs[len.next_multiple_of(4).min(msgs.len())..];
        }
        flags = libc::MSG_DONTWAIT;
    }
}

enum Parsed {
    Found(String),
    Other,
    Failed,
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_ne_bytes([b[off], b[off + 1], b[off + 2], b[off + 3]])
}

/// One sock_diag answer: the socket's details if it is `inode`.
fn parse(query: Query, name: &str, inode: u64, d: &[u8]) -> Parsed {
    match query {
        Query::Inet { .. } => {
            // struct inet_diag_msg.
            if d.len() < 72 {
                return Parsed::Failed;
            }
            if u32_at(d, 68) as u64 != inode {
                return Parsed::Other;
            }
            let v6 = d[0] == 10;
            let addr = |off: usize| -> String {
                if v6 {
                    let mut a = [0u8; 16];
                    a.copy_from_slice(&d[off..off + 16]);
                    format!("[{}]", std::net::Ipv6Addr::from(a))
                } else {
                    std::net::Ipv4Addr::new(d[off], d[off + 1], d[off + 2], d[off + 3]).to_string()
                }
            };
            let (sport, dport) = (
                u16::from_be_bytes([d[4], d[5]]),
                u16::from_be_bytes([d[6], d[7]]),
            );
            let dst_len = if v6 { 16 } else { 4 };
            let connected = dport != 0 || d[24..24 + dst_len].iter().any(|&c| c != 0);
            let mut s = format!("{name}:[{}:{sport}", addr(8));
            if connected {
                let _ = write!(s, "->{}:{dport}", addr(24));
            }
            s.push(']');
            Parsed::Found(s)
        }
        Query::Netlink => {
            // struct netlink_diag_msg.
            if d.len() < 28 {
                return Parsed::Failed;
            }
            if u32_at(d, 16) as u64 != inode {
                return Parsed::Other;
            }
            let portid = u32_at(d, 4);
            Parsed::Found(match NETLINK_PROTOCOLS.name(d[2] as u64) {
                Some(p) => format!(
                    "{name}:[{}:{portid}]",
                    p.strip_prefix("NETLINK_").unwrap_or(p)
                ),
                None => format!("{name}:[{}]", d[2]),
            })
        }
        Query::Unix => {
            // struct unix_diag_msg, then its attributes.
            if d.len() < 16 {
                return Parsed::Failed;
            }
            if u32_at(d, 4) as u64 != inode {
                return Parsed::Other;
            }
            let (mut peer, mut path): (u32, Option<&[u8]>) = (0, None);
            let mut attrs = &d[16..];
            while attrs.len() >= 4 {
                let len = u16::from_ne_bytes([attrs[0], attrs[1]]) as usize;
                let kind = u16::from_ne_bytes([attrs[2], attrs[3]]);
                if len < 4 || len > attrs.len() {
                    break;
                }
                let payload = &attrs[4..len];
                match kind {
                    // UNIX_DIAG_NAME
                    0 if path.is_none() => path = Some(&payload[..payload.len().min(108)]),
                    // UNIX_DIAG_PEER
                    2 if payload.len() >= 4 => peer = u32_at(payload, 0),
                    _ => {}
                }
                attrs = &attrs[len.next_multiple_of(4).min(attrs.len())..];
            }
            let path = path.filter(|p| !p.is_empty());
            if peer == 0 && path.is_none() {
                return Parsed::Failed;
            }
            let mut s = format!("{name}:[{inode}");
            if peer != 0 {
                let _ = write!(s, "->{peer}");
            }
            if let Some(p) = path {
                s.push(',');
                let (prefix, p) = match p.first() {
                    Some(0) => ("@", &p[1..]),
                    _ => ("", p),
                };
                s.push_str(prefix);
                let end = p.iter().position(|&c| c == 0).unwrap_or(p.len());
                crate::decode::strings::quote_into(&mut s, &p[..end], false);
            }
            s.push(']');
            Parsed::Found(s)
        }
    }
}
