// tshark (Wireshark's dissectors) reads the exported pcapng: no errors or expert warnings, and each
// packet dissects as what the Linux kernel sent (the fixtures' descriptions, recorded from the kernel).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCommand } from '../../../main/host/cli/export-command.js';
import { recordSynthetic, tempRunFile, type Recorded, removeTempRuns } from '../../store/record-synthetic.js';

const hasTshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasTshark) console.log('tshark tests skipped: tshark is not installed (apt-get install tshark)');

/** Wireshark's expert severities (epan/proto.h PI_*). */
const PI_WARN = 0x00600000;

function tshark(args: string[]): { rc: number; stdout: string; stderr: string } {
  const r = spawnSync('tshark', ['-o', 'gui.console_open:never', ...args], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  // tshark warns on stderr when run as root; that line says nothing about the file.
  const stderr = (r.stderr ?? '').split('\n').filter((l) => l && !l.startsWith('Running as user "root"')).join('\n');
  return { rc: r.status ?? -1, stdout: r.stdout ?? '', stderr };
}

describe.skipIf(!hasTshark)('tshark reads the pcapng export', () => {
  let rec: Recorded;
  let pcap: string;
  beforeAll(async () => {
    rec = await recordSynthetic(tempRunFile(), 16, { interval: 150_000_000 });
    pcap = join(dirname(rec.file), 'run.pcapng');
    expect(await exportCommand([rec.file, '--pcapng', '-o', pcap], { out: () => undefined, err: () => undefined })).toBe(0);
  });
  afterAll(removeTempRuns);

  it('with no error, no expert warning and no malformed packet', () => {
    const r = tshark(['-r', pcap, '-T', 'fields', '-e', '_ws.expert.severity', '-e', '_ws.malformed']);
    expect(r.stderr).toBe('');
    expect(r.rc).toBe(0);
    const lines = r.stdout.replace(/\n$/, '').split('\n');
    expect(lines).toHaveLength(rec.mem.packets.size);
    for (const l of lines) {
      const [sev = '', malformed = ''] = l.split('\t');
      expect(malformed).toBe('');
      for (const s of sev.split(',').filter(Boolean)) expect(Number(s)).toBeLessThan(PI_WARN);
    }
  });

  it('with the interfaces, simulated times and record ids, and IGMPv3, UDP, ICMP and PIM dissected', () => {
    const fields = ['frame.interface_name', 'frame.time_epoch', 'frame.packet_id', 'ip.src', 'ip.dst', 'ip.ttl', 'udp.dstport', 'icmp.type', 'igmp.type', 'igmp.num_grp_recs', 'igmp.record_type', 'igmp.maddr', 'igmp.saddr', 'igmp.max_resp', 'igmp.qrv', 'igmp.qqic', 'pim.type', 'pim.holdtime'];
    const r = tshark(['-r', pcap, '-T', 'fields', '-E', 'separator=|', ...fields.flatMap((f) => ['-e', f])]);
    expect(r.rc).toBe(0);
    const rows = r.stdout.replace(/\n$/, '').split('\n').map((l) => Object.fromEntries(l.split('|').map((v, i) => [fields[i]!, v])));
    const records = [...rec.mem.packets.values()];
    rows.forEach((row, i) => {
      const p = records[i]!;
      expect(row['frame.interface_name']).toBe(`${p.node}:${p.dev || '-'}`);
      expect(row['frame.time_epoch']).toBe(`${Math.floor(p.t / 1e9)}.${String(p.t % 1e9).padStart(9, '0')}`);
      expect(row['frame.packet_id']).toBe(String(p.id));
    });
    // Four records per journey (h1 before routing, h1 eth0, r1 eth1, r2 eth1), same bytes; one per journey here.
    const pick = (j: number): Record<string, string> => rows[j * 4 + 2]!;
    // forwarded.udp@rlwa0: UDP from A (10.77.1.1) to B (10.77.2.2):33436 with TTL 2.
    expect(pick(0)).toMatchObject({ 'ip.src': '10.77.1.1', 'ip.dst': '10.77.2.2', 'ip.ttl': '2', 'udp.dstport': '33436' });
    // igmpv3-ssm: one ALLOW_NEW_SOURCES (5) record for 232.1.1.1 from 10.77.9.1 and 10.77.9.2, to 224.0.0.22.
    expect(pick(1)).toMatchObject({ 'ip.dst': '224.0.0.22', 'igmp.type': '0x22', 'igmp.num_grp_recs': '1', 'igmp.record_type': '5', 'igmp.maddr': '232.1.1.1', 'igmp.saddr': '10.77.9.1,10.77.9.2' });
    expect(pick(2)).toMatchObject({ 'icmp.type': '8' });
    // igmpv3-exclude: join with IP_BLOCK_SOURCE → CHANGE_TO_EXCLUDE_MODE (4) for 239.1.2.6, source 10.77.9.3.
    expect(pick(3)).toMatchObject({ 'igmp.type': '0x22', 'igmp.record_type': '4', 'igmp.maddr': '239.1.2.6', 'igmp.saddr': '10.77.9.3' });
    // PIM Hello with a 105 s holdtime, to ALL-PIM-ROUTERS.
    expect(pick(4)).toMatchObject({ 'ip.dst': '224.0.0.13', 'pim.type': '0', 'pim.holdtime': '105' });
    // igmpv3-query: general query, MRC 10, QRV 2, QQIC 0x90.
    expect(pick(5)).toMatchObject({ 'ip.dst': '224.0.0.1', 'igmp.type': '0x11', 'igmp.max_resp': '10', 'igmp.qrv': '2', 'igmp.qqic': '144' });
    // PIM Register to the RP carrying the multicast datagram to 239.1.2.9:5002 (TTL 5).
    expect(pick(6)).toMatchObject({ 'ip.dst': '10.77.9.9,239.1.2.9', 'ip.ttl': '64,5', 'pim.type': '1', 'udp.dstport': '5002' });
    expect(pick(7)).toMatchObject({ 'icmp.type': '0' });
  });
});
