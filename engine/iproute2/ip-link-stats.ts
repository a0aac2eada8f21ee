// print_stats64() of iproute2 6.1 (ip/ipaddress.c): the `-s` / `-s -s` block under a link. Column
// widths grow with the widest number (size_columns), headers are right-aligned over them.

import type { IpCtx } from './ip-context.js';
import type { LinkStats64 } from './ip-rtnl-link.js';

function pad(width: number, s: string): string {
  return s.padStart(width);
}

/** print_num(): right-aligned in `width`, then a space; -h scales by 1000 (or 1024 with -iec). */
function num(ctx: IpCtx, width: number, count: number): string {
  const base = ctx.opts.iec ? 1024 : 1000;
  if (!ctx.opts.human || count < base) return `${pad(width, String(count))} `;
  const prefixes = 'kMGTPE';
  let p = 0;
  let powi = 1;
  for (;;) {
    powi *= base;
    if (Math.floor(count / base) < powi) break;
    if (p + 1 >= prefixes.length) break;
    p++;
  }
  let precision = 2;
  let powj = 1;
  for (; precision > 0; precision--) {
    powj *= 10;
    if (Math.floor(count / powi) < powj) break;
  }
  return `${pad(width, `${(count / powi).toFixed(precision)}${prefixes[p]}${ctx.opts.iec ? 'i' : ''}`)} `;
}

/** size_columns(): widen each column to the digits of its value (not with -h). */
function sizeColumns(ctx: IpCtx, cols: number[], values: number[]): void {
  if (ctx.opts.human) return;
  values.forEach((v, i) => {
    const len = String(v).length;
    if (len > cols[i]!) cols[i] = len;
  });
}

