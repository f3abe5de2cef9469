//! Which netlink protocol a tracee's socket speaks.
//!
//! strace decodes a buffer sent to a netlink socket as netlink messages whose types and bodies depend
//! on the socket's protocol (`NETLINK_ROUTE`, `NETLINK_SOCK_DIAG`...). The tracer learns it from
//! procfs: the descriptor's link names the socket's inode (`socket:[1234]`), and the tracee's
//! `/proc/PID/net/netlink` lists every netlink socket of its network namespace with its protocol
//! (column `Eth`) and inode (column `Inode`). A socket missing from that table is not a netlink socket.

/// The inode of a socket descriptor's link text (`socket:[1234]`).
pub fn socket_inode(link: &str) -> Option<u64> {
    link.strip_prefix("socket:[")?
        .strip_suffix(']')?
        .parse()
        .ok()
}

/// The protocol of the socket with this inode in a `/proc/net/netlink` table.
pub fn protocol_of_inode(table: &str, inode: u64) -> Option<u32> {
    let mut lines = table.lines();
    let header: Vec<&str> = lines.next()?.split_whitespace().collect();
    let proto_col = header.iter().position(|c| *c == "Eth")?;
    let inode_col = header.iter().position(|c| *c == "Inode")?;
    lines.find_map(|line| {
        let cols: Vec<&str> = line.split_whitespace().collect();
        (cols.get(inode_col)?.parse::<u64>().ok()? == inode)
            .then(|| cols.get(proto_col)?.parse().ok())
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n\
        00000000a073152f 0   0          00000000 0        0        0     2        0        4       \n\
        00000000615f7aa3 4   0          00000000 0        0        0     2        0        222     \n";

    #[test]
    fn the_protocol_is_the_eth_column_of_the_line_with_the_inode() {
        assert_eq!(protocol_of_inode(TABLE, 222), Some(4));
        assert_eq!(protocol_of_inode(TABLE, 4), Some(0));
        assert_eq!(protocol_of_inode(TABLE, 5), None);
    }

    #[test]
    fn only_socket_links_have_an_inode() {
        assert_eq!(socket_inode("socket:[4867778]"), Some(4867778));
        assert_eq!(socket_inode("/dev/null"), None);
        assert_eq!(socket_inode("pipe:[12]"), None);
    }
}
