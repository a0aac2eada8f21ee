// /proc/net/igmp and /proc/net/mcfilter (igmp_mc_seq_show, igmp_mcf_seq_show in net/ipv4/igmp.c):
// every device with groups, its compatibility mode, and each group's users, report timer and reporter
// flag; then every source of every group's interface filter with its INCLUDE/EXCLUDE socket counts.

import { registerProcFile } from '../iproute2/procfs.js';
import type { Netns } from '../net/netns.js';
import { NSEC_PER_MSEC } from '../sim/time.js';
import { igmpVersion, mcListOf } from './igmp.js';
import { MCAST_EXCLUDE, MCAST_INCLUDE } from './igmp-types.js';

function hex8(n: number, upper: boolean): string {
  const s = (n >>> 0).toString(16).padStart(8, '0');
  return upper ? s.toUpperCase() : s;
}

/** A __be32 printed with %08X on a little-endian machine: the bytes in reverse. */
function rawBe32(addr: number): number {
  return (((addr & 0xff) << 24) | ((addr >>> 8) & 0xff) << 16 | ((addr >>> 16) & 0xff) << 8 | (addr >>> 24)) >>> 0;
}

export function procNetIgmp(ns: Netns): string {
  let out = 'Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n';
  for (const dev of ns.deviceList()) {
    const groups = dev.inDev ? mcListOf(dev.inDev) : [];
    if (groups.length === 0) continue;
    out += `${dev.ifindex}\t${dev.name.padEnd(10)}: ${String(groups.length).padStart(5)} ${`V${igmpVersion(dev.inDev)}`.padStart(7)}\n`;
    for (const im of groups) {
      // jiffies_delta_to_clock_t(): USER_HZ 100 ticks
      const ticks = im.tmRunning && im.timer ? Math.floor(Math.floor(im.timer.remaining() / NSEC_PER_MSEC) / 10) : 0;
      out += `\t\t\t\t${hex8(rawBe32(im.multiaddr), true)} ${String(im.users).padStart(5)} ${im.tmRunning ? 1 : 0}:${hex8(ticks, true)}\t\t${im.reporter ? 1 : 0}\n`;
    }
  }
  return out;
}

export function procNetMcfilter(ns: Netns): string {
  let out = 'Idx Device        MCA        SRC    INC    EXC\n';
  // igmp_mcf_get_first() looks only at each device's newest group: the listing starts at the first
  // device whose newest group has sources (observed: other devices before it print nothing at all).
  let started = false;
  for (const dev of ns.deviceList()) {
    if (!dev.inDev) continue;
    const groups = mcListOf(dev.inDev);
    if (!started && !groups[0]?.sources.length) continue;
    started = true;
    for (const im of groups) {
      for (const psf of im.sources) {
        out += `${String(dev.ifindex).padStart(3)} ${dev.name.slice(0, 6).padStart(6)} 0x${hex8(im.multiaddr, false)} 0x${hex8(psf.inaddr, false)} ${String(psf.sfCount[MCAST_INCLUDE]).padStart(6)} ${String(psf.sfCount[MCAST_EXCLUDE]).padStart(6)}\n`;
      }
    }
  }
  return out;
}

registerProcFile('/proc/net/igmp', procNetIgmp);
registerProcFile('/proc/net/mcfilter', procNetMcfilter);
