// Usage texts iproute2 6.1 prints on stderr (exit status 255) for `help` and for some parse errors,
// as the installed ip(8) prints them.

/** `ip help` */
export function usageIp(): string {
  return "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n" +
    "       ip [ -force ] -batch filename\n" +
    "where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |\n" +
    "                   link | macsec | maddress | monitor | mptcp | mroute | mrule |\n" +
    "                   neighbor | neighbour | netconf | netns | nexthop | ntable |\n" +
    "                   ntbl | route | rule | sr | tap | tcpmetrics |\n" +
    "                   token | tunnel | tuntap | vrf | xfrm }\n" +
    "       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |\n" +
    "                    -h[uman-readable] | -iec | -j[son] | -p[retty] |\n" +
    "                    -f[amily] { inet | inet6 | mpls | bridge | link } |\n" +
    "                    -4 | -6 | -M | -B | -0 |\n" +
    "                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |\n" +
    "                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |\n" +
    "                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |\n" +
    "                    -c[olor]}\n";
}

/** `ip link help` */
export function usageLink(): string {
  return "Usage: ip link add [link DEV | parentdev NAME] [ name ] NAME\n" +
    "\t\t    [ txqueuelen PACKETS ]\n" +
    "\t\t    [ address LLADDR ]\n" +
    "\t\t    [ broadcast LLADDR ]\n" +
    "\t\t    [ mtu MTU ] [index IDX ]\n" +
    "\t\t    [ numtxqueues QUEUE_COUNT ]\n" +
    "\t\t    [ numrxqueues QUEUE_COUNT ]\n" +
    "\t\t    [ netns { PID | NAME } ]\n" +
    "\t\t    type TYPE [ ARGS ]\n" +
    "\n" +
    "\tip link delete { DEVICE | dev DEVICE | group DEVGROUP } type TYPE [ ARGS ]\n" +
    "\n" +
    "\tip link set { DEVICE | dev DEVICE | group DEVGROUP }\n" +
    "\t\t\t[ { up | down } ]\n" +
    "\t\t\t[ type TYPE ARGS ]\n" +
    "\t\t[ arp { on | off } ]\n" +
    "\t\t[ dynamic { on | off } ]\n" +
    "\t\t[ multicast { on | off } ]\n" +
    "\t\t[ allmulticast { on | off } ]\n" +
    "\t\t[ promisc { on | off } ]\n" +
    "\t\t[ trailers { on | off } ]\n" +
    "\t\t[ carrier { on | off } ]\n" +
    "\t\t[ txqueuelen PACKETS ]\n" +
    "\t\t[ name NEWNAME ]\n" +
    "\t\t[ address LLADDR ]\n" +
    "\t\t[ broadcast LLADDR ]\n" +
    "\t\t[ mtu MTU ]\n" +
    "\t\t[ netns { PID | NAME } ]\n" +
    "\t\t[ link-netns NAME | link-netnsid ID ]\n" +
    "\t\t[ alias NAME ]\n" +
    "\t\t[ vf NUM [ mac LLADDR ]\n" +
    "\t\t\t [ vlan VLANID [ qos VLAN-QOS ] [ proto VLAN-PROTO ] ]\n" +
    "\t\t\t [ rate TXRATE ]\n" +
    "\t\t\t [ max_tx_rate TXRATE ]\n" +
    "\t\t\t [ min_tx_rate TXRATE ]\n" +
    "\t\t\t [ spoofchk { on | off} ]\n" +
    "\t\t\t [ query_rss { on | off} ]\n" +
    "\t\t\t [ state { auto | enable | disable} ]\n" +
    "\t\t\t [ trust { on | off} ]\n" +
    "\t\t\t [ node_guid EUI64 ]\n" +
    "\t\t\t [ port_guid EUI64 ] ]\n" +
    "\t\t[ { xdp | xdpgeneric | xdpdrv | xdpoffload } { off |\n" +
    "\t\t\t  object FILE [ { section | program } NAME ] [ verbose ] |\n" +
    "\t\t\t  pinned FILE } ]\n" +
    "\t\t[ master DEVICE ][ vrf NAME ]\n" +
    "\t\t[ nomaster ]\n" +
    "\t\t[ addrgenmode { eui64 | none | stable_secret | random } ]\n" +
    "\t\t[ protodown { on | off } ]\n" +
    "\t\t[ protodown_reason PREASON { on | off } ]\n" +
    "\t\t[ gso_max_size BYTES ] | [ gso_max_segs PACKETS ]\n" +
    "\t\t[ gro_max_size BYTES ]\n" +
    "\n" +
    "\tip link show [ DEVICE | group GROUP ] [up] [master DEV] [vrf NAME] [type TYPE]\n" +
    "\t\t[nomaster]\n" +
    "\n" +
    "\tip link xstats type TYPE [ ARGS ]\n" +
    "\n" +
    "\tip link afstats [ dev DEVICE ]\n" +
    "\tip link property add dev DEVICE [ altname NAME .. ]\n" +
    "\tip link property del dev DEVICE [ altname NAME .. ]\n" +
    "\n" +
    "\tip link help [ TYPE ]\n" +
    "\n" +
    "TYPE := { amt | bareudp | bond | bond_slave | bridge | bridge_slave |\n" +
    "          dsa | dummy | erspan | geneve | gre | gretap | gtp | ifb |\n" +
    "          ip6erspan | ip6gre | ip6gretap | ip6tnl |\n" +
    "          ipip | ipoib | ipvlan | ipvtap |\n" +
    "          macsec | macvlan | macvtap |\n" +
    "          netdevsim | nlmon | rmnet | sit | team | team_slave |\n" +
    "          vcan | veth | vlan | vrf | vti | vxcan | vxlan | wwan |\n" +
    "          xfrm | virt_wifi }\n";
}

