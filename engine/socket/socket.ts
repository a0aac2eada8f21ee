// The socket API a daemon script uses: socket(), setsockopt()/getsockopt(), ioctl(), close(), with the
// errnos of net/socket.c and af_inet.c's inet_create(). Loading it loads ipmr (CONFIG_IP_MROUTE=y).

import { Errno, KernelError } from '../net/errno.js';
import type { Netns } from '../net/netns.js';
import '../ipv4/ipmr.js';
import { ipmrIoctl } from '../ipv4/ipmr-sockopt.js';
import type { SiocSgReq, SiocVifReq } from '../ipv4/ipmr-types.js';
import type { UdpSocket } from '../ipv4/udp.js';
import { AF_INET, IPPROTO_IP, IPPROTO_UDP, SOCK_DGRAM, SOCK_RAW, SOCK_STREAM } from './constants.js';
import { RawSocket } from './raw.js';

export { getsockopt, setsockopt } from './sockopt.js';
export { SIOCGETSGCNT, SIOCGETVIFCNT, type Mfcctl, type SiocSgReq, type SiocVifReq, type Vifctl } from '../ipv4/ipmr-types.js';
export type { RawMessage } from './raw.js';
export { RawSocket };

export type Socket = RawSocket | UdpSocket;

/** SOCK_MAX: types at or above it are EINVAL in __sock_create(). */
const SOCK_MAX = 11;
const IPPROTO_MAX = 256;

/** socket(family, type, protocol) in namespace `ns`. */
export function socket(ns: Netns, family: number, type: number, protocol: number): Socket {
  // __sock_create(): family and type ranges first, then the family's create().
  if (family < 0 || family >= 46) throw new KernelError(Errno.EAFNOSUPPORT);
  if (type < 0 || type >= SOCK_MAX) throw new KernelError(Errno.EINVAL);
  if (family !== AF_INET) throw new KernelError(Errno.EAFNOSUPPORT);
  // inet_create()
  if (protocol < 0 || protocol >= IPPROTO_MAX) throw new KernelError(Errno.EINVAL);
  let sk: Socket;
  switch (type) {
    case SOCK_DGRAM:
      if (protocol !== IPPROTO_IP && protocol !== IPPROTO_UDP) throw new KernelError(Errno.EPROTONOSUPPORT);
      sk = ns.ipv4.udp.create(ns);
      break;
    case SOCK_RAW:
      // The raw protosw matches any protocol, but protocol 0 is refused.
      if (protocol === IPPROTO_IP) throw new KernelError(Errno.EPROTONOSUPPORT);
      sk = new RawSocket(ns, protocol);
      break;
    case SOCK_STREAM:
      // TCP is not modelled (Linux creates the socket).
      throw new KernelError(Errno.EPROTONOSUPPORT);
    default:
      // inet_create() finds no protosw for the type (SOCK_RDM, SOCK_SEQPACKET, SOCK_PACKET, ...).
      throw new KernelError(Errno.ESOCKTNOSUPPORT);
  }
  ns.emit('inet_create', 'call', { type, protocol });
  return sk;
}

/** ioctl(fd, SIOCGETVIFCNT | SIOCGETSGCNT, &req): fills `arg` in place (raw_ioctl → ipmr_ioctl). */
export function ioctl(sk: Socket, request: number, arg: SiocVifReq | SiocSgReq): void {
  if (sk.closed) throw new KernelError(Errno.EBADF);
  // udp_ioctl has no such request: ENOIOCTLCMD, which sock_ioctl turns into ENOTTY (observed).
  if (!(sk instanceof RawSocket)) throw new KernelError(Errno.ENOTTY);
  ipmrIoctl(sk, request, arg);
}
