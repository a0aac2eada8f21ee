// Ctrl+C in a node console (renderer logic): at the prompt the line is dropped without entering the
// history; an interrupted command's `^C` goes where a terminal shows it (before ping's statistics).

import { describe, expect, it } from 'vitest';
import { History, withInterrupt } from '../../../renderer/src/console-history.js';

describe('^C in the console', () => {
  it('drops the line being typed: not stored, ↑ starts again from the newest entry', () => {
    const h = new History();
    h.add('ip -br addr');
    h.add('ip route');
    expect(h.up('ip li')).toBe('ip route');
    expect(h.up('')).toBe('ip -br addr');
    h.discard();
    expect(h.up('')).toBe('ip route');
    // The dropped draft does not come back on ↓.
    expect(h.down('')).toBe('');
  });

  it("puts ^C before ping's statistics, as the terminal shows the keypress before ping's summary", () => {
    const out = 'PING 10.2.0.22 (10.2.0.22) 56(84) bytes of data.\n64 bytes from 10.2.0.22: icmp_seq=1 ttl=63 time=0.100 ms\n\n--- 10.2.0.22 ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\n';
    const r = withInterrupt(out);
    expect(r).toBe(out.replace('\n--- 10.2.0.22', '^C\n--- 10.2.0.22'));
    expect(r.split('\n').indexOf('^C')).toBe(r.split('\n').indexOf('--- 10.2.0.22 ping statistics ---') - 1);
  });

  it('after the output for a command with no summary (sleep), on its own line', () => {
    expect(withInterrupt('')).toBe('^C\n');
    expect(withInterrupt('partial')).toBe('partial\n^C\n');
    expect(withInterrupt('line\n')).toBe('line\n^C\n');
  });
});