export function printStats64(ctx: IpCtx, s: LinkStats64, carrierChanges: number | null, what: string): void {
  const p = ctx.out;
  const detailed = ctx.opts.stats > 1;
  if (p.json) {
    p.openObject(what);
    p.openObject('rx');
    p.jsonOnly('bytes', s.rx_bytes);
    p.jsonOnly('packets', s.rx_packets);
    p.jsonOnly('errors', s.rx_errors);
    p.jsonOnly('dropped', s.rx_dropped);
    p.jsonOnly('over_errors', s.rx_over_errors);
    p.jsonOnly('multicast', s.multicast);
    if (s.rx_compressed) p.jsonOnly('compressed', s.rx_compressed);
    if (detailed) {
      p.jsonOnly('length_errors', s.rx_length_errors);
      p.jsonOnly('crc_errors', s.rx_crc_errors);
      p.jsonOnly('frame_errors', s.rx_frame_errors);
      p.jsonOnly('fifo_errors', s.rx_fifo_errors);
      p.jsonOnly('missed_errors', s.rx_missed_errors);
      if (s.rx_nohandler) p.jsonOnly('nohandler', s.rx_nohandler);
      if (s.rx_otherhost_dropped) p.jsonOnly('otherhost', s.rx_otherhost_dropped);
    }
    p.closeObject();
    p.openObject('tx');
    p.jsonOnly('bytes', s.tx_bytes);
    p.jsonOnly('packets', s.tx_packets);
    p.jsonOnly('errors', s.tx_errors);
    p.jsonOnly('dropped', s.tx_dropped);
    p.jsonOnly('carrier_errors', s.tx_carrier_errors);
    p.jsonOnly('collisions', s.collisions);
    if (s.tx_compressed) p.jsonOnly('compressed', s.tx_compressed);
    if (detailed) {
      p.jsonOnly('aborted_errors', s.tx_aborted_errors);
      p.jsonOnly('fifo_errors', s.tx_fifo_errors);
      p.jsonOnly('window_errors', s.tx_window_errors);
      p.jsonOnly('heartbeat_errors', s.tx_heartbeat_errors);
      if (carrierChanges !== null) p.jsonOnly('carrier_changes', carrierChanges);
    }
    p.closeObject();
    p.closeObject();
    return;
  }
  const cols = ['*X errors:', 'packets', 'errors', 'dropped', 'heartbt', 'overrun', 'compressed', 'otherhost'].map((h) => h.length);
  sizeColumns(ctx, cols, [s.rx_bytes, s.rx_packets, s.rx_errors, s.rx_dropped, s.rx_missed_errors, s.multicast, s.rx_compressed]);
  if (detailed) sizeColumns(ctx, cols, [0, s.rx_length_errors, s.rx_crc_errors, s.rx_frame_errors, s.rx_fifo_errors, s.rx_over_errors, s.rx_nohandler, s.rx_otherhost_dropped]);
  sizeColumns(ctx, cols, [s.tx_bytes, s.tx_packets, s.tx_errors, s.tx_dropped, s.tx_carrier_errors, s.collisions, s.tx_compressed]);
  if (detailed) sizeColumns(ctx, cols, [0, s.tx_aborted_errors, s.tx_fifo_errors, s.tx_window_errors, s.tx_heartbeat_errors, carrierChanges ?? 0]);
  const c = (i: number): number => cols[i]!;
  const sl = p.sl;
  let t = `    RX: ${pad(c(0) - 4, 'bytes')} ${pad(c(1), 'packets')} ${pad(c(2), 'errors')} ${pad(c(3), 'dropped')} ${pad(c(4), 'missed')} ${pad(c(5), 'mcast')} ${pad(c(6), s.rx_compressed ? 'compressed' : '')}${sl}`;
  t += `    ${num(ctx, c(0), s.rx_bytes)}${num(ctx, c(1), s.rx_packets)}${num(ctx, c(2), s.rx_errors)}${num(ctx, c(3), s.rx_dropped)}${num(ctx, c(4), s.rx_missed_errors)}${num(ctx, c(5), s.multicast)}`;
  if (s.rx_compressed) t += num(ctx, c(6), s.rx_compressed);
  if (detailed) {
    t += sl;
    t += `    RX errors:${pad(c(0) - 10, '')} ${pad(c(1), 'length')} ${pad(c(2), 'crc')} ${pad(c(3), 'frame')} ${pad(c(4), 'fifo')} ${pad(c(5), 'overrun')}`;
    t += `${s.rx_nohandler ? pad(c(6) + 1, ' nohandler') : ''}${s.rx_otherhost_dropped ? pad(c(7) + 1, ' otherhost') : ''}${sl}`;
    t += `${pad(c(0) + 5, '')}${num(ctx, c(1), s.rx_length_errors)}${num(ctx, c(2), s.rx_crc_errors)}${num(ctx, c(3), s.rx_frame_errors)}${num(ctx, c(4), s.rx_fifo_errors)}${num(ctx, c(5), s.rx_over_errors)}`;
    if (s.rx_nohandler) t += num(ctx, c(6), s.rx_nohandler);
    if (s.rx_otherhost_dropped) t += num(ctx, c(7), s.rx_otherhost_dropped);
  }
  t += sl;
  t += `    TX: ${pad(c(0) - 4, 'bytes')} ${pad(c(1), 'packets')} ${pad(c(2), 'errors')} ${pad(c(3), 'dropped')} ${pad(c(4), 'carrier')} ${pad(c(5), 'collsns')} ${pad(c(6), s.tx_compressed ? 'compressed' : '')}${sl}`;
  t += `    ${num(ctx, c(0), s.tx_bytes)}${num(ctx, c(1), s.tx_packets)}${num(ctx, c(2), s.tx_errors)}${num(ctx, c(3), s.tx_dropped)}${num(ctx, c(4), s.tx_carrier_errors)}${num(ctx, c(5), s.collisions)}`;
  if (s.tx_compressed) t += num(ctx, c(6), s.tx_compressed);
  if (detailed) {
    t += sl;
    t += `    TX errors:${pad(c(0) - 10, '')} ${pad(c(1), 'aborted')} ${pad(c(2), 'fifo')} ${pad(c(3), 'window')} ${pad(c(4), 'heartbt')} ${carrierChanges !== null ? pad(c(5), 'transns') : ''}${sl}`;
    t += `${pad(c(0) + 5, '')}${num(ctx, c(1), s.tx_aborted_errors)}${num(ctx, c(2), s.tx_fifo_errors)}${num(ctx, c(3), s.tx_window_errors)}${num(ctx, c(4), s.tx_heartbeat_errors)}`;
    if (carrierChanges !== null) t += num(ctx, c(5), carrierChanges);
  }
  p.fp(t);
}
