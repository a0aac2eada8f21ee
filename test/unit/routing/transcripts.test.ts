// Replays the routing oracle's recorded transcripts (transcripts/*.json: real iproute2 6.1 on Linux 6.18,
// recorded by test/oracle/routing.test.ts with RLW_RECORD_ROUTING_TRANSCRIPTS=DIR) against the engine,
// applying the sysctls at the step where the oracle applied them, so machines without root still check
// every `ip route`/`ip rule` answer against the real kernel.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ipCommand } from '../../../engine/iproute2/ip.js';
import { runCommandLine } from '../../../engine/iproute2/shell.js';
import { tokenize } from '../../../engine/iproute2/tokenize.js';
import { Network } from '../../../engine/net/network.js';
import type { Transcript } from '../../oracle/harness.js';

type RoutingTranscript = Transcript & { sysctls: Array<{ at: number; node: string; setting: string }> };

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'transcripts');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

describe('routing: recorded kernel transcripts replay byte for byte', () => {
  it('has the five routing transcripts', () => {
    expect(files).toEqual(['metrics-connected-defaults.json', 'multipath-seed.json', 'route-types-rules-route-get.json', 'rp-filter.json', 'rule-lifecycle-merged-tables.json']);
  });

  for (const file of files) {
    const t = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as RoutingTranscript;
    it(t.title, () => {
      const net = new Network({ seed: 1 });
      for (const name of t.namespaces) net.addNode(name);
      const diffs: string[] = [];
      t.steps.forEach((step, i) => {
        for (const s of t.sysctls.filter((x) => x.at === i)) expect(runCommandLine(net.node(s.node), `sysctl -q -w ${s.setting}`).rc).toBe(0);
        const model = ipCommand(net.node(step.node), tokenize(step.args));
        if (model.rc !== step.real.rc || model.stdout !== step.real.stdout || model.stderr !== step.real.stderr) {
          diffs.push(`### ip ${step.args}\n=== kernel rc=${step.real.rc}\n${step.real.stdout}${step.real.stderr}=== model rc=${model.rc}\n${model.stdout}${model.stderr}`);
        }
      });
      expect(diffs.join('\n')).toBe('');
      expect(t.steps.length).toBeGreaterThan(50);
    });
  }
});
