// The whole lab: every node's namespace, the links between them and the LAN segments, on one simulation.
// Frames cross a link after `linkDelay` of simulated time. Neighbour resolution (ARP) is instantaneous:
// the sender learns the next hop's MAC from the model directly and no ARP packets appear in the trace.

import { Sim } from '../sim/sim.js';
import { NSEC_PER_USEC, type Nanos } from '../sim/time.js';
import { devOpen, linkwatchRun, registerNetdevice } from './dev.js';
import { Errno, KernelError } from './errno.js';
import type { NetDevice } from './netdevice.js';
import { Netns, type NodeRole } from './netns.js';
import { Segment } from './segment.js';
import { transmitFrame } from './link-xmit.js';

export interface NetworkOptions {
  seed: number;
  /** One-way propagation delay of every link (default 100 µs). */
  linkDelay?: Nanos;
}

export class Network {
  readonly sim: Sim;
  readonly nodes = new Map<string, Netns>();
  readonly segments = new Map<string, Segment>();
  /** Namespaces holding segment bridges; not nodes, never shown as such. */
  private readonly bridges = new Map<string, Netns>();
  linkDelay: Nanos;
  /** Kernel profile: 'modern' Linux, or 'book' (pre-4.4 per-lookup weighted multipath, as the chapter describes). */
  profile: 'modern' | 'book' = 'modern';

  constructor(opts: NetworkOptions) {
    this.sim = new Sim(opts.seed);
    this.linkDelay = opts.linkDelay ?? 100 * NSEC_PER_USEC;
  }

  /** A new namespace with `lo` (down, as in a fresh `ip netns add`). */
  addNode(name: string, role: NodeRole = 'host'): Netns {
    if (this.nodes.has(name) || this.bridges.has(name)) throw new KernelError(Errno.EEXIST, `node "${name}" exists`);
    const ns = new Netns(this, name, role);
    this.nodes.set(name, ns);
    this.sim.trace.emit(name, 'setup_net', 'state', { role });
    registerNetdevice(ns, 'lo', 'loopback');
    return ns;
  }

  node(name: string): Netns {
    const ns = this.nodes.get(name);
    if (!ns) throw new KernelError(Errno.ENOENT, `no node "${name}"`);
    return ns;
  }

  /** veth_newlink(): `ip link add A type veth peer name B netns NS`. Both ends start down. */
  addVethPair(a: Netns, aName: string, b: Netns, bName: string, opts: { aMac?: Uint8Array; bMac?: Uint8Array; mtu?: number } = {}): [NetDevice, NetDevice] {
    if (a.devByName(aName)) throw new KernelError(Errno.EEXIST, `device "${aName}" exists`);
    if (b.devByName(bName) || (a === b && aName === bName)) throw new KernelError(Errno.EEXIST, `device "${bName}" exists`);
    // The kernel registers the peer first, then the named device.
    const peer = registerNetdevice(b, bName, 'veth', { mac: opts.bMac, mtu: opts.mtu });
    const dev = registerNetdevice(a, aName, 'veth', { mac: opts.aMac, mtu: opts.mtu });
    dev.peer = { ns: b, dev: peer };
    peer.peer = { ns: a, dev };
    // veth_newlink() turns both carriers off once registered: one carrier change each, and linkwatch
    // computes both operstates after the pair exists.
    for (const d of [peer, dev]) d.carrierChanges++;
    linkwatchRun(peer);
    linkwatchRun(dev);
    if (a !== b) {
      a.peernet2id(b);
      b.peernet2id(a);
    }
    return [dev, peer];
  }

  /** A point-to-point link between two nodes' devices (a veth pair, as containerlab builds it). */
  link(aNode: string, aDev: string, bNode: string, bDev: string): [NetDevice, NetDevice] {
    return this.addVethPair(this.node(aNode), aDev, this.node(bNode), bDev);
  }

  addSegment(name: string): Segment {
    if (this.segments.has(name)) throw new KernelError(Errno.EEXIST, `segment "${name}" exists`);
    const seg = new Segment(name);
    this.segments.set(name, seg);
    const br = new Netns(this, name, 'bridge');
    this.bridges.set(name, br);
    return seg;
  }

  /** Attaches a new device of `node` to a LAN segment (a veth into the segment's bridge, port up). */
  attach(nodeName: string, devName: string, segName: string): NetDevice {
    const seg = this.segments.get(segName) ?? this.addSegment(segName);
    const br = this.bridges.get(segName)!;
    const [dev, port] = this.addVethPair(this.node(nodeName), devName, br, `${segName.slice(0, 8)}p${seg.ports.length + 1}`);
    port.segment = seg;
    seg.ports.push(port);
    devOpen(port);
    return dev;
  }

  /** Puts a frame on the wire of `dev` (called by dev_queue_xmit). */
  transmit(dev: NetDevice, frame: { pkt: number; bytes: Uint8Array; dstMac: Uint8Array }): void {
    transmitFrame(this, dev, frame);
  }
}
