// IP_OPTIONS from a daemon: a Uint8Array crosses the bridge as the option's bytes, getsockopt gives them back
// as numbers, bad bytes are the kernel's EINVAL, and what the socket sends carries the option.

import { describe, expect, it } from 'vitest';
import type { RawSocket } from '../../../engine/socket/raw.js';
import { socket } from '../../../engine/socket/socket.js';
import { AF_INET, SOCK_RAW } from '../../../engine/socket/constants.js';
import { sandboxLab } from './lab.js';

describe('IP_OPTIONS in the sandbox', () => {
  it('sets, reads back and sends a Router Alert; refuses a malformed option with EINVAL', async () => {
    const lab = sandboxLab();
    const rx = socket(lab.net.node('r2'), AF_INET, SOCK_RAW, 2) as RawSocket;
    await lab.start('r1', `
      const s = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
      try { s.setsockopt(IPPROTO_IP, IP_OPTIONS, new Uint8Array([0x94, 3, 0, 0])); } catch (e) { log((e as OSError).message); }
      log(JSON.stringify(s.getsockopt(IPPROTO_IP, IP_OPTIONS)));
      s.setsockopt(IPPROTO_IP, IP_OPTIONS, new Uint8Array([0x94, 4, 0, 0]));
      log(JSON.stringify(s.getsockopt(IPPROTO_IP, IP_OPTIONS)));
      s.sendto(new Uint8Array([0x30, 20, 0, 0, 0, 0, 0, 0]), '10.0.12.2');
    `);
    lab.net.sim.run({ until: lab.net.sim.now + 5_000_000 });
    expect(lab.logs('r1')).toEqual(['setsockopt(IP_OPTIONS): Invalid argument (EINVAL)', '[]', '[148,4,0,0]']);
    const m = rx.recv()!;
    expect([...m.bytes.subarray(0, 1), ...m.bytes.subarray(20, 24)]).toEqual([0x46, 0x94, 4, 0, 0]);
  });
});
