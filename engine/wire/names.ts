// Display names for protocol numbers and ICMP types/codes (inspector and trace summaries).
import { ICMP_DEST_UNREACH, ICMP_TIME_EXCEEDED } from './icmp.js';

const PROTOCOLS: Record<number, string> = {
  0: 'HOPOPT',
  1: 'ICMP',
  2: 'IGMP',
  4: 'IPIP',
  6: 'TCP',
  17: 'UDP',
  41: 'IPv6',
  47: 'GRE',
  50: 'ESP',
  51: 'AH',
  89: 'OSPF',
  103: 'PIM',
  112: 'VRRP',
};

export function ipProtocolName(p: number): string {
  return PROTOCOLS[p] ?? `protocol ${p}`;
}

const ICMP_TYPES: Record<number, string> = {
  0: 'Echo Reply',
  3: 'Destination Unreachable',
  4: 'Source Quench',
  5: 'Redirect',
  8: 'Echo Request',
  9: 'Router Advertisement',
  10: 'Router Solicitation',
  11: 'Time Exceeded',
  12: 'Parameter Problem',
  13: 'Timestamp',
  14: 'Timestamp Reply',
};

const UNREACH_CODES = [
  'Network Unreachable',
  'Host Unreachable',
  'Protocol Unreachable',
  'Port Unreachable',
  'Fragmentation Needed and DF Set',
  'Source Route Failed',
  'Destination Network Unknown',
  'Destination Host Unknown',
  'Source Host Isolated',
  'Network Administratively Prohibited',
  'Host Administratively Prohibited',
  'Network Unreachable for TOS',
  'Host Unreachable for TOS',
  'Communication Administratively Prohibited',
  'Host Precedence Violation',
  'Precedence Cutoff in Effect',
];

const TIME_EXCEEDED_CODES = ['TTL Exceeded in Transit', 'Fragment Reassembly Time Exceeded'];

export function icmpTypeName(type: number): string {
  return ICMP_TYPES[type] ?? `ICMP type ${type}`;
}

export function icmpCodeName(type: number, code: number): string | null {
  if (type === ICMP_DEST_UNREACH) return UNREACH_CODES[code] ?? null;
  if (type === ICMP_TIME_EXCEEDED) return TIME_EXCEEDED_CODES[code] ?? null;
  return null;
}
