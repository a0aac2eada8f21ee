// rv3's receiving application, reference solution: a source-specific join (IP_ADD_SOURCE_MEMBERSHIP).
// The kernel's filter for 232.1.1.1 on eth0 becomes INCLUDE {10.1.0.11} (see /proc/net/mcfilter), it
// sends an IGMPv3 report with ALLOW_NEW_SOURCES {10.1.0.11} — the router learns which source we want —
// and it drops anything from another source that still arrives (ip_mc_sf_allow / ip_check_mc_rcu).

const s = socket(AF_INET, SOCK_DGRAM, 0);
s.setsockopt(IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP, { imr_multiaddr: '232.1.1.1', imr_interface: '10.3.0.22', imr_sourceaddr: '10.1.0.11' });
log('joined (10.1.0.11, 232.1.1.1) on 10.3.0.22');