/** `ip address help` */
export function usageAddress(): string {
  return "Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]\n" +
    "                                                      [ CONFFLAG-LIST ]\n" +
    "       ip address del IFADDR dev IFNAME [mngtmpaddr]\n" +
    "       ip address {save|flush} [ dev IFNAME ] [ scope SCOPE-ID ]\n" +
    "                            [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]\n" +
    "       ip address [ show [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE ]\n" +
    "                         [ nomaster ]\n" +
    "                         [ type TYPE ] [ to PREFIX ] [ FLAG-LIST ]\n" +
    "                         [ label LABEL ] [up] [ vrf NAME ] ]\n" +
    "       ip address {showdump|restore}\n" +
    "IFADDR := PREFIX | ADDR peer PREFIX\n" +
    "          [ broadcast ADDR ] [ anycast ADDR ]\n" +
    "          [ label IFNAME ] [ scope SCOPE-ID ] [ metric METRIC ]\n" +
    "SCOPE-ID := [ host | link | global | NUMBER ]\n" +
    "FLAG-LIST := [ FLAG-LIST ] FLAG\n" +
    "FLAG  := [ permanent | dynamic | secondary | primary |\n" +
    "           [-]tentative | [-]deprecated | [-]dadfailed | temporary |\n" +
    "           CONFFLAG-LIST ]\n" +
    "CONFFLAG-LIST := [ CONFFLAG-LIST ] CONFFLAG\n" +
    "CONFFLAG  := [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]\n" +
    "LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]\n" +
    "LFT := forever | SECONDS\n" +
    "TYPE := { amt | bareudp | bond | bond_slave | bridge | bridge_slave |\n" +
    "          dsa | dummy | erspan | geneve | gre | gretap | gtp | ifb |\n" +
    "          ip6erspan | ip6gre | ip6gretap | ip6tnl |\n" +
    "          ipip | ipoib | ipvlan | ipvtap |\n" +
    "          macsec | macvlan | macvtap |\n" +
    "          netdevsim | nlmon | rmnet | sit | team | team_slave |\n" +
    "          vcan | veth | vlan | vrf | vti | vxcan | vxlan | wwan |\n" +
    "          xfrm | virt_wifi }\n";
}

