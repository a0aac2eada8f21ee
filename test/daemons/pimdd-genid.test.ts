// labs/daemons/pimdd.ts, Generation ID (Hello option 20): a daemon that restarts (killed, no goodbye Hello)
// comes back with a new GenID and no state. Its neighbors notice the change and repair what it forgot.
//
//   src ── r1 ─eth1── r2 ── h2 (member)
//           └─eth2── r3 ── h3 (no member: r3 prunes)

import { describe, expect, it } from 'vitest';
import type { DaemonLab } from './lab.js';
import { prunedTriangle } from './topologies.js';

const G = '239.2.2.2';
const S = '10.0.0.10';


/** The Generation IDs in the Hellos `node` received from `from`, in order, read from the packet bytes. */
function genIdsHeard(lab: DaemonLab, node: string, from: string): number[] {
  const ids: number[] = [];
  for (const e of lab.sink.events) {
    if (e.node !== node || e.fn !== 'raw_rcv' || e.data.sock !== 'raw/103' || e.data.src !== from || e.pkt === null) continue;
    const ip = lab.sink.packets.get(e.pkt)!.bytes;
    const pim = ip.subarray((ip[0]! & 15) * 4);
    if ((pim[0]! & 15) !== 0) continue;
    const view = new DataView(pim.buffer, pim.byteOffset, pim.length);
    for (let o = 4; o + 4 <= pim.length; o += 4 + view.getUint16(o + 2)) if (view.getUint16(o) === 20) ids.push(view.getUint32(o + 4));
  }
  return ids;
}

/** Kills the daemon on `node` (as SIGKILL: no goodbye Hello) and starts a fresh one. */
async function restart(lab: DaemonLab, node: string): Promise<void> {
  lab.daemons.find((d) => d.node === node && d.running)!.kill();
  await lab.start(node, 'pimdd.ts');
}
const crashes = (lab: DaemonLab): string[] => lab.daemons.filter((d) => d.exit && d.exit.reason !== 'killed').map((d) => d.exit!.message);

describe('pimdd.ts: generation IDs', () => {
  it('an upstream router that restarts forgot the Prune: the downstream router sees the new GenID and prunes again at once', async () => {
    const { lab, h2 } = await prunedTriangle(G);
    lab.run(20_000);
    await restart(lab, 'r1');
    lab.run(1000);
    const ids = [...new Set(genIdsHeard(lab, 'r3', '10.3.0.1'))];
    expect(ids).toHaveLength(2); // the Hellos carry option 20, and the restarted daemon chose another GenID
    expect(lab.logs('r3')).toContain('neighbor 10.3.0.1 on eth0 restarted (new generation ID)');
    expect(lab.logs('r2')).toContain('neighbor 10.1.0.1 on eth0 restarted (new generation ID)');
    expect(lab.logs('r3')).toContain(`prune (${S}, ${G}) sent to 10.3.0.1 again: it restarted`);
    // The new r1 built (S,G) state from that Prune before any data: the next datagram does not flood r3.
    expect(lab.oifs('r1')).toEqual(['1:1']);
    const r3In = lab.vifPktsIn('r3', 0);
    lab.send('src', 'eth0', G, 2);
    lab.run(500);
    expect(lab.vifPktsIn('r3', 0)).toBe(r3In);
    expect(h2.got()).toEqual([1, 2]);
    expect(crashes(lab)).toEqual([]);
  });

  it('a downstream router that restarts forgot it pruned: its upstream forgets the Prune too, floods, and the new daemon prunes', async () => {
    const { lab } = await prunedTriangle(G);
    lab.run(20_000);
    const r3Prunes = lab.logs('r3').filter((l) => l.startsWith('prune')).length;
    await restart(lab, 'r3');
    lab.run(1000);
    expect(lab.logs('r1')).toContain('neighbor 10.3.0.2 on eth2 restarted (new generation ID)');
    expect(lab.oifs('r1')).toEqual(['1:1 2:1']);
    const r3In = lab.vifPktsIn('r3', 0);
    lab.send('src', 'eth0', G, 2);
    lab.run(500);
    expect(lab.vifPktsIn('r3', 0)).toBe(r3In + 1); // the flood reached the new r3 ...
    expect(lab.logs('r3').filter((l) => l.startsWith('prune'))).toHaveLength(r3Prunes + 1); // ... which pruned
    expect(lab.oifs('r1')).toEqual(['1:1']);
    expect(crashes(lab)).toEqual([]);
  });
});
