#!/usr/bin/env bash
# (The lists netlink messages share with sockets are generated once, by gen-netlink-names.sh.)
# Regenerates gort-trace's generated constant tables from strace 6.1's xlat lists (see gen-xlat.py).
# usage: scripts/strace-tests/gen-xlat-tables.sh   (after run.sh has unpacked strace under target/)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
X=target/strace-tests/strace-6.1/src/xlat
OUT=crates/gort-trace/src/decode/socket/names.rs
python3 scripts/strace-tests/gen-xlat.py $X $OUT \
 SOCK_LEVELS=socketlayers:hex:SOL_?? SO_OPTIONS=sock_options:hex:SO_??? GETSOCK_OPTIONS=getsock_options:hex:SO_??? SETSOCK_OPTIONS=setsock_options:hex:SO_??? \
 IP_OPTIONS=sock_ip_options:hex:IP_??? GETSOCK_IP_OPTIONS=getsock_ip_options:hex:IP_??? SETSOCK_IP_OPTIONS=setsock_ip_options:hex:IP_??? \
 IPV6_OPTIONS=sock_ipv6_options:hex:IPV6_??? GETSOCK_IPV6_OPTIONS=getsock_ipv6_options:hex:IPV6_??? SETSOCK_IPV6_OPTIONS=setsock_ipv6_options:hex:IPV6_??? \
 TCP_OPTIONS=sock_tcp_options:hex:TCP_??? UDP_OPTIONS=sock_udp_options:hex:UDP_??? PACKET_OPTIONS=sock_packet_options:hex:PACKET_??? RAW_OPTIONS=sock_raw_options:hex:RAW_??? NETLINK_OPTIONS=sock_netlink_options:hex:NETLINK_??? \
 SOCK_TYPE_FLAGS=sock_type_flags:hex:SOCK_??? \
 ICMP_FILTER_FLAGS=icmp_filter_flags:hex:ICMP_??? PACKET_MREQ_TYPE=packet_mreq_type:hex:PACKET_MR_??? TXREHASH=sockopt_txrehash_vals:dec:SOCK_TXREHASH_??? \
 RXRPC_SERVICES=rxrpc_services:hex:???_SERVICE IEEE802154_ADDR_TYPES=ieee802154_addr_types:hex:IEEE802154_ADDR_??? \
 IEEE802154_PAN_IDS=ieee802154_pan_ids:hex: IEEE802154_ADDRS=ieee802154_addrs:hex: ALG_SOCKADDR_FLAGS=alg_sockaddr_flags:hex:CRYPTO_ALG_??? \
 NFC_SOCKADDR_PROTOCOLS=nfc_sockaddr_protocols:hex:NFC_PROTO_??? NFC_SAPS=nfc_saps:hex: VSOCK_CIDS=vsock_cids:hex: VSOCK_PORTS=vsock_ports:hex: \
 VSOCK_FLAGS=vsock_flags:hex:VMADDR_FLAG_??? QIPCRTR_NODES=qipcrtr_nodes:hex: QIPCRTR_PORTS=qipcrtr_ports:hex: XDP_SOCKADDR_FLAGS=xdp_sockaddr_flags:hex:XDP_??? \
 MCTP_NETS=mctp_nets:hex: MCTP_ADDRS=mctp_addrs:hex: \
 AF_PACKET_TYPES=af_packet_types:hex:PACKET_??? SCM_TYPES=scmvals:hex:SCM_??? IP_CMSG_TYPES=ip_cmsg_types:hex:IP_??? SKF_AD=skf_ad:hex:SKF_AD_???
cargo fmt -p gort-trace
