// Replays the kernel-oracle transcripts (transcripts/*.json, recorded by test/oracle with
// RLW_RECORD_IP_TRANSCRIPTS=DIR: real iproute2 6.1 on Linux 6.18) against the engine, so machines
// without root still check every command's stdout, stderr and exit status against the real kernel.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ipCommand } from '../../../engine/iproute2/ip.js';
import { tokenize } from '../../../engine/iproute2/tokenize.js';
import { Network } from '../../../engine/net/network.js';
import type { Transcript } from '../../oracle/harness.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'transcripts');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

describe('ip replays recorded kernel transcripts', () => {
  it('has transcripts to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    const t = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Transcript;
    it(t.title, () => {
      const net = new Network({ seed: 1 });
      for (const name of t.namespaces) net.addNode(name);
      const diffs: string[] = [];
      for (const step of t.steps) {
        const model = ipCommand(net.node(step.node), tokenize(step.args));
        if (model.rc !== step.real.rc || model.stdout !== step.real.stdout || model.stderr !== step.real.stderr) {
          diffs.push(`### ${step.node}: ip ${step.args}\n=== kernel rc=${step.real.rc}\n${step.real.stdout}${step.real.stderr}=== model rc=${model.rc}\n${model.stdout}${model.stderr}`);
        }
      }
      expect(diffs.join('\n')).toBe('');
    });
  }
});
