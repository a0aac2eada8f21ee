// Capturing state changes nothing: no trace event, no PRNG draw, no lazily created kernel state. A run
// captured at every event (and recorded with snapshots) has the fingerprint of a run that never was.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { devOpen } from '../../../engine/net/dev.js';
import { Network } from '../../../engine/net/network.js';
import { ipmrNetIfAny } from '../../../engine/ipv4/ipmr-table.js';
import { captureNet, captureNode, captureFinalViews } from '../../../engine/state/capture.js';
import { CaptureSideEffect, withoutSideEffects } from '../../../engine/state/quiet.js';
import { recordLab } from './record-lab.js';

const UNRES_LAB = 'test/unit/replay/fixtures/unres-queue.yaml';
const dir = mkdtempSync(join(tmpdir(), 'rlw-capture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('state capture', () => {
  it('leaves the run fingerprint unchanged: recorded with snapshots, captured at every event, or neither', async () => {
    const plain = await recordLab(UNRES_LAB, null);
    const recorded = await recordLab(UNRES_LAB, join(dir, 'a.sqlite'), { recorder: { snapshotEvery: 10 } });
    const captured = await recordLab(UNRES_LAB, null, { liveAt: () => true });
    const routing = await recordLab('labs/17-multipath.yaml', null, { solution: true });
    const routingRecorded = await recordLab('labs/17-multipath.yaml', join(dir, 'b.sqlite'), { solution: true, recorder: { snapshotEvery: 50 } });
    expect(recorded.recorder!.stats.snapshots).toBeGreaterThan(10);
    expect(captured.live!.states.size).toBe(plain.events);
    expect(recorded.fingerprint).toBe(plain.fingerprint);
    expect(captured.fingerprint).toBe(plain.fingerprint);
    expect(recorded.events).toBe(plain.events);
    expect(routingRecorded.fingerprint).toBe(routing.fingerprint);
  }, 60_000);

  it('emits no event and draws nothing while it reads (/proc/net/ip_mr_* model their reads as kernel calls)', async () => {
    const r = await recordLab(UNRES_LAB, null);
    const net = r.run.session.net;
    const before = { events: net.sim.trace.eventCount, fp: net.sim.trace.fingerprint(), pending: net.sim.pending };
    const a = captureNet(net);
    const views = captureFinalViews(net.node('r1'));
    expect(views['cat /proc/net/ip_mr_vif']).toMatch(/^Interface/);
    expect(net.sim.trace.eventCount).toBe(before.events);
    expect(net.sim.trace.fingerprint()).toBe(before.fp);
    expect(net.sim.pending).toBe(before.pending);
    expect(captureNet(net)).toEqual(a);
    // The same read from a console is a traced kernel call.
    expect(r.run.session.runCommand('r1', 'cat /proc/net/ip_mr_vif').stdout).toBe(views['cat /proc/net/ip_mr_vif']);
    expect(net.sim.trace.eventCount).toBe(before.events + 1);
  });

  it('does not create ipmr state in a namespace that never used it, and prints what a fresh one prints', () => {
    const net = new Network({ seed: 1 });
    const ns = net.addNode('h');
    devOpen(ns.devByName('lo')!);
    const st = captureNode(ns);
    expect(ipmrNetIfAny(ns)).toBeUndefined();
    expect(st.ipmr).toBeNull();
    expect(st.views['cat /proc/net/ip_mr_vif']).toBe('Interface      BytesIn  PktsIn  BytesOut PktsOut Flags Local    Remote\n');
    expect(st.views['ip mroute show']).toBe('');
    expect(st.views['ip route show table all']).toContain('local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1');
  });

  it('refuses a read that would draw a random number or schedule work, and restores the simulation after', () => {
    const net = new Network({ seed: 5 });
    expect(() => withoutSideEffects(net.sim, () => net.sim.rng.u32())).toThrow(CaptureSideEffect);
    expect(() => withoutSideEffects(net.sim, () => net.sim.schedule(1, () => undefined))).toThrow(/schedule/);
    expect(withoutSideEffects(net.sim, () => net.sim.trace.emit('x', 'f', 'call'))).toBe(0);
    expect(net.sim.trace.eventCount).toBe(0);
    // Restored: the next draw is the seed's first, and events are numbered from 1.
    expect(net.sim.rng.u32()).toBe(new Network({ seed: 5 }).sim.rng.u32());
    expect(net.sim.trace.emit('x', 'f', 'call')).toBe(1);
    expect(Object.prototype.hasOwnProperty.call(net.sim.trace, 'emit')).toBe(false);
  });
});
