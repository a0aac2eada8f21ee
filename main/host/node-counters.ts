// Forwarding counters of one node for the app's status strip, read from the node's own /proc files as a
// student would read them (`cat /proc/net/ip_mr_vif`), not from engine internals.

import type { CounterView, IfaceCounterView } from './api.js';

type Run = (line: string) => { rc: number; stdout: string };

/** Sums column `col` (0-based, whitespace-separated) over the data rows of a /proc table with one header line. */
function sumColumn(text: string, col: number): number {
  let sum = 0;
  for (const line of text.split('\n').slice(1)) {
    const v = Number(line.trim().split(/\s+/)[col]);
    if (Number.isFinite(v)) sum += v;
  }
  return sum;
}

/** Per-interface packet counts from `ip -j -s link show` (the stats64 block `ip -s link` prints). */
export function readIfaceCounters(run: Run): IfaceCounterView[] {
  const r = run('ip -j -s link show');
  if (r.rc !== 0) return [];
  let list: unknown;
  try {
    list = JSON.parse(r.stdout);
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  const out: IfaceCounterView[] = [];
  for (const l of list as { ifname?: unknown; stats64?: { rx?: { packets?: unknown }; tx?: { packets?: unknown } } }[]) {
    if (typeof l.ifname !== 'string') continue;
    out.push({ name: l.ifname, rxPackets: Number(l.stats64?.rx?.packets ?? 0), txPackets: Number(l.stats64?.tx?.packets ?? 0) });
  }
  return out;
}

export function readCounters(node: string, run: Run): CounterView {
  const vif = run('cat /proc/net/ip_mr_vif');
  const mfc = run('cat /proc/net/ip_mr_cache');
  return {
    node,
    // "Idx Interface BytesIn PktsIn BytesOut PktsOut Flags Local Remote"
    mcForwarded: vif.rc === 0 ? sumColumn(vif.stdout, 5) : 0,
    // "Group Origin Iif Pkts Bytes Wrong Oifs"
    mfcPackets: mfc.rc === 0 ? sumColumn(mfc.stdout, 3) : 0,
    ifaces: readIfaceCounters(run),
  };
}
