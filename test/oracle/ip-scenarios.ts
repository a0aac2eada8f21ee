// The scenarios the kernel-oracle test runs: each is a script of `node: ip ARGS` lines. Devices are
// veth pairs whose peers sit in a "sink" namespace (this kernel has no dummy driver); MACs are set
// explicitly so the kernel and the model agree on them. {node} expands to that namespace's name.

export interface Scenario {
  title: string;
  nodes: readonly string[];
  script: string;
}

/** Three veths e0..e2 on node a, peers p0..p2 in the sink s. */
const VETHS = `
  a: link add e0 address 02:00:00:00:0a:00 type veth peer name p0 address 02:00:00:00:0b:00 netns {s}
  a: link add e1 address 02:00:00:00:0a:01 type veth peer name p1 address 02:00:00:00:0b:01 netns {s}
  a: link add e2 address 02:00:00:00:0a:02 type veth peer name p2 address 02:00:00:00:0b:02 netns {s}
`;

/** The views of a node the students and the checks use most. */
const VIEWS = `
  a: link
  a: -j link
  a: addr
  a: -j addr
  a: -4 -o addr
  a: -br link
  a: -br addr
  a: route show table all
  a: -j route show table all
`;

export const SCENARIOS: readonly Scenario[] = [
  {
    title: 'a fresh namespace: only lo, no tables but main',
    nodes: ['a'],
    script: `
      a: link
      a: -j -p link
      a: addr
      a: -j addr
      a: route
      a: -j route
      a: route show table all
      a: -j route show table all
      a: route show table local
      a: -j route show table local
      a: -j -p route show table default
      a: route show table main
      a: link set lo up
      a: addr
      a: route show table all
      a: link set lo down
      a: addr
      a: route show table all
      a: route show table local
    `,
  },
  {
    title: 'veth devices: up, down, peer down (NO-CARRIER), mtu, address, flags, rename, delete',
    nodes: ['a', 's'],
    script: `
      ${VETHS}
      a: link
      s: link
      a: link set e0 up
      a: link show e0
      s: link set p0 up
      a: link set e1 up
      s: link set p1 up
      s: link set p1 down
      ${VIEWS}
      a: -s link
      a: -s -s link
      a: -j -s -s link
      a: -j -p -s link show e0
      a: -d link
      a: -j -d link
      a: -o link
      a: link show up
      a: -j link show up
      a: link show dev e1
      a: link show e2
      a: link set e2 mtu 9000
      a: link set e2 mtu 65535
      a: link set e2 mtu 65536
      a: link set e2 mtu 67
      a: link set e2 mtu 68
      a: link set e2 address 02:00:00:00:0c:02
      a: link set e2 address 03:00:00:00:0c:02
      a: link set e2 allmulticast on
      a: link set e2 multicast off
      a: link set e2 promisc on arp off
      a: -d link show e2
      a: link set e2 promisc off arp on multicast on allmulticast off txqlen 500 group 7
      a: link show e2
      a: link set e2 name wan0
      a: link set wan0 up
      a: link set wan0 name lan0
      a: link set lan0 name e0
      a: -br link
      s: -br link
      a: link del lan0
      a: link del e1
      s: link
      a: -j link
      a: -s -s link show e0
    `,
  },
  {
    title: 'a veth pair inside one namespace: NAME@PEER, M-DOWN, LOWERLAYERDOWN',
    nodes: ['a'],
    script: `
      a: link add x0 address 02:00:00:00:0d:00 type veth peer name x1 address 02:00:00:00:0d:01
      a: link
      a: link set x0 up
      a: link
      a: -j link
      a: -br link
      a: link set x1 up
      a: link
      a: link set x0 down
      a: -br link
      a: -s -s link show x1
      a: link add name y0 address 02:00:00:00:0d:02 type veth peer address 02:00:00:00:0d:03
      a: link
      a: link del x1
      a: link
    `,
  },
  {
    title: 'addresses: primary and secondary, /31, /32, brd, noprefixroute, metric, label, peer',
    nodes: ['a', 's'],
    script: `
      ${VETHS}
      a: link set lo up
      a: link set e0 up
      s: link set p0 up
      a: link set e1 up
      s: link set p1 up
      a: addr add 10.0.0.1/24 dev e0
      a: addr add 10.0.0.2/24 dev e0
      a: addr add 10.0.0.3/24 brd + dev e0 label e0:sec
      a: addr add 10.1.0.1/31 dev e0
      a: addr add 10.1.0.9/32 dev e0
      a: addr add 10.2.0.1/24 brd + dev e1
      a: addr add 10.3.0.1/24 brd - dev e1
      a: addr add 10.4.0.1/30 broadcast 10.4.0.3 dev e1
      a: addr add 10.5.0.1/24 dev e1 noprefixroute
      a: addr add 10.6.0.1/24 dev e1 metric 20
      a: addr add 10.7.0.1/24 dev e1 scope link
      a: addr add 10.8.0.1 peer 10.8.0.2/30 dev e1
      a: addr add 127.1.0.1/8 dev e2
      a: addr add 10.9.0.1/255.255.0.0 dev e2
      a: addr add 0x0a.10.0.1/16 dev e2
      ${VIEWS}
      a: -j -p addr
      a: -o addr
      a: -4 addr
      a: -j -br addr
      a: -d addr show dev e1
      a: -s addr show dev e0
      a: addr show dev e0
      a: addr show e1
      a: addr show scope link
      a: addr show scope host
      a: -j addr show scope host
      a: addr show secondary
      a: addr show primary dev e0
      a: addr show label e0:*
      a: addr show to 10.0.0.0/24
      a: addr show up
      a: addr replace 10.6.0.1/24 dev e1 metric 30
      a: addr change 10.6.0.1/24 dev e1 metric 0
      a: addr replace 10.6.0.9/24 dev e1
      a: route
      a: addr del 10.1.0.9/32 dev e0
      a: addr del 10.0.0.1/24 dev e0
      a: addr show dev e0
      a: route show table all
      a: addr del 10.7.0.1 dev e1
      a: addr flush dev e1
      a: -s addr flush dev e2
      a: -s addr flush dev e2
      ${VIEWS}
    `,
  },
  {
    title: 'kernel routes follow the link: down and up again, carrier loss, device deletion',
    nodes: ['a', 's'],
    script: `
      ${VETHS}
      a: link set e0 up
      a: link set e1 up
      s: link set p1 up
      a: addr add 10.0.0.1/24 dev e0
      a: addr add 10.1.0.1/24 brd + dev e1
      a: addr add 10.1.0.2/24 dev e1
      a: addr add 10.2.0.1/24 dev e2
      a: route show table all
      s: link set p0 up
      a: route show table all
      s: link set p1 down
      a: route show table all
      a: -j route show table all
      a: link set e1 down
      a: route show table all
      a: link set e1 up
      a: route show table all
      s: link set p1 up
      a: link set e2 up
      s: link set p2 up
      ${VIEWS}
      a: route show table local
      a: -j -p route show table local
      a: route show table 255
      a: route show table main
      a: route show table 254
      a: route show table 0
      a: -d route show table all
      a: -j -d route show table all
      a: route show dev e1
      a: route show table all dev e1
      a: route show proto kernel
      a: route show table all scope host
      a: route show table all scope link
      a: route show table local type broadcast
      a: route show table all type local
      a: route show table all 10.1.0.0/24
      a: route show table all root 10.0.0.0/8
      a: route show table all match 10.1.0.77
      a: route show table all exact 10.1.0.2
      a: route show table all src 10.1.0.1
      a: route show table all metric 0
      a: -N route show table all
      a: -o route
      a: link del e1
      a: route show table all
      a: addr del 10.2.0.1/24 dev e2
      a: route show table all
    `,
  },
  {
    title: 'creation options, two peer namespaces, automatic names, loopback addresses',
    nodes: ['a', 's', 't'],
    script: `
      a: link add e0 address 02:00:00:00:0a:00 mtu 9000 txqlen 100 up type veth peer name p0 address 02:00:00:00:0b:00 mtu 1400 netns {s}
      a: link add e1 address 02:00:00:00:0a:01 type veth peer name q0 address 02:00:00:00:0c:00 netns {t}
      a: link add address 02:00:00:00:0a:02 type veth peer address 02:00:00:00:0a:03
      a: link add address 02:00:00:00:0a:04 type veth peer address 02:00:00:00:0a:05
      a: link
      a: -j link
      s: link
      t: -j link
      a: -d link show e0
      a: link set e0 mtu 1279
      a: -d link show e0
      a: -j -d link show e0
      a: link set e0 mtu 1280
      a: -d link show e0
      a: link set lo up
      a: addr add 10.0.0.1/24 dev lo
      a: addr add 127.0.0.2/8 dev lo
      a: addr add 192.0.2.1/32 dev lo
      a: addr
      a: route show table all
      a: link del veth1
      a: link
    `,
  },
  {
    title: 'address lifecycle: down device, scopes, primaries in several subnets, deletions',
    nodes: ['a', 's'],
    script: `
      ${VETHS}
      a: addr add 10.0.0.1/24 dev e0
      a: addr add 10.0.0.2/24 dev e0
      a: addr add 10.0.1.1/24 dev e0 scope link
      a: addr add 10.0.2.1/24 dev e0 scope host
      a: addr add 10.0.3.1/24 dev e0
      a: addr add 10.0.3.2/24 dev e0
      a: addr add 10.0.0.3/24 dev e0
      a: addr show dev e0
      a: route show table all
      a: link set e0 up
      a: route show table all
      s: link set p0 up
      a: route show table all
      a: addr del 10.0.3.2/24 dev e0
      a: addr del 10.0.0.1/24 dev e0 label foo
      a: addr del 10.0.0.1/24 dev e0 label e0
      a: addr show dev e0
      a: route show table all
      a: link set e0 down
      a: addr show dev e0
      a: route show table all
      a: -j route show table all
      a: link set e0 up
      a: route show table all
      a: addr add 10.5.0.1/24 dev e1
      a: addr add 10.5.0.1/24 dev e2
      a: route show table all
      a: link del e0
      a: addr
      a: route show table all
      a: -s -o link
      a: -d -o link
      a: -j -d -s addr
      a: -j -p -s -s link show e1
    `,
  },
  {
    title: "operstate looks the peer's index up in the device's own namespace",
    nodes: ['a', 's'],
    script: `
      a: link add x0 address 02:00:00:00:0d:00 type veth peer name x1 address 02:00:00:00:0d:01
      a: link add e0 address 02:00:00:00:0a:00 type veth peer name p0 address 02:00:00:00:0b:00 netns {s}
      a: link add e1 address 02:00:00:00:0a:01 type veth peer name p1 address 02:00:00:00:0b:01 netns {s}
      a: link set e0 up
      a: link set e1 up
      a: -br link
      s: -br link
      a: link set x0 up
      a: link set x1 up
      a: -br link
      s: link set p0 up
      s: link set p0 down
      a: -br link
      a: link set x1 down
      s: link set p1 up
      s: link set p1 down
      a: -br link
      a: -j link
    `,
  },
  {
    title: 'renaming a device relabels its addresses',
    nodes: ['a', 's'],
    script: `
      ${VETHS}
      a: addr add 10.9.0.1/24 dev e0
      a: addr add 10.8.0.3/24 dev e0 label foo
      a: addr add 10.9.0.2/24 dev e0
      a: addr add 10.9.0.3/24 dev e0 label e0:x
      a: link set e0 name rr1
      a: addr show rr1
      a: -j addr show rr1
    `,
  },
  {
    title: 'abbreviations and global options resolve as in iproute2',
    nodes: ['a', 's'],
    script: `
      ${VETHS}
      a: l set e0 up
      a: a add 10.0.0.1/24 dev e0
      a: a
      a: ad sh
      a: addr s dev e0
      a: addr l e0
      a: addr lst
      a: l
      a: li sh
      a: link s dev e0
      a: link l e0
      a: link ls e0
      a: r
      a: ro sh table all
      a: route l
      a: r s ta local
      a: -4 a
      a: -f inet addr
      a: -family inet addr
      a: -0 addr
      a: -6 addr
      a: -6 route
      a: --json link show e0
      a: -json -pretty link show e0
      a: -details link show e0
      a: -stats link show e0
      a: -statistics -statistics link show e0
      a: -oneline link
      a: -brief addr
      a: -h -s link show lo
      a: -N link show lo
      a: -V
      a: -Version
      a: -br -j link
      a: -j -o addr show dev e0
      a: -o -0 addr show dev lo
      a: -br -o addr
      a: -r addr show dev e0
    `,
  },
  {
    title: 'errors: texts and exit statuses',
    nodes: ['a', 's'],
    script: `
      ${VETHS}
      a: addr add 10.0.0.1/24 dev e0
      a: foo
      a: link foo
      a: addr foo
      a: route foo
      a: -x link
      a: -j link foo
      a: link show dev nope
      a: link show nope
      a: -j link show nope
      a: link show e0 e1
      a: addr show dev nope
      a: addr show dev
      a: addr add x dev e0
      a: addr add 10.0.0.1/24 dev e0
      a: addr add 10.0.0.9/24 scope host dev e0
      a: addr add 10.0.0.9/24 scope foo dev e0
      a: addr add 10.0.0.9/24 brd foo dev e0
      a: addr add brd foo 10.0.0.9/24 dev e0
      a: addr add 10.0.0.9/24 metric x dev e0
      a: addr add 10.0.0.9/24 10.0.0.10 dev e0
      a: addr add 10.0.0.1/33 dev e0
      a: addr add 10.0.0.300/24 dev e0
      a: addr add 10.0.0.1/24 dev nope
      a: addr add 10.0.0.1/24
      a: addr add
      a: addr del 10.0.0.1/24
      a: addr del 10.9.9.9/24 dev e0
      a: addr del 10.0.0.1/16 dev e0
      a: addr add 2001:db8::1/64 dev e0
      a: -4 addr add 2001:db8::1/64 dev e0
      a: addr add 0.0.0.0/24 dev e0
      a: addr flush
      a: -j addr flush
      a: addr add 10.0.0.5/24 dev e0 peer
      a: link set nope up
      a: link set
      a: link set dev
      a: link set e0 mtu
      a: link set e0 mtu abc
      a: link set e0 mtu 10
      a: link set e0 foo
      a: link set e0 allmulticast maybe
      a: link set e0 multicast
      a: link set e0 address zz
      a: link set e0 address 02:00:00:00:01
      a: link set e0 address 1.2.3.4
      a: link set e0 address 01:00:00:00:00:01
      a: link set e0 name e1
      a: link set e0 name a:b
      a: link set e0 name 0123456789abcdefg
      a: link set dev e0 name e9 dev e1
      a: link add
      a: link add foo
      a: link add foo type
      a: link add foo type bogus
      a: link add e0 address 02:00:00:00:0e:00 type veth peer name z0 address 02:00:00:00:0e:01
      a: link add z1 address 02:00:00:00:0e:02 type veth peer name p0 address 02:00:00:00:0e:03 netns {s}
      a: link add z2 type veth peer name z3 netns nosuch
      a: link add z2 type veth bogus
      a: link add z2 type veth peer name z3 type veth
      a: link del nope
      a: link del lo
      a: link d
      a: route show table 100
      a: -j route show table 100
      a: -j -p route show table default
      a: route show table foo
      a: route show dev nope
      a: -j route show dev nope
      a: route show table
      a: route flush
      a: addr add 10.0.0.7/24 dev e0 label aaaaaaaaaaaaaaaaaaaa
      a: addr add 10.0.0.7/24 dev e0 peer 10.0.0.8/24 peer 10.0.0.9/24
      a: addr add 10.0.0.7/24 brd 1.1.1.1 brd 2.2.2.2 dev e0
      a: addr add local 10.0.0.7/24 dev e0 scope 300
      a: addr add 10.0.0.7/24 dev e0 scope 0x20
      a: addr add 10.0.0.17/24 dev e0 scope global metric 0x10 nodad home mngtmpaddr autojoin
      a: addr show dev e0
      a: addr add 224.1.2.3/24 dev e1
      a: addr show dev e1
      a: addr del 10.0.0.17/24 dev e0 scope link
      a: addr show dev e0
      a: addr help
      a: link help
      a: route help
      a: help
      a: link set e0 txqlen -1
      a: link set e0 txqlen 0
      a: link show e0
      a: link set e0 group foo
      a: link set e0 group 0x7
      a: link set e0 name
      a: link set e0 name "" 
      a: link set e0 mtu 1500 mtu 1400
      a: link set e0 up down up
      a: link show e0
      a: link set e0 down
      a: link add z5 type veth peer name z6 netns 12345
      a: link add z5 mtu 50 type veth peer name z6
      a: link add z5 type veth peer name z6 mtu 70000
      a: link add 0123456789abcdef type veth
      a: link add z7 type veth peer name z7
      a: link del e0 type veth
      a: link
      s: link
    `,
  },
];
