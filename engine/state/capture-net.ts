// Devices, addresses, device counters and sysctls of a node, read through the engine's public fields.

import type { Netns } from '../net/netns.js';
import { formatIpv4, formatMac } from '../wire/inet.js';
import type { AddressState, DeviceState, SysctlState } from './node-state.js';

export function captureLinks(ns: Netns): DeviceState[] {
  return ns.deviceList().map((d) => ({
    ifindex: d.ifindex,
    name: d.name,
    kind: d.kind,
    flags: d.userFlags(),
    operstate: d.operstate(),
    mtu: d.mtu,
    mac: formatMac(d.mac),
    carrier: d.carrier,
    allmulti: d.allmulti,
    promiscuity: d.promiscuity,
    mc: [...d.mc.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    peer: d.peer ? `${d.peer.ns.name}/${d.peer.dev.name}` : '',
    txqlen: d.txqlen,
    group: d.group,
    qdisc: d.qdisc(),
    carrierChanges: d.carrierChanges,
  }));
}

export function captureStats(ns: Netns): { [dev: string]: { [counter: string]: number } } {
  const out: { [dev: string]: { [counter: string]: number } } = {};
  for (const d of ns.deviceList()) out[d.name] = { ...d.stats };
  return out;
}

export function captureAddrs(ns: Netns): AddressState[] {
  const out: AddressState[] = [];
  for (const d of ns.deviceList()) {
    for (const ifa of d.inDev?.ifaList ?? []) {
      out.push({
        dev: d.name,
        local: formatIpv4(ifa.local),
        address: formatIpv4(ifa.address),
        prefixlen: ifa.prefixlen,
        broadcast: formatIpv4(ifa.broadcast),
        scope: ifa.scope,
        label: ifa.label,
        flags: ifa.flags,
      });
    }
  }
  return out;
}

/** The conf entries routing and multicast decisions read; the full set is one `sysctl -a` away. */
const CONF_KEYS = ['forwarding', 'mc_forwarding', 'rp_filter', 'accept_local', 'route_localnet', 'src_valid_mark', 'force_igmp_version', 'ignore_routes_with_linkdown', 'bc_forwarding', 'send_redirects', 'accept_redirects', 'log_martians'] as const;

export function captureSysctl(ns: Netns): SysctlState {
  const v4 = ns.ipv4;
  const pick = (values: Record<string, number>): { [key: string]: number } => {
    const o: { [key: string]: number } = {};
    for (const k of CONF_KEYS) if (typeof values[k] === 'number') o[k] = values[k];
    return o;
  };
  const conf: SysctlState['conf'] = { all: pick(v4.devconfAll.values), default: pick(v4.devconfDefault.values) };
  for (const d of ns.deviceList()) if (d.inDev) conf[d.name] = pick(d.inDev.conf.values);
  const ipv4: { [key: string]: number } = {};
  for (const [k, v] of Object.entries(v4.sysctl)) if (typeof v === 'number') ipv4[k] = v;
  return { ipv4, conf };
}
