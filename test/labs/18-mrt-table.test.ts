// Lab 18: the multicast rules' priorities are free; a missing rule leaves that source to table 253.

import { describe, expect, it } from 'vitest';
import { answered, failedChecks, loadLab } from './answers.js';

describe('18-mrt-table', () => {
  it('explicit priorities pass; without the rule for eth1, sb traffic goes to the unmanaged default table', async () => {
    const lab = loadLab('labs/18-mrt-table.yaml');
    const step = 'Rules for the multicast tables';
    expect(await failedChecks(answered(lab, { [step]: ['r1: ip mrule add iif eth1 lookup 20 pref 200', 'r1: ip mrule add iif eth0 lookup 10 pref 100'] }))).toEqual([]);
    expect(await failedChecks(answered(lab, { [step]: ['r1: ip mrule add iif eth0 lookup 10'] }))).toEqual(['table20-entry', 'rx-got-sb']);
  });
});
