// Lab 16 grades policy routing by what the kernel answers and forwards: other table numbers, explicit
// priorities and the `dsfield` spelling pass; a selector that matches too much or too little loses exactly
// the checks whose behaviour it breaks.

import { describe, expect, it } from 'vitest';
import { answered, failedChecks, loadLab } from './answers.js';

const lab = loadLab('labs/16-policy-routing.yaml');
const FROM = "from: h2's LAN leaves through ispb";
const TO = 'to: the partner network via ispb, from everywhere';
const PRIO = 'priority: an exception that must win';
const OIF = 'oif: sockets bound to eth3';
const IIF = "iif: r1's own traffic";
const MARK = 'fwmark/fwmask: marked packets';
const TOS = 'tos: low-delay traffic';

/** The reference answers, as "node: command" lines per step title. */
const reference: Record<string, string[]> = Object.fromEntries((lab.steps ?? []).map((s) => [s.title, s.solution.map((c) => `${c.node}: ${c.run}`)]));

describe('16-policy-routing grades behaviour', () => {
  it('passes another table, explicit priorities and `dsfield`, on two seeds', async () => {
    const s = answered(lab, {
      [FROM]: ['r1: ip route add default via 10.0.2.2 dev eth3 table 7', 'r1: ip rule add from 10.2.0.0/24 table 7 pref 1000'],
      [TO]: ['r1: ip rule add to 198.51.100.0/24 table 7 pref 900'],
      [PRIO]: ['r1: ip rule add from 10.2.0.0/24 to 203.0.113.0/24 table main pref 10'],
      [OIF]: ['r1: ip rule add oif eth3 table 7 pref 800'],
      [IIF]: ['r1: ip rule add iif lo table 7 pref 700'],
      [MARK]: ['r1: ip rule add fwmark 0x10/0xf0 table 7 pref 600'],
      [TOS]: ['r1: ip rule add dsfield 0x10 table 7 pref 500'],
    });
    expect(await failedChecks(s)).toEqual([]);
    expect(await failedChecks(s, 2)).toEqual([]);
  });

  it('a fwmark rule without a mask matches 0x10 but not 0x1a', async () => {
    const s = answered(lab, { ...reference, [MARK]: ['r1: ip rule add fwmark 0x10 lookup 102'] });
    expect(await failedChecks(s)).toEqual(['fwmark-0x1a']);
  });

  it('a `from` rule for all of 10.0.0.0/8 also moves h1, and the later steps that rely on h1 using ispa', async () => {
    const s = answered(lab, { ...reference, [FROM]: ['r1: ip route add default via 10.0.2.2 table 102', 'r1: ip rule add from 10.0.0.0/8 lookup 102'] });
    const failed = await failedChecks(s);
    expect(failed).toEqual(expect.arrayContaining(['from-h1-via-ispa', 'from-ispb-carried-h2', 'to-other-via-ispa', 'iif-forwarded-via-ispa', 'fwmark-none-not', 'tos-zero-via-ispa']));
    expect(failed).not.toContain('from-h2-via-ispb');
  });

  it('`iif lo` instead of an `oif` rule also moves unbound traffic, which the oif step forbids', async () => {
    const s = answered(lab, { ...reference, [OIF]: ['r1: ip rule add iif lo lookup 102'] });
    expect(await failedChecks(s)).toEqual(['oif-unbound-via-ispa']);
  });
});
