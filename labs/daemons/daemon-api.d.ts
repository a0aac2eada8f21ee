// The daemon API: what a daemon script running in the workbench's sandbox can call. One file types it for
// both the sandbox (its scripts are TypeScript) and the editor's IntelliSense. Everything here is a global:
// a daemon imports nothing. The names and values are those of the Linux socket API (<sys/socket.h>,
// <netinet/in.h>, <linux/mroute.h>), so a daemon reads like smcroute, mrouted or pimd; addresses are
// dotted-quad strings ("10.0.0.1") instead of struct in_addr.
//
// Time is simulated: timers and now() follow the simulation's clock, Date.now() too; Math.random() is a
// seeded stream (the same lab and seed give the same numbers). There is no network or process, and no file
// system beyond the read-only files the lab supplies to the node (readFile).

/** An IPv4 address, dotted quad: "239.1.1.1". "0.0.0.0" is INADDR_ANY (and the (*,G) wildcard in an mfcctl). */
type in_addr = string;

/** A failed system call, as errno and the kernel's text: "setsockopt(MRT_ADD_VIF): Address already in use (EADDRINUSE)". */
declare class OSError extends Error {
  readonly name: 'OSError';
  /** errno value, e.g. 98. */
  readonly errno: number;
  /** errno name, e.g. 'EADDRINUSE'. */
  readonly code: string;
  /** The call that failed: 'socket', 'setsockopt', 'bind', ... */
  readonly syscall: string;
}

/** struct vifctl: MRT_ADD_VIF / MRT_DEL_VIF (only vifc_vifi is read by MRT_DEL_VIF). Omitted fields are 0. */
interface vifctl {
  /** VIF index, 0..MAXVIFS-1. */
  vifc_vifi: number;
  /** 0, VIFF_TUNNEL, VIFF_REGISTER or VIFF_USE_IFINDEX. */
  vifc_flags?: number;
  /** TTL threshold (stored; the kernel forwards by the MFC's per-VIF TTLs). */
  vifc_threshold?: number;
  vifc_rate_limit?: number;
  /** The interface, by one of its addresses (union with vifc_lcl_ifindex). */
  vifc_lcl_addr?: in_addr;
  /** The interface, by ifindex, with VIFF_USE_IFINDEX (union with vifc_lcl_addr). */
  vifc_lcl_ifindex?: number;
  /** Remote end of a VIFF_TUNNEL VIF. */
  vifc_rmt_addr?: in_addr;
}

/** struct mfcctl: MRT_ADD_MFC / MRT_DEL_MFC (and the _PROXY variants). */
interface mfcctl {
  /** Source S; "0.0.0.0" for a (*,G) entry. */
  mfcc_origin: in_addr;
  /** Group G; "0.0.0.0" for (*,*). */
  mfcc_mcastgrp: in_addr;
  /** Incoming VIF (the RPF interface). */
  mfcc_parent: number;
  /** Per-VIF TTL threshold, index = VIF: a packet leaves VIF i if ttls[i] is non-zero and its TTL > ttls[i]. Missing = 0. */
  mfcc_ttls?: number[];
}

/** struct ip_mreqn: IP_ADD_MEMBERSHIP / IP_DROP_MEMBERSHIP / IP_MULTICAST_IF. */
interface ip_mreqn {
  imr_multiaddr: in_addr;
  /** Local address of the interface (or give imr_ifindex). */
  imr_address?: in_addr;
  imr_ifindex?: number;
}

/** struct ip_mreq_source: IP_ADD_SOURCE_MEMBERSHIP / IP_DROP_SOURCE_MEMBERSHIP / IP_BLOCK_SOURCE / IP_UNBLOCK_SOURCE. */
interface ip_mreq_source {
  imr_multiaddr: in_addr;
  /** Local address of the interface ("0.0.0.0": the kernel picks one by routing the group). */
  imr_interface?: in_addr;
  imr_sourceaddr: in_addr;
}

