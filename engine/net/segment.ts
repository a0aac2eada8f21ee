// A LAN segment: a Linux bridge as a Kathará collision domain or a containerlab bridge is, without IGMP
// snooping: multicast, broadcast and unknown unicast are flooded to all other ports; unicast goes to the
// port of the node that owns the destination MAC (the forwarding database as ARP leaves it; see
// link-xmit.ts transmitFrame). Each node's device on the segment is a veth whose peer is one port of this
// bridge; the bridge lives outside every node's namespace.

import type { NetDevice } from './netdevice.js';

export class Segment {
  /** The bridge-side veth ends, one per attached node device. */
  readonly ports: NetDevice[] = [];

  constructor(readonly name: string) {}
}
