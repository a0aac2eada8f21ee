// PIM Register decapsulation against the kernel (pim_rcv → __pim_rcv): a register from s reaches r,
// whose daemon has a register VIF; the inner datagram arrives on pimreg (its RX counters), makes a
// NOCACHE upcall for the register VIF, and once the MFC names that VIF as parent is forwarded. Null
// registers, bad checksums and non-multicast inner packets are dropped; a raw PIM socket sees all.

import { afterAll, describe, it } from 'vitest';
import { destroyAllLabs, oracleGate } from './harness.js';
import { intHex, mfcctlHex, vifctlHex, type Op } from './ipmr-ops.js';
import { initVifs, procs, run, set } from './ipmr-lab.js';
import { MRT_ADD_MFC, MRT_ADD_VIF, MRT_PIM } from '../../engine/socket/constants.js';
import { internetChecksum } from '../../engine/wire/checksum.js';
import { parseIpv4 } from '../../engine/wire/inet.js';

const gate = oracleGate();
if (!gate.ok) console.log(`PIM register kernel-oracle tests skipped: ${gate.reason}`);

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** An IPv4/UDP datagram src → dst with TTL `ttl` and a 4-byte payload, header checksum filled in. */
function inner(src: string, dst: string, ttl: number): Uint8Array {
  const b = new Uint8Array(32);
  b.set([0x45, 0, 0, 32, 0x12, 0x34, 0, 0, ttl, 17, 0, 0]);
  const s = parseIpv4(src)!;
  const d = parseIpv4(dst)!;
  for (let i = 0; i < 4; i++) {
    b[12 + i] = (s >>> (24 - 8 * i)) & 0xff;
    b[16 + i] = (d >>> (24 - 8 * i)) & 0xff;
  }
  const c = internetChecksum(b, 0, 20);
  b[10] = c >> 8;
  b[11] = c & 0xff;
  b.set([0x13, 0x88, 0x13, 0x88, 0, 12, 0, 0, 1, 2, 3, 4], 20);
  return b;
}

/** A PIMv2 Register around `pkt`; `flags` 0x40 in the first byte is the Null-Register bit. */
function register(pkt: Uint8Array, opts: { nullBit?: boolean; badSum?: boolean } = {}): string {
  const b = new Uint8Array(8 + pkt.length);
  b[0] = 0x21;
  if (opts.nullBit) b[4] = 0x40;
  b.set(pkt, 8);
  const c = internetChecksum(b, 0, 8) ^ (opts.badSum ? 0x0101 : 0);
  b[2] = c >> 8;
  b[3] = c & 0xff;
  return hex(b);
}

describe.skipIf(!gate.ok)('PIM Register decapsulation (pim_rcv)', () => {
  afterAll(destroyAllLabs);

  it('receives the inner datagram on pimreg, upcalls for the register VIF, forwards by the MFC', () => {
    run('ipmr pim register', ({ n, ifindex }) => {
      const [r, s] = [n('r'), n('s')];
      const s0 = ifindex('s', 's0');
      const send = (payload: string): Op => ({ op: 'rawsend', sock: 'pim', dst: '10.0.0.1', hex: payload, ttl: 64, ifindex: s0 });
      const g = inner('192.0.2.7', '239.7.7.7', 9);
      const look: Op[] = [{ op: 'sleep', s: 0.05 }, { op: 'recv', sock: 'd' }, { op: 'recv', sock: 'rp' }, ...procs(r), { op: 'ip', ns: r, args: '-s link show pimreg' }];
      return [
        { op: 'socket', ns: r, name: 'd', type: 'raw', proto: 2 },
        { op: 'socket', ns: r, name: 'rp', type: 'raw', proto: 103 },
        { op: 'socket', ns: s, name: 'pim', type: 'raw', proto: 103 },
        ...initVifs('d', '10.0.0.1', '10.1.0.1'),
        set('d', MRT_PIM, intHex(1)),
        set('d', MRT_ADD_VIF, vifctlHex(2, 4, '0.0.0.0')),
        send(register(g)),
        ...look,
        set('d', MRT_ADD_MFC, mfcctlHex('192.0.2.7', '239.7.7.7', 2, { 1: 1 })),
        send(register(g)),
        ...look,
        { op: 'vifcnt', sock: 'd', vifi: 2 },
        { op: 'vifcnt', sock: 'd', vifi: 1 },
        send(register(g, { nullBit: true })),
        send(register(g, { badSum: true })),
        send(register(inner('192.0.2.7', '10.1.0.2', 9))),
        ...look,
      ];
    });
  });
});
