// Runs a step's actions on a LabSession: traffic apps (UDP sender/receiver, ping), group joins and
// leaves, link faults, commands and waiting. Link faults and pings go through the node's shell, so they
// take exactly the path (and print exactly what) the same command typed by a student would.
// With a RunSlicing (the app's worker), long actions (wait, ping, sleep) advance simulated time in slices:
// progress is reported and a Cancel stops them where they are. Without one (the CLI) they run in one go;
// the simulation is the same either way (running to T in slices runs the same events in the same order).

import { startUdpReceiver, type UdpReceiverHandle } from '../../../engine/apps/udp-receiver.js';
import { startUdpSender, type UdpSenderHandle } from '../../../engine/apps/udp-sender.js';
import { formatOSError, KernelError } from '../../../engine/net/errno.js';
import type { UdpSocket } from '../../../engine/ipv4/udp.js';
import { NSEC_PER_SEC } from '../../../engine/sim/time.js';
import { parseIpv4 } from '../../../engine/wire/inet.js';
import type { LabDaemons } from './lab-daemons.js';
import type { LabSession, RunSlicing } from './session.js';
import type { LabAction } from './steps.js';

export interface ActionOutcome {
  action: LabAction;
  ok: boolean;
  /** What the action printed (command output, ping lines) or why it failed. */
  output: string;
  /** Exit status, for actions that run a console command (ping, link changes, commands). */
  rc?: number;
  /** The user cancelled the action midway (only with a RunSlicing): simulated time stopped where it was. */
  cancelled?: boolean;
}

/** The apps and sockets the actions of a run started, by name; the delivery checks read the receivers. */
export class RunApps {
  readonly receivers = new Map<string, { node: string; handle: UdpReceiverHandle }>();
  readonly senders: Array<{ node: string; handle: UdpSenderHandle }> = [];
  /** One membership socket per node for join/leave actions. */
  private readonly memberSocks = new Map<string, UdpSocket>();
  /** The lab's daemons, once started (LabRun.start). */
  daemons: LabDaemons | null = null;

  memberSock(session: LabSession, node: string): UdpSocket {
    let s = this.memberSocks.get(node);
    if (!s) {
      const ns = session.net.node(node);
      s = ns.ipv4.udp.create(ns);
      this.memberSocks.set(node, s);
    }
    return s;
  }
}

const ip = (s: string): number => parseIpv4(s)!; // validated by the schema

async function shell(session: LabSession, node: string, line: string, action: LabAction, slicing: RunSlicing | null): Promise<ActionOutcome> {
  const r = slicing ? await session.runCommandSliced(node, line, slicing) : { ...session.runCommand(node, line), interrupted: false };
  const o: ActionOutcome = { action, ok: r.rc === 0, output: `${node}# ${line}\n${r.stdout}${r.stderr}`, rc: r.rc };
  if (r.interrupted) o.cancelled = true;
  return o;
}

const secs = (ns: number): string => `${ns / NSEC_PER_SEC} s`;

async function wait(session: LabSession, a: LabAction & { type: 'wait' }, slicing: RunSlicing | null): Promise<ActionOutcome> {
  if (!slicing) {
    session.advance(a.duration);
    return { action: a, ok: true, output: `waited ${secs(a.duration)}` };
  }
  const start = session.now;
  if (!(await session.advanceSliced(start + a.duration, slicing))) return { action: a, ok: true, output: `waited ${secs(a.duration)}` };
  return { action: a, ok: false, cancelled: true, output: `wait cancelled after ${secs(session.now - start)} of ${secs(a.duration)}` };
}

/** A lab action that cannot run as written (e.g. an interface that does not exist at that moment). */
class ActionError extends Error {}

function ifindexOf(session: LabSession, node: string, iface: string | undefined): number {
  if (iface === undefined) return 0;
  const dev = session.net.node(node).devByName(iface);
  if (!dev) throw new ActionError(`${node} has no interface "${iface}"`);
  return dev.ifindex;
}