/** What a raw IGMP socket reads when the kernel asks the daemon something (struct igmpmsg, im_mbz = 0). */
interface IgmpmsgUpcall {
  kind: 'igmpmsg';
  /** IGMPMSG_NOCACHE, IGMPMSG_WRONGVIF, IGMPMSG_WHOLEPKT or IGMPMSG_WRVIFWHOLE. */
  msgtype: number;
  msgtypeName: 'IGMPMSG_NOCACHE' | 'IGMPMSG_WRONGVIF' | 'IGMPMSG_WHOLEPKT' | 'IGMPMSG_WRVIFWHOLE' | string;
  /** The VIF the packet arrived on (im_vif | im_vif_hi << 8). */
  vif: number;
  /** im_src: the packet's source S. */
  src: in_addr;
  /** im_dst: the packet's group G. */
  dst: in_addr;
  /** Everything the socket read, from the 20-byte igmpmsg on. */
  bytes: Uint8Array;
}

/** A decoded IGMP message. */
interface IgmpHeader {
  type: number;
  kind: 'query-v1' | 'query-v2' | 'query-v3' | 'report-v1' | 'report-v2' | 'leave-v2' | 'report-v3' | 'generic' | 'malformed';
  checksumValid?: boolean;
  group?: in_addr;
  /** v2 query: Max Resp Time in 1/10 s. */
  maxRespTime?: number;
  /** v3 query fields. */
  maxRespCode?: number;
  sFlag?: boolean;
  qrv?: number;
  qqic?: number;
  sources?: in_addr[];
  /** v3 report: group records. */
  records?: { type: number; group: in_addr; sources: in_addr[] }[];
  error?: string;
}

/** A datagram read from a raw socket: recvfrom() gives it from the IP header on. */
interface RawPacket {
  kind: 'packet' | 'igmp';
  /** IP protocol (IPPROTO_PIM, IPPROTO_IGMP, ...). */
  protocol: number;
  src: in_addr;
  dst: in_addr;
  ttl: number;
  /** Arrival interface. */
  ifindex: number;
  /** The IP header carried the Router Alert option. */
  routerAlert: boolean;
  /** What follows the IP header (the PIM or IGMP message). */
  payload: Uint8Array;
  /** The whole datagram, IP header included. */
  bytes: Uint8Array;
}

/** A real IGMP packet read from a raw IGMP socket, decoded. */
interface IgmpPacket extends RawPacket {
  kind: 'igmp';
  igmp: IgmpHeader;
}

/** struct sioc_vif_req (ioctl SIOCGETVIFCNT): give vifi, get the VIF's counters. */
interface sioc_vif_req {
  vifi: number;
  icount?: number;
  ocount?: number;
  ibytes?: number;
  obytes?: number;
}

/** struct sioc_sg_req (ioctl SIOCGETSGCNT): give src and grp, get the (S,G) entry's counters. */
interface sioc_sg_req {
  src: in_addr;
  grp: in_addr;
  pktcnt?: number;
  bytecnt?: number;
  wrong_if?: number;
}

/** A UDP datagram read from a SOCK_DGRAM socket. */
interface UdpMessage {
  kind: 'udp';
  data: Uint8Array;
  src: in_addr;
  sport: number;
  dst: in_addr;
  dport: number;
  ifindex: number;
  ttl: number;
  tos: number;
}

/** Socket option values by option. */
type SockoptValue = number | boolean | string | vifctl | mfcctl | ip_mreqn | ip_mreq_source;

