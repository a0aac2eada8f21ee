// The policy-routing configuration the routing oracle builds in a real namespace and in the model:
// every route type, several tables, ≥12 rules covering every selector and action, then `ip route get`
// queries generated from a grid of destinations × flow keys (text and -j). {s} is the sink namespace.

export const ROUTING_SETUP = `
  a: link add e0 address 02:00:00:00:0a:00 type veth peer name p0 address 02:00:00:00:0b:00 netns {s}
  a: link add e1 address 02:00:00:00:0a:01 type veth peer name p1 address 02:00:00:00:0b:01 netns {s}
  a: link add e2 address 02:00:00:00:0a:02 type veth peer name p2 address 02:00:00:00:0b:02 netns {s}
  a: link set lo up
  a: link set e0 up
  a: link set e1 up
  a: link set e2 up
  s: link set p0 up
  s: link set p1 up
  s: link set p2 up
  a: addr add 192.168.1.1/24 dev e0
  a: addr add 192.168.2.1/24 dev e1
  a: addr add 10.9.0.1/24 brd + dev e2
  a: addr add 10.99.0.1/32 dev lo
`;

/** Routes of every type, in several tables, with the errors iproute2 and the kernel give. */
export const ROUTING_ROUTES = `
  a: route add default via 192.168.1.254
  a: route add 10.10.0.0/16 via 192.168.2.254
  a: route add 10.10.5.0/24 via 192.168.1.254 metric 5
  a: route add blackhole 10.20.0.0/16
  a: route add unreachable 10.21.0.0/16
  a: route add prohibit 10.22.0.0/16
  a: route add throw 10.23.0.0/16
  a: route add 10.24.0.0/16 dev e1
  a: route add local 10.25.0.0/16 dev lo
  a: route add broadcast 10.26.255.255 dev e0
  a: route add multicast 10.27.0.0/16 dev e0
  a: route add 10.60.0.0/16 tos 0x10 via 192.168.1.200 dev e0
  a: route add 10.60.0.0/16 via 192.168.2.254 metric 50
  a: route append 10.60.0.0/16 via 192.168.2.253 metric 50
  a: route add 10.60.0.0/16 via 192.168.1.254 metric 100
  a: route prepend 10.61.0.0/16 via 192.168.1.254
  a: route prepend 10.61.0.0/16 via 192.168.2.254
  a: route add 198.51.0.0/16 nexthop via 192.168.1.254 weight 2 nexthop via 192.168.2.254 weight 1
  a: route add 10.125.0.0/16 via 10.200.0.1 dev e0 onlink
  a: route add 10.126.0.0/16 via 192.168.1.254 src 10.99.0.1
  a: route add 10.127.0.0/16 dev e2 scope link proto static metric 7
  a: route add 10.72.0.0/16 via 192.168.2.254 table 100
  a: route add default via 192.168.2.254 table 100
  a: route add 10.134.0.0/16 via 192.168.1.254 proto static metric 5 table 200
  a: route add unreachable default table 200
  a: route add 10.50.0.0/16 dev e0 table 300
  a: route add prohibit 10.51.0.0/16 table 300
  a: route add 10.52.0.0/16 via 192.168.2.254 table 300
  a: route add blackhole default table 4294967295
  a: route add 10.70.0.0/8 via 192.168.1.254
  a: route add 10.71.0.0/16 via 10.9.9.9
  a: route add 10.71.0.0/16 via 192.168.1.254 dev e1
  a: route add 10.73.0.0/16
  a: route add 10.74.0.0/16 via 192.168.1.254 src 10.98.0.1
  a: route add nat 10.75.0.0/16 via 192.168.1.254
  a: route add local 10.76.0.0/16 dev lo scope link
  a: route add blackhole 10.77.0.0/16 dev e0
  a: route add default via 192.168.1.254
  a: route del 10.78.0.0/16
  a: route del 10.10.0.0/16 table 999
  a: route change 10.79.0.0/16 via 192.168.1.254
  a: route test 10.10.0.0/16 via 192.168.2.254
  a: route replace 10.80.0.0/16 via 192.168.1.254
  a: route replace 10.80.0.0/16 via 192.168.2.254
  a: route add 10.81.0.0/16 nexthop via 192.168.1.254 weight 0
  a: route add 10.81.0.0/16 via 192.168.1.254 via 192.168.2.254
  a: route add 10.82.0.0/16 dev nosuch
  a: route add 10.83.0.0/16 via 192.168.1.254 table 0
  a: route del 10.83.0.0/16
  a: route add 10.84.0.0/16 via 192.168.1.254 tos 0x03
  a: route add 10.85.0.0/16 blackhole
  a: route add
`;