/** Runs one action; with `slicing`, long ones run in slices and can be cancelled (outcome.cancelled). */
export async function runAction(session: LabSession, apps: RunApps, a: LabAction, slicing: RunSlicing | null = null): Promise<ActionOutcome> {
  try {
    switch (a.type) {
      case 'command':
        return await shell(session, a.node, a.run, a, slicing);
      case 'ping': {
        const opts = [`-c ${a.count}`];
        if (a.interval !== undefined) opts.push(`-i ${a.interval / NSEC_PER_SEC}`);
        if (a.size !== undefined) opts.push(`-s ${a.size}`);
        if (a.ttl !== undefined) opts.push(`-t ${a.ttl}`);
        if (a.iface !== undefined) opts.push(`-I ${a.iface}`);
        return await shell(session, a.node, `ping ${opts.join(' ')} ${a.dst}`, a, slicing);
      }
      case 'link-down':
      case 'link-up':
        return await shell(session, a.node, `ip link set dev ${a.iface} ${a.type === 'link-down' ? 'down' : 'up'}`, a, slicing);
      case 'link-delete':
        return await shell(session, a.node, `ip link del dev ${a.iface}`, a, slicing);
      case 'daemon': {
        if (!apps.daemons) return { action: a, ok: false, output: `${a.node}: the lab's daemons are not started (LabRun.start)` };
        const r = apps.daemons.control(a.node, a.do, a.script ? { script: a.script, args: a.args ?? [] } : undefined);
        return { action: a, ...r };
      }
      case 'wait':
        return await wait(session, a, slicing);
      case 'udp-receiver': {
        let handle: UdpReceiverHandle;
        try {
          handle = startUdpReceiver(session.net.node(a.node), {
            port: a.port,
            group: a.group === undefined ? undefined : ip(a.group),
            iface: a.iface,
            bind: a.bind === undefined ? undefined : ip(a.bind),
          });
        } catch (e) {
          if (!(e instanceof KernelError)) throw e;
          const text = e.extack ?? formatOSError(a.group === undefined ? 'bind' : 'setsockopt(IP_ADD_MEMBERSHIP)', e.errno);
          return { action: a, ok: false, output: `${a.node}: receiver ${a.name}: ${text}` };
        }
        apps.receivers.set(a.name, { node: a.node, handle });
        return { action: a, ok: true, output: `${a.node}: receiver ${a.name} on UDP port ${a.port}${a.group ? `, joined ${a.group}${a.iface ? ` on ${a.iface}` : ''}` : ''}` };
      }
      case 'udp-sender': {
        const handle = startUdpSender(session.net.node(a.node), {
          dst: ip(a.dst),
          dport: a.port,
          count: a.count,
          interval: a.interval,
          size: a.size,
          ttl: a.ttl,
          tos: a.tos,
          src: a.src === undefined ? undefined : ip(a.src),
          sport: a.sport,
          iface: a.iface,
        });
        apps.senders.push({ node: a.node, handle });
        return { action: a, ok: true, output: `${a.node}: sending ${a.count} datagram(s) to ${a.dst}:${a.port}` };
      }
      case 'join':
      case 'leave': {
        const sock = apps.memberSock(session, a.node);
        const m = { multiaddr: ip(a.group), ifindex: ifindexOf(session, a.node, a.iface) };
        const opt = a.type === 'join' ? 'IP_ADD_MEMBERSHIP' : 'IP_DROP_MEMBERSHIP';
        try {
          if (a.type === 'join') sock.join(m);
          else sock.leave(m);
        } catch (e) {
          if (e instanceof KernelError) return { action: a, ok: false, output: `${a.node}: ${formatOSError(`setsockopt(${opt})`, e.errno)}` };
          throw e;
        }
        return { action: a, ok: true, output: `${a.node}: ${a.type === 'join' ? 'joined' : 'left'} ${a.group}${a.iface ? ` on ${a.iface}` : ''}` };
      }
    }
  } catch (e) {
    if (e instanceof KernelError || e instanceof ActionError) return { action: a, ok: false, output: e.message };
    throw e;
  }
}