/** `ip route help` */
export function usageRoute(): string {
  return "Usage: ip route { list | flush } SELECTOR\n" +
    "       ip route save SELECTOR\n" +
    "       ip route restore\n" +
    "       ip route showdump\n" +
    "       ip route get [ ROUTE_GET_FLAGS ] ADDRESS\n" +
    "                            [ from ADDRESS iif STRING ]\n" +
    "                            [ oif STRING ] [ tos TOS ]\n" +
    "                            [ mark NUMBER ] [ vrf NAME ]\n" +
    "                            [ uid NUMBER ] [ ipproto PROTOCOL ]\n" +
    "                            [ sport NUMBER ] [ dport NUMBER ]\n" +
    "       ip route { add | del | change | append | replace } ROUTE\n" +
    "SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]\n" +
    "            [ table TABLE_ID ] [ vrf NAME ] [ proto RTPROTO ]\n" +
    "            [ type TYPE ] [ scope SCOPE ]\n" +
    "ROUTE := NODE_SPEC [ INFO_SPEC ]\n" +
    "NODE_SPEC := [ TYPE ] PREFIX [ tos TOS ]\n" +
    "             [ table TABLE_ID ] [ proto RTPROTO ]\n" +
    "             [ scope SCOPE ] [ metric METRIC ]\n" +
    "             [ ttl-propagate { enabled | disabled } ]\n" +
    "INFO_SPEC := { NH | nhid ID } OPTIONS FLAGS [ nexthop NH ]...\n" +
    "NH := [ encap ENCAPTYPE ENCAPHDR ] [ via [ FAMILY ] ADDRESS ]\n" +
    "      [ dev STRING ] [ weight NUMBER ] NHFLAGS\n" +
    "FAMILY := [ inet | inet6 | mpls | bridge | link ]\n" +
    "OPTIONS := FLAGS [ mtu NUMBER ] [ advmss NUMBER ] [ as [ to ] ADDRESS ]\n" +
    "           [ rtt TIME ] [ rttvar TIME ] [ reordering NUMBER ]\n" +
    "           [ window NUMBER ] [ cwnd NUMBER ] [ initcwnd NUMBER ]\n" +
    "           [ ssthresh NUMBER ] [ realms REALM ] [ src ADDRESS ]\n" +
    "           [ rto_min TIME ] [ hoplimit NUMBER ] [ initrwnd NUMBER ]\n" +
    "           [ features FEATURES ] [ quickack BOOL ] [ congctl NAME ]\n" +
    "           [ pref PREF ] [ expires TIME ] [ fastopen_no_cookie BOOL ]\n" +
    "TYPE := { unicast | local | broadcast | multicast | throw |\n" +
    "          unreachable | prohibit | blackhole | nat }\n" +
    "TABLE_ID := [ local | main | default | all | NUMBER ]\n" +
    "SCOPE := [ host | link | global | NUMBER ]\n" +
    "NHFLAGS := [ onlink | pervasive ]\n" +
    "RTPROTO := [ kernel | boot | static | NUMBER ]\n" +
    "PREF := [ low | medium | high ]\n" +
    "TIME := NUMBER[s|ms]\n" +
    "BOOL := [1|0]\n" +
    "FEATURES := ecn\n" +
    "ENCAPTYPE := [ mpls | ip | ip6 | seg6 | seg6local | rpl | ioam6 | xfrm ]\n" +
    "ENCAPHDR := [ MPLSLABEL | SEG6HDR | SEG6LOCAL | IOAM6HDR | XFRMINFO ]\n" +
    "SEG6HDR := [ mode SEGMODE ] segs ADDR1,ADDRi,ADDRn [hmac HMACKEYID] [cleanup]\n" +
    "SEGMODE := [ encap | encap.red | inline | l2encap | l2encap.red ]\n" +
    "SEG6LOCAL := action ACTION [ OPTIONS ] [ count ]\n" +
    "ACTION := { End | End.X | End.T | End.DX2 | End.DX6 | End.DX4 |\n" +
    "            End.DT6 | End.DT4 | End.DT46 | End.B6 | End.B6.Encaps |\n" +
    "            End.BM | End.S | End.AS | End.AM | End.BPF }\n" +
    "OPTIONS := OPTION [ OPTIONS ]\n" +
    "OPTION := { flavors FLAVORS | srh SEG6HDR | nh4 ADDR | nh6 ADDR | iif DEV | oif DEV |\n" +
    "            table TABLEID | vrftable TABLEID | endpoint PROGNAME }\n" +
    "FLAVORS := { FLAVOR[,FLAVOR] }\n" +
    "FLAVOR := { psp | usp | usd | next-csid }\n" +
    "IOAM6HDR := trace prealloc type IOAM6_TRACE_TYPE ns IOAM6_NAMESPACE size IOAM6_TRACE_SIZE\n" +
    "XFRMINFO := if_id IF_ID [ link_dev LINK ]\n" +
    "ROUTE_GET_FLAGS := [ fibmatch ]\n";
}

/** `ip link add NAME type veth GARBAGE` */
export function usageVeth(): string {
  return "Usage: ip link <options> type veth [peer <options>]\n" +
    "To get <options> type 'ip link add help'\n";
}