/** ≥12 rules: from, to, iif, oif, fwmark/mask, tos, ipproto, sport, dport, uidrange, l3mdev, not,
 *  lookup, goto (resolved and not), nop, blackhole, unreachable, prohibit, both suppressors, auto pref. */
export const ROUTING_RULES = `
  a: rule add from 192.168.1.0/24 to 10.72.0.0/16 pref 100 lookup 100
  a: rule add to 10.72.0.0/16 pref 110 table 100
  a: rule add iif e2 pref 120 lookup 200
  a: rule add oif e1 pref 130 lookup 100
  a: rule add fwmark 0x20/0xf0 pref 140 lookup 200
  a: rule add tos 0x10 pref 150 lookup 300
  a: rule add ipproto tcp dport 443 pref 160 lookup 300
  a: rule add sport 1000-2000 pref 170 lookup 200
  a: rule add uidrange 1000-2000 pref 180 lookup 300
  a: rule add l3mdev pref 190
  a: rule add not to 10.0.0.0/8 pref 200 goto 250
  a: rule add fwmark 5 pref 210 blackhole
  a: rule add fwmark 6 pref 220 unreachable
  a: rule add fwmark 7 pref 230 prohibit
  a: rule add pref 240 nop
  a: rule add pref 250 lookup main suppress_prefixlength 0
  a: rule add fwmark 8 pref 260 lookup main suppress_ifgroup 5
  a: rule add fwmark 9 pref 270 goto 9999
  a: rule add fwmark 10 lookup 300
  a: rule add fwmark 11 table 4294967295
  a: rule add fwmark 0/0xffffffff pref 280 lookup 300
  a: rule add from 10.99.0.1 pref 290 lookup 100
  a: rule add iif nosuchdev pref 300 lookup 200
  a: rule add dport 22 pref 310 lookup 300
  a: rule add pref 320 goto 310
  a: rule add tos 0x20 pref 330 lookup 100
  a: rule add tos 0x02 pref 330 lookup 100
  a: rule add sport 0 pref 330 lookup 100
  a: rule add uidrange 5-1 pref 330 lookup 100
  a: rule add from 192.168.1.0/24 to 10.72.0.0/16 pref 100 lookup 100
  a: rule add
  a: rule del pref 9999
  a: rule
  a: -j rule
  a: -d rule show
  a: -N rule
`;

const DESTS = [
  '10.10.1.1', '10.10.5.9', '8.8.8.8', '10.20.1.1', '10.21.1.1', '10.22.1.1', '10.23.1.1', '10.24.1.1', '10.25.1.1', '10.26.255.255',
  '10.27.1.1', '10.60.1.1', '10.61.1.1', '10.80.1.1', '10.125.1.1', '10.126.1.1', '10.127.1.1', '10.72.1.1', '10.134.1.1', '10.50.1.1',
  '10.51.1.1', '192.168.1.1', '192.168.1.255', '192.168.2.77', '10.9.0.255', '127.0.0.1', '10.99.0.1', '255.255.255.255', '224.0.0.5', '0.0.0.0',
];

const VARIANTS = [
  '',
  'from 192.168.1.1',
  'mark 0x25',
  'mark 5',
  'mark 6',
  'mark 7',
  'tos 0x10',
  'oif e1',
  'ipproto tcp dport 443',
  'sport 1500',
  'uid 1500',
  'from 192.168.1.50 iif e0',
  'from 10.9.0.7 iif e2',
  'fibmatch',
];

