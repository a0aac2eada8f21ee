// struct ipv4_devconf: the per-device IPv4 settings behind net.ipv4.conf.{all,default,DEV}.*
// Defaults as a fresh namespace on Linux 6.18 shows them (observed with `sysctl -a` in a new netns).

export const DEVCONF_NAMES = [
  'accept_local',
  'accept_redirects',
  'accept_source_route',
  'arp_accept',
  'arp_announce',
  'arp_evict_nocarrier',
  'arp_filter',
  'arp_ignore',
  'arp_notify',
  'bc_forwarding',
  'bootp_relay',
  'disable_policy',
  'disable_xfrm',
  'drop_gratuitous_arp',
  'drop_unicast_in_l2_multicast',
  'force_igmp_version',
  'forwarding',
  'igmpv2_unsolicited_report_interval',
  'igmpv3_unsolicited_report_interval',
  'ignore_routes_with_linkdown',
  'log_martians',
  'mc_forwarding',
  'medium_id',
  'promote_secondaries',
  'proxy_arp',
  'proxy_arp_pvlan',
  'route_localnet',
  'rp_filter',
  'secure_redirects',
  'send_redirects',
  'shared_media',
  'src_valid_mark',
  'tag',
] as const;

export type DevconfName = (typeof DEVCONF_NAMES)[number];

const DEFAULTS: Partial<Record<DevconfName, number>> = {
  accept_redirects: 1,
  accept_source_route: 1,
  arp_evict_nocarrier: 1,
  igmpv2_unsolicited_report_interval: 10000,
  igmpv3_unsolicited_report_interval: 1000,
  secure_redirects: 1,
  send_redirects: 1,
  shared_media: 1,
};

export class DevConf {
  readonly values: Record<DevconfName, number>;
  /** Entries written explicitly on this device; `default` no longer overrides them (devinet_copy_dflt_conf). */
  readonly explicit = new Set<DevconfName>();

  constructor(from?: DevConf) {
    const v = {} as Record<DevconfName, number>;
    for (const n of DEVCONF_NAMES) v[n] = from ? from.values[n] : (DEFAULTS[n] ?? 0);
    if (from) {
      v.mc_forwarding = 0; // a counter of this device's VIFs, never inherited
      // inetdev_init() memcpy()s the default conf *with its state bitmap*: an entry written on `default`
      // before the device existed counts as set on the device, so later `default` writes skip it (observed).
      for (const n of from.explicit) this.explicit.add(n);
    }
    this.values = v;
  }

  static forAll(): DevConf {
    const c = new DevConf();
    c.values.accept_source_route = 0; // all.accept_source_route is 0, default is 1 (observed)
    return c;
  }
}

export function isDevconfName(n: string): n is DevconfName {
  return (DEVCONF_NAMES as readonly string[]).includes(n);
}
