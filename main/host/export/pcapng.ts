// pcapng (draft-ietf-opsawg-pcapng) for a recorded run, for Wireshark and tshark: one Interface
// Description Block per simulated device (LINKTYPE_IPV4: the model's packets have no link layer),
// nanosecond resolution (if_tsresol = 9) so the simulated clock is kept exactly, and one Enhanced
// Packet Block per packet record carrying the record's id as epb_packetid. Little-endian throughout.

import type { DeviceInfo, RunInfo } from '../store/run-reader.js';

export const LINKTYPE_IPV4 = 228;

const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const EPB = 0x00000006;
const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const EPB_PACKETID = 5;

const utf8 = new TextEncoder();
const pad4 = (n: number): number => (n + 3) & ~3;

interface Option {
  code: number;
  value: Uint8Array;
}

const textOption = (code: number, s: string): Option => ({ code, value: utf8.encode(s) });

function optionsLength(opts: readonly Option[]): number {
  return opts.length === 0 ? 0 : opts.reduce((n, o) => n + 4 + pad4(o.value.length), 4);
}

function writeOptions(v: DataView, at: number, opts: readonly Option[]): number {
  if (opts.length === 0) return at;
  const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  for (const o of opts) {
    v.setUint16(at, o.code, true);
    v.setUint16(at + 2, o.value.length, true);
    bytes.set(o.value, at + 4);
    at += 4 + pad4(o.value.length);
  }
  v.setUint16(at, OPT_ENDOFOPT, true);
  v.setUint16(at + 2, 0, true);
  return at + 4;
}

/** A block: type, total length, `body` bytes (written by `fill` from offset 8), options, total length. */
function block(type: number, bodyLength: number, opts: readonly Option[], fill: (v: DataView) => void): Uint8Array {
  const total = 12 + pad4(bodyLength) + optionsLength(opts);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, total, true);
  fill(v);
  writeOptions(v, 8 + pad4(bodyLength), opts);
  v.setUint32(total - 4, total, true);
  return out;
}

export function sectionHeaderBlock(userappl: string, comment: string): Uint8Array {
  return block(SHB, 16, [textOption(OPT_COMMENT, comment), textOption(SHB_USERAPPL, userappl)], (v) => {
    v.setUint32(8, 0x1a2b3c4d, true);
    v.setUint16(12, 1, true);
    v.setUint16(14, 0, true);
    v.setBigInt64(16, -1n, true); // section length not given
  });
}

export function interfaceDescriptionBlock(name: string, description: string, comment: string): Uint8Array {
  const opts = [textOption(IF_NAME, name), textOption(IF_DESCRIPTION, description), { code: IF_TSRESOL, value: Uint8Array.of(9) }, textOption(OPT_COMMENT, comment)];
  return block(IDB, 8, opts, (v) => {
    v.setUint16(8, LINKTYPE_IPV4, true);
    v.setUint16(10, 0, true);
    v.setUint32(12, 65535, true); // snaplen: an IPv4 datagram is never longer
  });
}

/** `ns`: timestamp in the interface's units (nanoseconds here). */
export function enhancedPacketBlock(iface: number, ns: number, data: Uint8Array, packetId: number): Uint8Array {
  const id = new Uint8Array(8);
  new DataView(id.buffer).setBigUint64(0, BigInt(packetId), true);
  return block(EPB, 20 + data.length, [{ code: EPB_PACKETID, value: id }], (v) => {
    v.setUint32(8, iface, true);
    v.setUint32(12, Math.floor(ns / 2 ** 32), true);
    v.setUint32(16, ns % 2 ** 32, true);
    v.setUint32(20, data.length, true);
    v.setUint32(24, data.length, true);
    new Uint8Array(v.buffer).set(data, 28);
  });
}

/** The interface a device becomes: `node:dev`, or `node:-` for packets built on a node before a device was chosen. */
export function interfaceFor(d: DeviceInfo): { name: string; description: string; comment: string } {
  if (d.name === '') {
    return { name: `${d.node}:-`, description: `${d.node}, no device`, comment: `node ${d.node}: packets built locally before routing chose a device` };
  }
  return { name: `${d.node}:${d.name}`, description: `${d.node} ${d.name}`, comment: `node ${d.node}, device ${d.name}` };
}

export function runComment(info: RunInfo): string {
  const fp = info.fingerprint ? `fingerprint ${info.fingerprint}` : 'no fingerprint';
  return `Routing Lab Workbench run: lab ${info.lab}, seed ${info.seed}, profile ${info.profile}, ${info.status}, ${fp}; timestamps are simulated time since the run started`;
}
