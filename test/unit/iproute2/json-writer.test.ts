// iproute2's json_writer layout. Expected texts are what `ip -j` / `ip -j -p` printed on iproute2 6.1
// (an interface object with a flags array, an empty addr_info, the dump of an empty table).

import { describe, expect, it } from 'vitest';
import { JsonWriter } from '../../../engine/iproute2/ip-json.js';
import { Printer } from '../../../engine/iproute2/ip-print.js';

function link(p: Printer, withAddrInfo: boolean): void {
  p.openObject();
  p.any('ifindex', 1, '');
  p.any('ifname', 'lo', '');
  p.openArray('flags', null);
  p.any(null, 'LOOPBACK', '');
  p.any(null, 'UP', '');
  p.closeArray(null);
  p.any('mtu', 65536, '');
  if (withAddrInfo) {
    p.openArray('addr_info', null);
    p.closeArray(null);
  }
  p.closeObject();
}

describe('JSON as iproute2 prints it', () => {
  it('compact: no spaces at all, newline after the top-level array', () => {
    const p = new Printer({ json: true, pretty: false, oneline: false });
    p.begin();
    link(p, true);
    link(p, false);
    p.end();
    expect(p.out).toBe('[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP"],"mtu":65536,"addr_info":[]},{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP"],"mtu":65536}]\n');
  });

  it('pretty: "[ {" opening, 4-space indents, scalar arrays on one line, "[ ]" when empty', () => {
    const p = new Printer({ json: true, pretty: true, oneline: false });
    p.begin();
    link(p, true);
    link(p, false);
    p.end();
    expect(p.out).toBe(
      '[ {\n' +
        '        "ifindex": 1,\n' +
        '        "ifname": "lo",\n' +
        '        "flags": [ "LOOPBACK","UP" ],\n' +
        '        "mtu": 65536,\n' +
        '        "addr_info": [ ]\n' +
        '    },{\n' +
        '        "ifindex": 1,\n' +
        '        "ifname": "lo",\n' +
        '        "flags": [ "LOOPBACK","UP" ],\n' +
        '        "mtu": 65536\n' +
        '    } ]\n',
    );
  });

  it('an empty dump is [] compact and [ ] pretty', () => {
    for (const [pretty, text] of [[false, '[]\n'], [true, '[ ]\n']] as const) {
      const p = new Printer({ json: true, pretty, oneline: false });
      p.begin();
      p.end();
      expect(p.out).toBe(text);
    }
  });

  it('a dump that fails after the array opened leaves "[" (or "[ ") behind', () => {
    const compact = new Printer({ json: true, pretty: false, oneline: false });
    compact.begin();
    expect(compact.out).toBe('[');
    const pretty = new Printer({ json: true, pretty: true, oneline: false });
    pretty.begin();
    expect(pretty.out).toBe('[ ');
  });

  it('escapes only what jsonw_puts escapes', () => {
    let out = '';
    const w = new JsonWriter((s) => (out += s), false);
    w.value('a"b\\c\td\né/');
    expect(out).toBe('"a\\"b\\\\c\\td\\né/"');
  });

  it('text mode ignores JSON-only output and -o turns print_nl into a backslash', () => {
    const p = new Printer({ json: false, pretty: false, oneline: true });
    p.any('mtu', 1500, 'mtu 1500 ');
    p.jsonOnly('link_netnsid', 0);
    p.nl();
    p.fp('    link/ether');
    expect(p.out).toBe('mtu 1500 \\    link/ether');
  });
});
