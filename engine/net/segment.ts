// A LAN segment: a learning-free bridge (a hub) that floods every frame to all other ports, the way a
// Kathará collision domain or a containerlab bridge does for multicast. Each node's device on the segment
// is a veth whose peer is one port of this bridge; the bridge lives outside every node's namespace.

import type { NetDevice } from './netdevice.js';

export class Segment {
  /** The bridge-side veth ends, one per attached node device. */
  readonly ports: NetDevice[] = [];

  constructor(readonly name: string) {}
}
