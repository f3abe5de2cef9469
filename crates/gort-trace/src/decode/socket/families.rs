//! The constant tables socket calls share with netlink messages (socket types, address families,
//! protocols, message flags, hardware types): the lists netlink/names.rs generates from strace's
//! xlat files, under the names and unknown-value texts the socket code prints them with. One copy of
//! each list, whichever decoder prints it.

use crate::decode::netlink::names;
use crate::decode::xlat::Xlat;

/// strace's `socktypes` list.
pub const SOCK_TYPES: Xlat = Xlat::hex(names::SOCKTYPES, "SOCK_???");

/// strace's `addrfams` list.
pub const ADDRFAMS: Xlat = Xlat::hex(names::ADDRFAMS, "AF_???");

/// strace's `inet_protocols` list.
pub const INET_PROTOCOLS: Xlat = Xlat::hex(names::INET_PROTOCOLS, "IPPROTO_???");

/// strace's `netlink_protocols` list.
pub const NETLINK_PROTOCOLS: Xlat = Xlat::hex(names::NETLINK_PROTOCOLS, "NETLINK_???");

/// strace's `ethernet_protocols` list.
pub const ETHERNET_PROTOCOLS: Xlat = Xlat::hex(names::ETHERNET_PROTOCOLS, "ETH_P_???");

/// strace's `msg_flags` list.
pub const MSG_FLAGS: Xlat = Xlat::hex(names::MSG_FLAGS, "MSG_???");

/// strace's `arp_hardware_types` list.
pub const ARP_HARDWARE_TYPES: Xlat = Xlat::hex(names::ARP_HARDWARE_TYPES, "ARPHRD_???");