interface Socket<M> {
  /** File descriptor (3, 4, ...), as in the trace's sys_enter_* events. */
  readonly fd: number;
  readonly type: number;
  readonly protocol: number;
  setsockopt(level: typeof IPPROTO_IP, optname: typeof MRT_ADD_VIF | typeof MRT_DEL_VIF, value: vifctl): void;
  setsockopt(level: typeof IPPROTO_IP, optname: typeof MRT_ADD_MFC | typeof MRT_DEL_MFC | typeof MRT_ADD_MFC_PROXY | typeof MRT_DEL_MFC_PROXY, value: mfcctl): void;
  setsockopt(level: typeof IPPROTO_IP, optname: typeof IP_ADD_MEMBERSHIP | typeof IP_DROP_MEMBERSHIP, value: ip_mreqn): void;
  setsockopt(level: typeof IPPROTO_IP, optname: typeof IP_MULTICAST_IF, value: ip_mreqn | in_addr): void;
  setsockopt(level: typeof IPPROTO_IP, optname: typeof IP_ADD_SOURCE_MEMBERSHIP | typeof IP_DROP_SOURCE_MEMBERSHIP | typeof IP_BLOCK_SOURCE | typeof IP_UNBLOCK_SOURCE, value: ip_mreq_source): void;
  setsockopt(level: typeof SOL_SOCKET, optname: typeof SO_BINDTODEVICE, value: string): void;
  /** IP_OPTIONS: the IPv4 options every datagram from this socket carries, as bytes (at most 40; e.g. Router
   * Alert `new Uint8Array([0x94, 4, 0, 0])`); the kernel checks them (EINVAL). An empty array clears them. */
  setsockopt(level: typeof IPPROTO_IP, optname: typeof IP_OPTIONS, value: Uint8Array): void;
  /** Integer options (MRT_INIT, MRT_DONE, MRT_PIM, MRT_ASSERT, MRT_TABLE, MRT_FLUSH, IP_TTL, IP_MULTICAST_TTL, ...). Default value 1. */
  setsockopt(level: number, optname: number, value?: number | boolean): void;
  /** IP_OPTIONS: the socket's options as set (padded to 4 bytes), empty when none. */
  getsockopt(level: typeof IPPROTO_IP, optname: typeof IP_OPTIONS): number[];
  getsockopt(level: number, optname: number): number | string;
  /** ioctl(2) on a raw socket: SIOCGETVIFCNT / SIOCGETSGCNT counters of the socket's multicast routing table. */
  ioctl(request: typeof SIOCGETVIFCNT, arg: sioc_vif_req): Required<sioc_vif_req>;
  ioctl(request: typeof SIOCGETSGCNT, arg: sioc_sg_req): Required<sioc_sg_req>;
  /** bind(2). A raw socket takes an address only (no port) and then receives only datagrams sent to it. */
  bind(address: in_addr, port?: number): void;
  /** sendto(2); returns the number of bytes sent. A string is sent as Latin-1 bytes. A raw socket ignores the port. */
  sendto(data: Uint8Array | string, address: in_addr, port?: number): number;
  /** Called for every message the socket receives (null stops reading). */
  onMessage(handler: ((message: M) => void) | null): void;
  /** close(2): the kernel's close path runs (an mroute socket's close runs mrtsock_destruct). */
  close(): void;
}

type RawIgmpSocket = Socket<IgmpmsgUpcall | IgmpPacket>;
type RawIpSocket = Socket<RawPacket>;
type UdpSocket = Socket<UdpMessage>;

/** socket(2). Errors are OSError, e.g. EPROTONOSUPPORT for a protocol the kernel model does not offer. */
declare function socket(family: typeof AF_INET, type: typeof SOCK_RAW, protocol: typeof IPPROTO_IGMP): RawIgmpSocket;
declare function socket(family: typeof AF_INET, type: typeof SOCK_RAW, protocol: number): RawIpSocket;
declare function socket(family: typeof AF_INET, type: typeof SOCK_DGRAM, protocol?: 0 | typeof IPPROTO_UDP): UdpSocket;
declare function socket(family: number, type: number, protocol?: number): Socket<unknown>;

/** setsockopt(2)/getsockopt(2)/close(2) in C order; the same as the socket's methods. */
declare function setsockopt(sock: Socket<unknown>, level: number, optname: number, value?: SockoptValue): void;
declare function getsockopt(sock: Socket<unknown>, level: number, optname: number): number | string;
declare function close(sock: Socket<unknown>): void;
declare function ioctl(sock: Socket<unknown>, request: typeof SIOCGETVIFCNT, arg: sioc_vif_req): Required<sioc_vif_req>;
declare function ioctl(sock: Socket<unknown>, request: typeof SIOCGETSGCNT, arg: sioc_sg_req): Required<sioc_sg_req>;

interface InterfaceAddress {
  address: in_addr;
  prefixlen: number;
  broadcast: in_addr | null;
  label: string;
}

