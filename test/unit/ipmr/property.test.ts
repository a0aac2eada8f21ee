// No sequence of socket calls makes the engine throw anything but a KernelError (errno), and the
// mc_forwarding counters always equal what the tables hold.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readProcFile } from '../../../engine/iproute2/procfs.js';
import { KernelError } from '../../../engine/net/errno.js';
import { AF_INET, IPPROTO_IGMP, IPPROTO_IP, SOCK_RAW, SOL_SOCKET, SO_RCVBUF } from '../../../engine/socket/constants.js';
import { ipCommand } from '../../../engine/iproute2/ip.js';
import { tokenize } from '../../../engine/iproute2/tokenize.js';
import { getsockopt, ioctl, setsockopt, socket, SIOCGETSGCNT, SIOCGETVIFCNT, type Socket } from '../../../engine/socket/socket.js';
import { ipmrNet } from '../../../engine/ipv4/ipmr.js';
import { mrLab } from './lab.js';

const addr = fc.constantFrom(0, 0x0a000001, 0x0a010001, 0x0a020001, 0x0a000002, 0xef010101, 0xe0000001, 0x7f000001);
const value = fc.oneof(
  fc.integer({ min: -3, max: 300 }),
  fc.boolean(),
  fc.uint8Array({ maxLength: 70 }),
  fc.record({ vifi: fc.integer({ min: 0, max: 40 }), flags: fc.integer({ min: 0, max: 16 }), threshold: fc.nat(300), rateLimit: fc.nat(), lclAddr: addr, lclIfindex: fc.integer({ min: -1, max: 6 }), rmtAddr: addr }),
  fc.record({ origin: addr, mcastgrp: addr, parent: fc.integer({ min: 0, max: 40 }), ttls: fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 34 }) }),
  fc.constant('eth0'),
);
const call = fc.oneof(
  fc.record({ k: fc.constant('set' as const), sock: fc.nat(2), opt: fc.integer({ min: 199, max: 213 }), value, optlen: fc.option(fc.integer({ min: -1, max: 64 }), { nil: undefined }) }),
  fc.record({ k: fc.constant('get' as const), sock: fc.nat(2), opt: fc.integer({ min: 199, max: 213 }) }),
  fc.record({ k: fc.constant('ioctl' as const), sock: fc.nat(2), vifi: fc.integer({ min: 0, max: 40 }), src: addr, grp: addr, sg: fc.boolean() }),
  fc.record({ k: fc.constant('close' as const), sock: fc.nat(2) }),
  fc.record({ k: fc.constant('send' as const), ttl: fc.integer({ min: 1, max: 9 }), grp: fc.constantFrom(0xef010101, 0xef020202), from: fc.constantFrom('s' as const, 'h1' as const) }),
  fc.record({ k: fc.constant('time' as const), ms: fc.constantFrom(1, 500, 3100, 10_500) }),
  fc.record({ k: fc.constant('rcvbuf' as const), sock: fc.nat(2), val: fc.integer({ min: -5, max: 5000 }) }),
  fc.record({ k: fc.constant('ip' as const), args: fc.constantFrom('mrule add iif r1 table 5', 'mrule add iif r0 unreachable', 'mrule del pref 0', 'mrule flush', 'link del pimreg', 'mrule add fwmark 0 table 7') }),
);

describe('socket calls never throw anything but errno', () => {
  it('holds for random call sequences', () => {
    fc.assert(
      fc.property(fc.array(call, { maxLength: 40 }), (calls) => {
        const lab = mrLab(7);
        const socks: Socket[] = [0, 1, 2].map(() => socket(lab.r, AF_INET, SOCK_RAW, IPPROTO_IGMP));
        for (const c of calls) {
          try {
            switch (c.k) {
              case 'set':
                setsockopt(socks[c.sock]!, IPPROTO_IP, c.opt, c.value, c.optlen);
                break;
              case 'get':
                getsockopt(socks[c.sock]!, IPPROTO_IP, c.opt);
                break;
              case 'ioctl':
                if (c.sg) ioctl(socks[c.sock]!, SIOCGETSGCNT, { src: c.src, grp: c.grp, pktcnt: 0, bytecnt: 0, wrongIf: 0 });
                else ioctl(socks[c.sock]!, SIOCGETVIFCNT, { vifi: c.vifi, icount: 0, ocount: 0, ibytes: 0, obytes: 0 });
                break;
              case 'close':
                socks[c.sock]!.close();
                break;
              case 'send':
                lab.sender(c.from, c.ttl).sendto(new Uint8Array(3), c.grp, 5000);
                break;
              case 'time':
                lab.run(c.ms);
                break;
              case 'rcvbuf':
                setsockopt(socks[c.sock]!, SOL_SOCKET, SO_RCVBUF, c.val);
                break;
              case 'ip':
                ipCommand(lab.r, tokenize(c.args));
                break;
            }
          } catch (e) {
            if (!(e instanceof KernelError)) throw e;
          }
        }
        lab.run(20);
        // conf/all counts tables with a daemon; conf/DEV counts the VIFs on DEV.
        const net = ipmrNet(lab.r);
        const daemons = [...net.tables.values()].filter((t) => t.mrouteSk).length;
        expect(readProcFile(lab.r, '/proc/sys/net/ipv4/conf/all/mc_forwarding')).toBe(`${daemons}\n`);
        for (const dev of ['r0', 'r1', 'r2']) {
          const vifs = [...net.tables.values()].reduce((n, t) => n + t.vifTable.filter((v) => v?.dev.name === dev).length, 0);
          expect(lab.r.devByName(dev)!.inDev.conf.values.mc_forwarding).toBe(vifs);
          expect(lab.r.devByName(dev)!.allmulti).toBe(vifs);
        }
        // A pimreg device exists exactly for each table with a register VIF, and holds that VIF.
        const withReg = [...net.tables.values()].filter((t) => t.regVifNum >= 0);
        expect(lab.r.deviceList().filter((d) => d.kind === 'pimreg').length).toBe(withReg.length);
        for (const t of withReg) expect(t.vifTable[t.regVifNum]?.dev.name).toBe(t.id === 253 ? 'pimreg' : `pimreg${t.id}`);
      }),
      { numRuns: 300, seed: 4242 },
    );
  });
});
