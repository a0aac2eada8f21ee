// Lab 14: any address in LAN B fixes rxb; adding the right address but keeping the wrong primary one does
// not (the kernel sends IGMP reports from the primary address, which the proxy still ignores).

import { describe, expect, it } from 'vitest';
import { answered, failedChecks, loadLab } from './answers.js';

const lab = loadLab('labs/14-igmp-proxy.yaml');
const STEP = 'A member on LAN B — that the proxy ignores';

describe('14-igmp-proxy grades behaviour', () => {
  it('passes another address in LAN B, set with `ip addr flush`, on two seeds', async () => {
    const s = answered(lab, { [STEP]: ['rxb: ip addr flush dev eth0', 'rxb: ip addr add 10.3.0.99/24 dev eth0'] });
    expect(await failedChecks(s)).toEqual([]);
    expect(await failedChecks(s, 2)).toEqual([]);
  });

  it('a second address with the wrong one still primary: the proxy still ignores rxb', async () => {
    const s = answered(lab, { [STEP]: ['rxb: ip addr add 10.3.0.21/24 dev eth0'] });
    expect(await failedChecks(s)).toEqual(['rxb-address', 'r1-entry-both', 'rxb-got-5']);
  });
});
