// The `-s` block printer against iproute2 6.1 output captured on a veth that carried traffic
// (200 pings of 1400 bytes): counters taken from `ip -j -s -s link show v0`, texts from
// `ip -s -s`, `ip -s -h` and `ip -s -h -iec` on the same device.

import { describe, expect, it } from 'vitest';
import type { IpCtx } from '../../../engine/iproute2/ip-context.js';
import { printStats64 } from '../../../engine/iproute2/ip-link-stats.js';
import { defaultOptions, type IpOptions } from '../../../engine/iproute2/ip-options.js';
import { Printer } from '../../../engine/iproute2/ip-print.js';
import type { LinkStats64 } from '../../../engine/iproute2/ip-rtnl-link.js';
import { Network } from '../../../engine/net/network.js';

const zero: LinkStats64 = {
  rx_packets: 0, tx_packets: 0, rx_bytes: 0, tx_bytes: 0, rx_errors: 0, tx_errors: 0, rx_dropped: 0, tx_dropped: 0,
  multicast: 0, collisions: 0, rx_length_errors: 0, rx_over_errors: 0, rx_crc_errors: 0, rx_frame_errors: 0,
  rx_fifo_errors: 0, rx_missed_errors: 0, tx_aborted_errors: 0, tx_carrier_errors: 0, tx_fifo_errors: 0,
  tx_heartbeat_errors: 0, tx_window_errors: 0, rx_compressed: 0, tx_compressed: 0, rx_nohandler: 0, rx_otherhost_dropped: 0,
};
const captured: LinkStats64 = { ...zero, rx_bytes: 288484, rx_packets: 202, tx_bytes: 288974, tx_packets: 207 };

function render(opts: Partial<IpOptions>): string {
  const o = { ...defaultOptions(), ...opts };
  const ctx: IpCtx = { ns: new Network({ seed: 1 }).addNode('n'), opts: o, out: new Printer(o), stderr: '' };
  ctx.out.begin();
  ctx.out.openObject(); // the link object the block belongs to (JSON only)
  printStats64(ctx, captured, 2, 'stats64');
  ctx.out.closeObject();
  ctx.out.end();
  return ctx.out.out;
}

describe('print_stats64', () => {
  it('-s -s: RX/TX lines, error lines, transns', () => {
    expect(render({ stats: 2 })).toBe(
      '    RX:  bytes packets errors dropped  missed   mcast           \n' +
        '        288484     202      0       0       0       0 \n' +
        '    RX errors:  length    crc   frame    fifo overrun\n' +
        '                     0      0       0       0       0 \n' +
        '    TX:  bytes packets errors dropped carrier collsns           \n' +
        '        288974     207      0       0       0       0 \n' +
        '    TX errors: aborted   fifo  window heartbt transns\n' +
        '                     0      0       0       0       2 ',
    );
  });

  it('-s -h and -s -h -iec scale by 1000 and 1024', () => {
    expect(render({ stats: 1, human: true })).toBe(
      '    RX:  bytes packets errors dropped  missed   mcast           \n' +
        '          288k     202      0       0       0       0 \n' +
        '    TX:  bytes packets errors dropped carrier collsns           \n' +
        '          289k     207      0       0       0       0 ',
    );
    expect(render({ stats: 1, human: true, iec: true })).toContain('         282ki     202 ');
  });

  it('-j -s -s: the keys and their order', () => {
    expect(render({ stats: 2, json: true })).toBe(
      '[{"stats64":{"rx":{"bytes":288484,"packets":202,"errors":0,"dropped":0,"over_errors":0,"multicast":0,"length_errors":0,"crc_errors":0,"frame_errors":0,"fifo_errors":0,"missed_errors":0},' +
        '"tx":{"bytes":288974,"packets":207,"errors":0,"dropped":0,"carrier_errors":0,"collisions":0,"aborted_errors":0,"fifo_errors":0,"window_errors":0,"heartbeat_errors":0,"carrier_changes":2}}}]\n',
    );
  });

  it('-o joins the lines with backslashes', () => {
    expect(render({ stats: 1, oneline: true })).toBe(
      '    RX:  bytes packets errors dropped  missed   mcast           \\        288484     202      0       0       0       0 \\' +
        '    TX:  bytes packets errors dropped carrier collsns           \\        288974     207      0       0       0       0 ',
    );
  });
});
