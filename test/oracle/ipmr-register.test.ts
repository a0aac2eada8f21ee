// The register VIF against the kernel: MRT_ADD_VIF with VIFF_REGISTER creates pimreg (pimreg<id> in
// other tables) as ipmr_reg_vif does; `ip link` shows it; packets forwarded onto it go to the daemon as
// IGMPMSG_WHOLEPKT and count on the VIF and the device; deleting the VIF, or the daemon's exit, removes it.

import { afterAll, describe, it } from 'vitest';
import { destroyAllLabs, oracleGate } from './harness.js';
import { intHex, mfcctlHex, vifctlHex, type Op } from './ipmr-ops.js';
import { initVifs, mcfwd, procs, run, set } from './ipmr-lab.js';
import { MRT_ADD_MFC, MRT_ADD_VIF, MRT_DEL_VIF, MRT_INIT, MRT_PIM, MRT_TABLE } from '../../engine/socket/constants.js';

const gate = oracleGate();
if (!gate.ok) console.log(`ipmr register-VIF kernel-oracle tests skipped: ${gate.reason}`);

describe.skipIf(!gate.ok)('the register VIF (pimreg)', () => {
  afterAll(destroyAllLabs);

  it('creates pimreg, reports WHOLEPKT, counts, and removes the device with the VIF', () => {
    run('ipmr register vif', ({ n, ifindex }) => {
      const [r, s] = [n('r'), n('s')];
      const ip = (args: string): Op => ({ op: 'ip', ns: r, args });
      const links: Op[] = [ip('-o link show'), ip('-j link show')];
      return [
        { op: 'socket', ns: r, name: 'd', type: 'raw', proto: 2 },
        { op: 'socket', ns: r, name: 'd5', type: 'raw', proto: 2 },
        { op: 'socket', ns: s, name: 'tx', type: 'udp', proto: 0 },
        ...initVifs('d', '10.0.0.1', '10.1.0.1'),
        set('d', MRT_PIM, intHex(1)),
        set('d', MRT_ADD_VIF, vifctlHex(2, 4, '0.0.0.0')),
        set('d', MRT_ADD_VIF, vifctlHex(3, 4, '0.0.0.0')),
        set('d', MRT_ADD_VIF, vifctlHex(2, 4, '0.0.0.0')),
        ...links,
        ip('-d link show pimreg'),
        ip('addr show pimreg'),
        ip('maddr show dev pimreg'),
        ip('link del pimreg'),
        ...procs(r),
        ...mcfwd(r, ['pimreg']),
        { op: 'read', ns: r, path: '/proc/sys/net/ipv4/conf/pimreg/rp_filter' },
        set('d', MRT_ADD_MFC, mfcctlHex('10.0.0.2', '239.1.1.1', 0, { 1: 1, 2: 1 })),
        { op: 'udp', sock: 'tx', dst: '239.1.1.1', port: 5000, ttl: 8, ifindex: ifindex('s', 's0'), count: 2, size: 30 },
        { op: 'sleep', s: 0.05 },
        { op: 'recv', sock: 'd' },
        ...procs(r),
        ip('-s link show pimreg'),
        { op: 'vifcnt', sock: 'd', vifi: 2 },
        // Table 5's register device is pimreg5.
        set('d5', MRT_TABLE, intHex(5)),
        set('d5', MRT_INIT, intHex(1)),
        set('d5', MRT_ADD_VIF, vifctlHex(0, 4, '0.0.0.0')),
        ...links,
        set('d', MRT_DEL_VIF, vifctlHex(2, 0, '0.0.0.0')),
        ...links,
        ...procs(r),
        { op: 'close', sock: 'd5' },
        ...links,
      ];
    });
  });
});
