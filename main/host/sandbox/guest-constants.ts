// The constants a daemon script sees as globals, with the kernel's values, taken from the engine so the two
// can never disagree: socket families/types/protocols, SOL_*/SO_*/IP_*/MRT_* options, VIFF_*, MRT_FLUSH_*,
// IGMPMSG_*, IGMP message types and IFF_* interface flags.

import * as sock from '../../../engine/socket/constants.js';
import * as ifFlags from '../../../engine/net/if-flags.js';
import { MAXVIFS, SIOCGETSGCNT, SIOCGETVIFCNT, MRT_FLUSH_MFC, MRT_FLUSH_MFC_STATIC, MRT_FLUSH_VIFS, MRT_FLUSH_VIFS_STATIC, VIFF_REGISTER, VIFF_SRCRT, VIFF_TUNNEL, VIFF_USE_IFINDEX } from '../../../engine/ipv4/ipmr-types.js';
import { IGMPMSG_NOCACHE, IGMPMSG_WHOLEPKT, IGMPMSG_WRONGVIF, IGMPMSG_WRVIFWHOLE } from '../../../engine/wire/igmpmsg.js';
import * as igmp from '../../../engine/wire/igmp.js';

function numbers(mod: object, pattern: RegExp): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(mod)) if (typeof v === 'number' && pattern.test(k)) out[k] = v;
  return out;
}

export const GUEST_CONSTANTS: Readonly<Record<string, number>> = {
  ...numbers(sock, /^[A-Z_0-9]+$/),
  ...numbers(ifFlags, /^IFF_/),
  ...numbers(igmp, /^IGMP(?!_HEADER$|V3_QUERY_MIN$)/),
  MAXVIFS,
  VIFF_TUNNEL,
  VIFF_SRCRT,
  VIFF_REGISTER,
  VIFF_USE_IFINDEX,
  MRT_FLUSH_MFC,
  MRT_FLUSH_MFC_STATIC,
  MRT_FLUSH_VIFS,
  MRT_FLUSH_VIFS_STATIC,
  IGMPMSG_NOCACHE,
  IGMPMSG_WRONGVIF,
  IGMPMSG_WHOLEPKT,
  IGMPMSG_WRVIFWHOLE,
  SIOCGETVIFCNT,
  SIOCGETSGCNT,
};
