// rv3's receiving application: it tells the kernel which traffic it wants. Like most programs it joins
// the group for every source (IP_ADD_MEMBERSHIP): the kernel's filter for the group on eth0 becomes
// EXCLUDE {} and its IGMPv3 report says "any source". (Counting what arrives is the lab's receiver.)
//
// Your job: receive 232.1.1.1 from 10.1.0.11 (s1) only. See ip_mreq_source in daemon-api.d.ts.

const s = socket(AF_INET, SOCK_DGRAM, 0);
s.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, { imr_multiaddr: '232.1.1.1', imr_address: '10.3.0.22' });
log('joined 232.1.1.1 on 10.3.0.22, every source');
