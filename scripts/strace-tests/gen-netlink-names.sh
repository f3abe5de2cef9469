#!/usr/bin/env bash
# Writes crates/gort-trace/src/decode/netlink/names.rs: the names and values of the netlink constants
# gort-trace's netlink decoder prints, taken from strace's own tables (src/xlat/NAME.in, whose values
# come from the kernel's uapi headers bundled with strace), so that both tracers name the same values.
#
# usage: scripts/strace-tests/gen-netlink-names.sh [STRACE_SRC]
#   STRACE_SRC  strace 6.1's unpacked and configured source (default: target/strace-tests/strace-6.1,
#               which run.sh prepares)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
S=$(cd "${1:-$root/target/strace-tests/strace-6.1}" && pwd)/src
[ -f "$S/../config.h" ] || [ -f "$S/config.h" ] || { echo "gen-netlink-names: $S is not configured (run run.sh once)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tables="addrfams af_packet_versions arp_hardware_types crypto_nl_attrs dcb_commands ethernet_protocols fdb_notify_flags fib_rule_actions fib_rule_flags ifaddrflags iffflags ifstats_af_spec_mpls_attrs ifstats_attr_flags ifstats_attrs ifstats_offload_attrs ifstats_xstats_bond_3ad_attrs ifstats_xstats_bond_attrs ifstats_xstats_bridge_attrs ifstats_xstats_bridge_mcast_indices ifstats_xstats_type_attrs in6_addr_gen_mode inet6_devconf_indices inet6_if_flags inet_devconf_indices inet_diag_attrs inet_diag_bpf_storage_attrs inet_diag_bpf_storages_attrs inet_diag_bytecodes inet_diag_extended_flags inet_diag_req_attrs inet_diag_shutdown_flags inet_diag_ulp_info_attrs inet_diag_ulp_info_mptcp_attrs inet_diag_ulp_info_tls_attrs inet_protocols ip_type_of_services lwtunnel_encap_types mdb_flags mdb_states mptcp_subflow_flags multicast_router_types neighbor_cache_entry_ext_flags neighbor_cache_entry_flags neighbor_cache_entry_states netfilter_versions netlink_ack_flags netlink_delete_flags netlink_diag_attrs netlink_diag_show netlink_flags netlink_get_flags netlink_new_flags netlink_protocols netlink_sk_meminfo_indices netlink_socket_flags netlink_states netlink_types nf_acct_msg_types nf_cthelper_msg_types nf_ctnetlink_exp_msg_types nf_ctnetlink_msg_types nf_cttimeout_msg_types nf_hook_msg_types nf_ipset_msg_types nf_nft_compat_msg_types nf_nftables_msg_types nf_osf_msg_types nf_queue_msg_types nf_ulog_msg_types nl_audit_types nl_bridge_vlan_flags nl_crypto_types nl_netfilter_msg_types nl_netfilter_subsys_ids nl_route_types nl_selinux_types nl_sock_diag_types nl_xfrm_types nlmsgerr_attrs packet_diag_attrs packet_diag_info_flags packet_diag_show route_nexthop_flags routing_flags routing_protocols routing_scopes routing_table_ids routing_types rtnl_addr_attrs rtnl_addrlabel_attrs rtnl_dcb_attrs rtnl_family rtnl_ifla_af_spec_bridge_attrs rtnl_ifla_af_spec_bridge_vlan_tunnel_info_attrs rtnl_ifla_af_spec_inet6_attrs rtnl_ifla_af_spec_inet_attrs rtnl_ifla_af_spec_mctp_attrs rtnl_ifla_br_boolopt_flags rtnl_ifla_br_boolopts rtnl_ifla_br_mcast_querier_attrs rtnl_ifla_bridge_flags rtnl_ifla_bridge_modes rtnl_ifla_brport_attrs rtnl_ifla_events rtnl_ifla_ext_filter_flags rtnl_ifla_info_attrs rtnl_ifla_info_data_bridge_attrs rtnl_ifla_info_data_tun_attrs rtnl_ifla_port_attrs rtnl_ifla_proto_down_reason_attrs rtnl_ifla_vf_info_attrs rtnl_ifla_vf_link_states rtnl_ifla_vf_port_attrs rtnl_ifla_vf_stats_attrs rtnl_ifla_vf_vlan_list_attrs rtnl_ifla_vfinfo_list_attrs rtnl_ifla_xdp_attached_mode rtnl_ifla_xdp_attrs rtnl_ip6mra_creport_attr rtnl_ip6mra_msg_types rtnl_ipmra_creport_attr rtnl_ipmra_msg_types rtnl_link_attrs rtnl_mdb_attrs rtnl_mdba_mdb_attrs rtnl_mdba_mdb_eattr_attrs rtnl_mdba_mdb_entry_attrs rtnl_mdba_router_attrs rtnl_mdba_router_pattr_attrs rtnl_neigh_attrs rtnl_neigh_fdb_ext_attrs rtnl_neightbl_attrs rtnl_neightbl_parms_attrs rtnl_netconf_attrs rtnl_nexthop_attrs rtnl_nexthop_grp_types rtnl_nha_res_bucket_attrs rtnl_nha_res_group_attrs rtnl_nsid_attrs rtnl_route_attrs rtnl_rta_metrics_attrs rtnl_rule_attrs rtnl_tc_action_attrs rtnl_tc_attrs rtnl_tca_act_flags rtnl_tca_act_hw_stats rtnl_tca_stab_attrs rtnl_tca_stats_attrs smc_decl_codes smc_diag_attrs smc_diag_extended_flags smc_diag_mode smc_link_group_roles smc_states snmp_icmp6_stats snmp_ip_stats sock_shutdown_flags socktypes tcp_states tcp_state_flags tls_info_ciphers tls_info_configs tls_info_versions tun_device_types unix_diag_attrs unix_diag_show xdp_flags msg_flags"
set -- $tables
{
printf '#include "config.h"\n#include <stdio.h>\n#include <stdint.h>\n#include <stdbool.h>\n#include <sys/socket.h>\n#include <netinet/in.h>\n#include "gcc_compat.h"\n#include "macros.h"\n#include "xlat.h"\n'
echo '#include <linux/netlink.h>'
echo '#include <linux/rtnetlink.h>'
echo '#include <linux/if_link.h>'
echo '#include <linux/if_bridge.h>'
echo '#include <linux/sock_diag.h>'
echo '#include <linux/inet_diag.h>'
echo '#include <linux/unix_diag.h>'
echo '#include <linux/netlink_diag.h>'
echo '#include <linux/packet_diag.h>'
echo '#include <linux/smc_diag.h>'
echo '#include <linux/audit.h>'
echo '#include <linux/xfrm.h>'
echo '#include <linux/selinux_netlink.h>'
echo '#include <linux/netfilter/nfnetlink.h>'
echo '#include <linux/netfilter/ipset/ip_set.h>'
echo '#include <linux/netfilter/nf_tables.h>'
echo '#include <linux/netfilter/nf_tables_compat.h>'
echo '#include <linux/netfilter/nfnetlink_acct.h>'
echo '#include <linux/netfilter/nfnetlink_conntrack.h>'
echo '#include <linux/netfilter/nfnetlink_cthelper.h>'
echo '#include <linux/netfilter/nfnetlink_cttimeout.h>'
echo '#include <linux/netfilter/nfnetlink_hook.h>'
echo '#include <linux/netfilter/nfnetlink_log.h>'
echo '#include <linux/netfilter/nfnetlink_queue.h>'
echo '#include <linux/netfilter/nfnetlink_osf.h>'
echo '#include <linux/cryptouser.h>'
echo '#include <linux/neighbour.h>'
echo '#include <linux/fib_rules.h>'
echo '#include <linux/if_addr.h>'
echo '#include <linux/if_addrlabel.h>'
echo '#include <linux/dcbnl.h>'
echo '#include <linux/netconf.h>'
echo '#include <linux/nexthop.h>'
echo '#include <linux/pkt_sched.h>'
echo '#include <linux/pkt_cls.h>'
echo '#include <linux/gen_stats.h>'
echo '#include <linux/mroute.h>'
echo '#include <linux/mroute6.h>'
echo '#include <linux/lwtunnel.h>'
echo '#include <linux/if_arp.h>'
echo '#include <linux/if_packet.h>'
echo '#include <linux/if.h>'
echo '#include <linux/smc.h>'
echo '#include <linux/ip.h>'
echo '#include <linux/filter.h>'
echo '#include <linux/tls.h>'
echo '#include <linux/tcp.h>'
echo '#include <linux/mptcp.h>'
echo '#include <linux/mpls.h>'
echo '#include <linux/if_bonding.h>'
for n in "$@"; do echo "#include \"xlat/$n.h\""; done
cat <<'EOC'
static void dump(const char *name, const struct xlat *x) {
  printf("pub const %s: &[(u64, &str)] = &[\n", name);
  for (unsigned i = 0; i < x->size; i++) if (x->data[i].str) printf("    (%#llx, \"%s\"),\n", (unsigned long long) x->data[i].val, x->data[i].str);
  printf("];\n"); }
EOC
echo 'int main(void) {'
for n in "$@"; do echo "dump(\"${n^^}\", $n);"; done
echo 'return 0; }'
} > "$tmp/gen.c"
gcc -w -DHAVE_CONFIG_H -I$S/linux/x86_64 -I$S/linux/generic -I$S -I$S/../bundled/linux/include/uapi -o "$tmp/gen" "$tmp/gen.c"

{
echo '//! Names of netlink constants, generated by scripts/strace-tests/gen-netlink-names.sh from strace'
echo "//! 6.1's tables (src/xlat/*.in); do not edit. Each table lists (value, name) in strace's order."
echo
echo '#![allow(missing_docs)]'
echo
"$tmp/gen"
} > "$root/crates/gort-trace/src/decode/netlink/names.rs"