/** `ip route get` queries: every destination with a few flow keys, half of them also with -j. */
export function routeGetQueries(): string[] {
  const out: string[] = [];
  DESTS.forEach((d, i) => {
    VARIANTS.forEach((v, j) => {
      if ((i + j) % 2 === 0 || j === 0) out.push(`a: route get ${d} ${v}`.trimEnd());
      if ((i + j) % 3 === 0) out.push(`a: -j route get ${d} ${v}`.trimEnd());
    });
  });
  return out;
}

export const ROUTING_VIEWS = `
  a: rule show
  a: -j rule show
  a: route show table all
  a: -j route show table all
  a: route show table 100
  a: route show table 300
  a: -d route show
  a: route show table local
`;

/** Rule lifecycle: automatic prefs, goto resolution and re-pointing, the EEXIST quirk, deletion, flush,
 *  and the merged local/main tables before the first rule change. */
export const RULE_LIFECYCLE = `
  a: route add local 10.25.0.0/16 dev lo
  a: route add 10.25.1.0/24 via 192.168.1.254
  a: route add unreachable 10.21.0.0/16
  a: route get 10.25.1.1
  a: -j route get 10.25.1.1
  a: route get 10.21.1.1
  a: route get fibmatch 10.25.1.1
  a: route get 127.0.0.1
  a: rule add pref 5 nop
  a: rule del pref 5
  a: route get 10.25.1.1
  a: route get 127.0.0.1
  a: -j route get 127.0.0.1
  a: route get fibmatch 10.25.9.9
  a: rule add lookup 5
  a: rule add lookup 6
  a: rule add pref 500 lookup 7
  a: rule add lookup 8
  a: rule
  a: rule add pref 20 goto 30
  a: rule add pref 30 lookup 5
  a: rule add pref 30 lookup 6
  a: rule add pref 10 goto 10
  a: rule add pref 11 goto
  a: rule add pref 12 lookup 5 goto 40
  a: rule del pref 30 lookup 5
  a: rule
  a: rule del pref 30
  a: rule
  a: rule add pref 40 from 10.0.0.0/8 lookup 7
  a: rule add pref 40 lookup 7
  a: rule add pref 40 not from 10.0.0.0/8 lookup 7
  a: rule add pref 41 from 10.0.0.0/8 lookup 7
  a: rule del table 7
  a: rule del table 7
  a: rule del pref 99999
  a: rule del
  a: rule add table 0 pref 2003
  a: rule show pref 2003
  a: rule show table 7
  a: rule add pref 2004 fwmark 0 lookup 9
  a: rule add pref 2005 iif lo lookup 9
  a: rule add pref 2006 sport 65535 lookup 9
  a: rule add pref 2007 dport 7-3 lookup 9
  a: rule add pref 2008 ipproto 253 lookup 9
  a: rule add pref 2009 tos 0x1c lookup 9
  a: rule add pref 2010 tos CS1 lookup 9
  a: rule add pref 2011 fwmark 0x10/0x10 realms 3/4 protocol static lookup 9
  a: rule add pref 2012 fwmark foo lookup 9
  a: rule add pref 2013 lookup nosuchtable
  a: rule add pref 2014 iif a/b lookup 9
  a: rule add pref 2015 uidrange 7 lookup 9
  a: rule add pref 2016 bogus
  a: rule add pref 2017 type unreachable
  a: rule add pref 2018 nat 1.2.3.4
  a: rule add pref 2019 realms 5 lookup 5
  a: rule add pref 2020 oif nosuch lookup 5
  a: rule add pref 2021 iif e0 oif e1 fwmark 0x5/0xff not lookup 100 suppress_ifgroup 3
  a: rule add pref 2022 from 10.0.0.1 to 10.1.0.0/16 tos 0x08 uidrange 0-99 ipproto tcp sport 1-5 dport 22 lookup 100 realms 3/4 proto static
  a: rule del pref 2022 proto static
  a: rule foo
  a: rule flush x
  a: rule
  a: -N -d rule
  a: -j -p rule
  a: rule flush
  a: rule
  a: rule add lookup 9
  a: rule
  a: route get 10.25.1.1
  a: rule add pref 0 lookup local
  a: rule
  a: route get 127.0.0.1
  a: route add blackhole 1.0.0.0/8 table 5
  a: route add blackhole 2.0.0.0/8 table 5
  a: -s route flush table 5
  a: -s route flush table 5
  a: route flush table 77
  a: route flush
  a: route add 10.30.0.0/16 via 192.168.1.254
  a: route add 10.31.0.0/16 via 192.168.2.254 proto static
  a: route flush proto static
  a: route show
  a: route flush dev e0
  a: route show table all
`;

