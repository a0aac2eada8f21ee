// Lab 11: whether the host that answered the query (the last reporter) leaves first or second decides
// whether one Leave goes out or two. The leave check asks the rule itself — every Leave came from the
// host that reported last — so it passes both orders: run the lab as written and with the two leaves
// swapped (everything before them is the same run, so one order is each).

import { describe, expect, it } from 'vitest';
import { LabRun } from '../../main/host/lab/lab-run.js';
import type { LabSpec } from '../../main/host/lab/spec.js';
import { loadLab } from './answers.js';

const lab = loadLab('labs/11-igmpv2.yaml');
const LEAVE_STEP = 'Leaving — only the last reporter says so';

function swappedLeaves(spec: LabSpec): LabSpec {
  return {
    ...spec,
    steps: (spec.steps ?? []).map((s) => {
      if (s.title !== LEAVE_STEP) return s;
      const [l1, w1, l2, w2] = s.actions;
      expect([l1?.type, w1?.type, l2?.type, w2?.type]).toEqual(['leave', 'wait', 'leave', 'wait']);
      return { ...s, actions: [l2!, w1!, l1!, w2!] };
    }),
  };
}

describe('11-igmpv2', () => {
  it('passes with one Leave and with two, each from the last reporter', async () => {
    const leaves: number[] = [];
    for (const spec of [lab, swappedLeaves(lab)]) {
      const run = new LabRun(spec, { seed: 1, solution: true });
      const report = await run.runAll();
      expect(report.steps.flatMap((s) => s.checks).filter((c) => !c.passed)).toEqual([]);
      leaves.push(run.session.trace.events.filter((e) => e.fn === 'igmp_send_report' && e.data['type'] === 'leave-v2').length);
    }
    expect(leaves.sort()).toEqual([1, 2]);
  });
});