interface Interface {
  name: string;
  ifindex: number;
  /** IFF_* bits as `ip link` shows them (IFF_UP, IFF_MULTICAST, IFF_LOOPBACK, ...). */
  flags: number;
  up: boolean;
  /** Up and with carrier. */
  running: boolean;
  mtu: number;
  addresses: InterfaceAddress[];
}

/** The node's interfaces (getifaddrs(3)), in ifindex order. */
declare function interfaces(): Interface[];

interface IpResult {
  /** Exit status, as iproute2's. */
  rc: number;
  stdout: string;
  stderr: string;
  /** stdout parsed, when the command had -j and succeeded. */
  json?: unknown;
}

/**
 * Runs an `ip` command on the daemon's node: ip('route get 10.1.0.10') or ip('-j', 'route', 'show').
 * Reads and writes (routes, rules, addresses, links) as iproute2 would do over netlink.
 */
declare function ip(...args: string[]): IpResult;

/** Writes a line to the trace (daemon_log). Objects are shown as JSON. */
declare function log(...values: unknown[]): void;
declare const console: { log: typeof log; error: typeof log; warn: typeof log; info: typeof log; debug: typeof log };

/** Simulated time since the run started, in milliseconds. */
declare function now(): number;

/**
 * The command line, as C's argv: argv[0] is the script's file name, then the arguments the lab (or the
 * "start daemon" dialog) gave, e.g. ["smcroute.ts", "-f", "/etc/smcroute.conf"].
 */
declare const argv: string[];

/**
 * Reads one of the node's lab-supplied files (e.g. "/etc/smcroute.conf") by absolute path. There is no other
 * file system: a path the lab did not supply throws OSError ENOENT (errno 2, syscall 'open').
 */
declare function readFile(path: string): string;

/** Timers in simulated time (at least 1 ms). The id is a number. */
declare function setTimeout<A extends unknown[]>(fn: (...args: A) => void, ms?: number, ...args: A): number;
declare function setInterval<A extends unknown[]>(fn: (...args: A) => void, ms?: number, ...args: A): number;
declare function clearTimeout(id: number | undefined): void;
declare function clearInterval(id: number | undefined): void;

// ---- Constants (Linux values) ----

// Address families
declare const AF_INET: 2;

// Socket types
declare const SOCK_STREAM: 1;
declare const SOCK_DGRAM: 2;
declare const SOCK_RAW: 3;

// Protocols
declare const IPPROTO_IP: 0;
declare const IPPROTO_ICMP: 1;
declare const IPPROTO_IGMP: 2;
declare const IPPROTO_IPIP: 4;
declare const IPPROTO_UDP: 17;
declare const IPPROTO_PIM: 103;
declare const IPPROTO_RAW: 255;

// Option levels
declare const SOL_SOCKET: 1;
declare const SOL_IP: 0;

// SOL_SOCKET options
declare const SO_REUSEADDR: 2;
declare const SO_BROADCAST: 6;
declare const SO_RCVBUF: 8;
declare const SO_RCVBUFFORCE: 33;
declare const SO_BINDTODEVICE: 25;
declare const SO_MARK: 36;

// IPPROTO_IP options
declare const IP_TOS: 1;
declare const IP_TTL: 2;
declare const IP_HDRINCL: 3;
declare const IP_OPTIONS: 4;
declare const IP_ROUTER_ALERT: 5;
declare const IP_RECVOPTS: 6;
declare const IP_PKTINFO: 8;
declare const IP_MULTICAST_IF: 32;
declare const IP_MULTICAST_TTL: 33;
declare const IP_MULTICAST_LOOP: 34;
declare const IP_ADD_MEMBERSHIP: 35;
declare const IP_DROP_MEMBERSHIP: 36;
declare const IP_UNBLOCK_SOURCE: 37;
declare const IP_BLOCK_SOURCE: 38;
declare const IP_ADD_SOURCE_MEMBERSHIP: 39;
declare const IP_DROP_SOURCE_MEMBERSHIP: 40;
declare const IP_MSFILTER: 41;
declare const IP_MULTICAST_ALL: 49;