/**
 * Route metrics as iproute2 parses and prints them (RTAX order, `lock`, the kernel's MTU clamp, metrics
 * in fib_info identity and in deletion), `ip route get ... connected` (iproute2 6.1 asks the same
 * question twice; with -j the second answer prints as text), and equal-metric default routes.
 */
export const ROUTE_METRICS_AND_CONNECTED = `
  a: route add default via 192.168.1.254
  a: route add 10.10.0.0/16 via 192.168.2.254
  a: route add 10.30.0.0/16 via 192.168.2.254 src 192.168.1.1
  a: route add unreachable 10.21.0.0/16
  a: route add 10.40.0.0/16 via 192.168.2.254 mtu 1400 advmss 1300
  a: route add 10.41.0.0/16 via 192.168.2.254 mtu lock 1280 hoplimit 10 window 1000 initcwnd 10 initrwnd 20 ssthresh 30 cwnd 5 reordering 3 quickack 1
  a: route add 10.42.0.0/16 via 192.168.2.254 metric 7 mtu 1400
  a: route add 10.43.0.0/16 via 192.168.2.254 mtu 70000
  a: route add 10.44.0.0/16 dev e1 cw 5 initc 3 window 0x10 reord 4 ssth 9
  a: route add 10.45.0.0/16 dev e1 hoplimit lock 64
  a: route add 10.46.0.0/16 mtu 1450 nexthop via 192.168.1.254 nexthop via 192.168.2.254
  a: route add 10.40.0.0/16 via 192.168.2.254 mtu 1500
  a: route append 10.40.0.0/16 via 192.168.2.254 mtu 1500
  a: route append 10.40.0.0/16 via 192.168.2.254 mtu 1500
  a: route show
  a: -j route show
  a: route get 10.40.1.1
  a: route get 10.41.1.1
  a: -j route get 10.41.1.1
  a: route get 10.41.1.1 fibmatch
  a: -j route get 10.40.1.1 fibmatch
  a: route get 10.46.1.1
  a: route del 10.40.0.0/16 mtu 1500
  a: route show 10.40.0.0/16
  a: route del 10.40.0.0/16 mtu 1234
  a: route change 10.42.0.0/16 via 192.168.2.254 metric 7 mtu 1300
  a: route replace 10.42.0.0/16 via 192.168.2.254 metric 7 advmss 1000
  a: route show 10.42.0.0/16
  a: route add 10.47.0.0/16 dev e1 advmss x
  a: route add 10.47.0.0/16 dev e1 hoplimit 300
  a: route add 10.47.0.0/16 dev e1 quickack 2
  a: route add 10.47.0.0/16 dev e1 mtu lock x
  a: route add 10.47.0.0/16 dev e1 mtu -1
  a: route add 10.47.0.0/16 dev e1 mtu lock
  a: route get 10.10.1.1 connected
  a: route get 10.10.1.1 from 192.168.1.1 connected
  a: route get 10.30.1.1 connected
  a: route get 10.10.1.1 connected mark 5
  a: route get 10.10.1.1 oif e0 connected
  a: route get 10.21.1.1 connected
  a: route get 192.168.1.1 connected
  a: route get 10.10.1.1 connected tos 0x10
  a: route get 10.10.1.1 connected iif e0 from 1.2.3.4
  a: route get 10.10.1.1 fibmatch connected
  a: route get 10.40.1.1 connected
  a: -j route get 10.10.1.1 connected
  a: -j -p route get 10.40.1.1 connected
  a: route add default via 192.168.2.254 metric 0 table 50
  a: route append default via 192.168.1.254 table 50
  a: route append default via 10.9.0.254 table 50
  a: rule add pref 100 to 8.8.8.0/24 lookup 50
  a: route get 8.8.8.8
  a: route get 8.8.8.8 oif e0
  a: route show table 50
`;
