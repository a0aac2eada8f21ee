// Math.random in a daemon is seeded from the run: the same lab and seed give the same numbers, and a daemon
// restarted on the same node draws new ones (a restarted process would: a PIM router's new GenID relies on it).

import { describe, expect, it } from 'vitest';
import { sandboxLab } from './lab.js';

const SCRIPT = `log(String(Math.random()), String(Math.random()));`;

async function draws(restarts: number, seed = 1): Promise<string[]> {
  const lab = sandboxLab(seed);
  for (let i = 0; i <= restarts; i++) {
    const d = await lab.start('r1', SCRIPT);
    d.kill();
  }
  await lab.start('r2', SCRIPT);
  return lab.logs();
}

describe('daemon randomness', () => {
  it('is the same for the same seed, new on each restart, and per node', async () => {
    const a = await draws(2);
    expect(await draws(2)).toEqual(a);
    const [first, second, third, other] = a;
    expect(new Set([first, second, third, other]).size).toBe(4);
    // The first start on a node draws what it drew before restarts existed: fingerprints stay.
    expect((await draws(0))[0]).toBe(first);
    expect((await draws(0, 2))[0]).not.toBe(first);
  });
});
