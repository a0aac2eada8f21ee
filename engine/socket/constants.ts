// Socket-level constants with Linux's values (include/uapi/linux/in.h, socket.h, mroute.h), so a daemon
// script reads like C code against the kernel.

export const AF_INET = 2;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;

export const IPPROTO_IP = 0;
export const IPPROTO_ICMP = 1;
export const IPPROTO_IGMP = 2;
export const IPPROTO_IPIP = 4;
export const IPPROTO_UDP = 17;
export const IPPROTO_PIM = 103;
export const IPPROTO_RAW = 255;

export const SOL_SOCKET = 1;
export const SOL_IP = 0;
export const SO_REUSEADDR = 2;
export const SO_BROADCAST = 6;
export const SO_RCVBUF = 8;
export const SO_BINDTODEVICE = 25;
export const SO_RCVBUFFORCE = 33;
export const SO_MARK = 36;

export const IP_TOS = 1;
export const IP_TTL = 2;
export const IP_HDRINCL = 3;
export const IP_OPTIONS = 4;
export const IP_ROUTER_ALERT = 5;
export const IP_RECVOPTS = 6;
export const IP_PKTINFO = 8;
export const IP_MULTICAST_IF = 32;
export const IP_MULTICAST_TTL = 33;
export const IP_MULTICAST_LOOP = 34;
export const IP_ADD_MEMBERSHIP = 35;
export const IP_DROP_MEMBERSHIP = 36;
export const IP_UNBLOCK_SOURCE = 37;
export const IP_BLOCK_SOURCE = 38;
export const IP_ADD_SOURCE_MEMBERSHIP = 39;
export const IP_DROP_SOURCE_MEMBERSHIP = 40;
export const IP_MSFILTER = 41;
export const MCAST_JOIN_GROUP = 42;
export const MCAST_BLOCK_SOURCE = 43;
export const MCAST_UNBLOCK_SOURCE = 44;
export const MCAST_LEAVE_GROUP = 45;
export const MCAST_JOIN_SOURCE_GROUP = 46;
export const MCAST_LEAVE_SOURCE_GROUP = 47;
export const MCAST_MSFILTER = 48;
export const IP_MULTICAST_ALL = 49;

export const MRT_BASE = 200;
export const MRT_INIT = MRT_BASE;
export const MRT_DONE = MRT_BASE + 1;
export const MRT_ADD_VIF = MRT_BASE + 2;
export const MRT_DEL_VIF = MRT_BASE + 3;
export const MRT_ADD_MFC = MRT_BASE + 4;
export const MRT_DEL_MFC = MRT_BASE + 5;
export const MRT_VERSION = MRT_BASE + 6;
export const MRT_ASSERT = MRT_BASE + 7;
export const MRT_PIM = MRT_BASE + 8;
export const MRT_TABLE = MRT_BASE + 9;
export const MRT_ADD_MFC_PROXY = MRT_BASE + 10;
export const MRT_DEL_MFC_PROXY = MRT_BASE + 11;
export const MRT_FLUSH = MRT_BASE + 12;
export const MRT_MAX = MRT_BASE + 12;