// Protocol-independent multicast options
declare const MCAST_JOIN_GROUP: 42;
declare const MCAST_BLOCK_SOURCE: 43;
declare const MCAST_UNBLOCK_SOURCE: 44;
declare const MCAST_LEAVE_GROUP: 45;
declare const MCAST_JOIN_SOURCE_GROUP: 46;
declare const MCAST_LEAVE_SOURCE_GROUP: 47;
declare const MCAST_MSFILTER: 48;

// Multicast routing options (IPPROTO_IP level; <linux/mroute.h>)
declare const MRT_BASE: 200;
declare const MRT_INIT: 200;
declare const MRT_DONE: 201;
declare const MRT_ADD_VIF: 202;
declare const MRT_DEL_VIF: 203;
declare const MRT_ADD_MFC: 204;
declare const MRT_DEL_MFC: 205;
declare const MRT_VERSION: 206;
declare const MRT_ASSERT: 207;
declare const MRT_PIM: 208;
declare const MRT_TABLE: 209;
declare const MRT_ADD_MFC_PROXY: 210;
declare const MRT_DEL_MFC_PROXY: 211;
declare const MRT_MAX: 212;

// MRT_FLUSH bits
declare const MRT_FLUSH: 212;
declare const MRT_FLUSH_MFC: 1;
declare const MRT_FLUSH_MFC_STATIC: 2;
declare const MRT_FLUSH_VIFS: 4;
declare const MRT_FLUSH_VIFS_STATIC: 8;

// Interface flags (<linux/if.h>)
declare const IFF_UP: 1;
declare const IFF_BROADCAST: 2;
declare const IFF_DEBUG: 4;
declare const IFF_LOOPBACK: 8;
declare const IFF_POINTOPOINT: 16;
declare const IFF_NOTRAILERS: 32;
declare const IFF_RUNNING: 64;
declare const IFF_NOARP: 128;
declare const IFF_PROMISC: 256;
declare const IFF_ALLMULTI: 512;
declare const IFF_MASTER: 1024;
declare const IFF_SLAVE: 2048;
declare const IFF_MULTICAST: 4096;
declare const IFF_PORTSEL: 8192;
declare const IFF_AUTOMEDIA: 16384;
declare const IFF_DYNAMIC: 32768;
declare const IFF_LOWER_UP: 65536;
declare const IFF_DORMANT: 131072;
declare const IFF_ECHO: 262144;

// IGMP message and group record types
declare const IGMP_HOST_MEMBERSHIP_QUERY: 17;
declare const IGMP_HOST_MEMBERSHIP_REPORT: 18;
declare const IGMP_DVMRP: 19;
declare const IGMP_PIM: 20;
declare const IGMP_TRACE: 21;
declare const IGMPV2_HOST_MEMBERSHIP_REPORT: 22;
declare const IGMP_HOST_LEAVE_MESSAGE: 23;
declare const IGMP_MTRACE_RESP: 30;
declare const IGMP_MTRACE: 31;
declare const IGMPV3_HOST_MEMBERSHIP_REPORT: 34;
declare const IGMP_MRDISC_ADV: 48;
declare const IGMPV3_MODE_IS_INCLUDE: 1;
declare const IGMPV3_MODE_IS_EXCLUDE: 2;
declare const IGMPV3_CHANGE_TO_INCLUDE: 3;
declare const IGMPV3_CHANGE_TO_EXCLUDE: 4;
declare const IGMPV3_ALLOW_NEW_SOURCES: 5;
declare const IGMPV3_BLOCK_OLD_SOURCES: 6;

// Limits
declare const MAXVIFS: 32;

// VIF flags
declare const VIFF_TUNNEL: 1;
declare const VIFF_SRCRT: 2;
declare const VIFF_REGISTER: 4;
declare const VIFF_USE_IFINDEX: 8;

// Upcall types (struct igmpmsg im_msgtype)
declare const IGMPMSG_NOCACHE: 1;
declare const IGMPMSG_WRONGVIF: 2;
declare const IGMPMSG_WHOLEPKT: 3;
declare const IGMPMSG_WRVIFWHOLE: 4;

// ioctl requests on the mroute socket
declare const SIOCGETVIFCNT: 35296;
declare const SIOCGETSGCNT: 35297;
