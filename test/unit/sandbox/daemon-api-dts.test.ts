// labs/daemons/daemon-api.d.ts is the one typing of the daemon API (sandbox and editor): its constants must
// be the sandbox's, every function it declares must exist in the sandbox, and a daemon written against it
// must type-check — while a wrong struct or option does not.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { GUEST_CONSTANTS } from '../../../main/host/sandbox/guest-constants.js';
import { sandboxLab } from './lab.js';

const DTS_PATH = fileURLToPath(new URL('../../../labs/daemons/daemon-api.d.ts', import.meta.url));
const DTS = readFileSync(DTS_PATH, 'utf8');

function typeErrors(source: string): string[] {
  const file = '/virtual/daemon.ts';
  const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'], types: [] };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (f) => (f === file ? source : read(f));
  const exists = host.fileExists.bind(host);
  host.fileExists = (f) => f === file || exists(f);
  const getSource = host.getSourceFile.bind(host);
  host.getSourceFile = (f, lang) => (f === file ? ts.createSourceFile(f, source, lang) : getSource(f, lang));
  const program = ts.createProgram([DTS_PATH, file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName === file ? 'daemon' : d.file?.fileName}:${d.code}:${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

describe('daemon-api.d.ts', () => {
  it('declares exactly the sandbox’s constants, with the same values', () => {
    const declared = Object.fromEntries([...DTS.matchAll(/^declare const ([A-Z][A-Z0-9_]*): (\d+);$/gm)].map((m) => [m[1]!, Number(m[2])]));
    expect(declared).toEqual({ ...GUEST_CONSTANTS });
  });

  it('every declared function and object exists in the sandbox', async () => {
    const names = [...DTS.matchAll(/^declare (?:function|class|const) ([a-zA-Z]\w*)/gm)].map((m) => m[1]!).filter((n) => !(n in GUEST_CONSTANTS));
    expect(names).toEqual(expect.arrayContaining(['socket', 'setsockopt', 'getsockopt', 'ioctl', 'close', 'interfaces', 'ip', 'log', 'now', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'OSError', 'console']));
    const lab = sandboxLab();
    await lab.start('r1', `log(${JSON.stringify([...new Set(names)])}.map((n) => n + ':' + typeof (globalThis as any)[n]).join(' '))`);
    for (const entry of lab.logs('r1')[0]!.split(' ')) expect(entry).toMatch(/:(function|object)$/);
  });

  it('a daemon written against it type-checks', () => {
    expect(typeErrors(`
      const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
      mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);
      for (const itf of interfaces()) {
        if (!(itf.flags & IFF_MULTICAST) || itf.addresses.length === 0) continue;
        mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: itf.ifindex - 1, vifc_lcl_addr: itf.addresses[0]!.address, vifc_threshold: 1 });
      }
      mr.onMessage((m) => {
        if (m.kind === 'igmpmsg' && m.msgtype === IGMPMSG_NOCACHE) {
          const rpf = ip('-j', 'route', 'get', m.src);
          log(rpf.rc, rpf.json);
          mr.setsockopt(IPPROTO_IP, MRT_ADD_MFC, { mfcc_origin: m.src, mfcc_mcastgrp: m.dst, mfcc_parent: m.vif, mfcc_ttls: [0, 1] });
        } else if (m.kind === 'igmp') {
          log(m.igmp.kind, m.igmp.group, m.bytes.length);
        }
      });
      const c: number = mr.ioctl(SIOCGETSGCNT, { src: '10.1.0.10', grp: '239.1.1.1' }).pktcnt;
      const u = socket(AF_INET, SOCK_DGRAM);
      u.bind('0.0.0.0', 5000);
      u.onMessage((d) => u.sendto(d.data, d.src, d.sport));
      const t = setInterval((tag: string) => log(tag, now(), c), 1000, 'tick');
      setTimeout(() => clearInterval(t), 5000);
      try { mr.setsockopt(IPPROTO_IP, MRT_INIT, 1); } catch (e) { if (e instanceof OSError) log(e.code, e.errno, e.message); }
      u.setsockopt(IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP, { imr_multiaddr: '232.1.1.1', imr_interface: '10.0.0.1', imr_sourceaddr: '10.1.0.10' });
      const raw = socket(AF_INET, SOCK_RAW, IPPROTO_PIM);
      raw.bind('10.0.0.1');
      const i = argv.indexOf('-f');
      const conf: string = readFile(i > 0 ? argv[i + 1]! : '/etc/smcroute.conf');
      log(conf.split(' ').length);
    `)).toEqual([]);
  });

  for (const name of ['static-mroute.ts', 'smcroute.ts', 'igmpproxy.ts', 'pimdd.ts']) {
    it(`the daemon labs/daemons/${name} type-checks`, () => {
      expect(typeErrors(readFileSync(new URL(`../../../labs/daemons/${name}`, import.meta.url), 'utf8'))).toEqual([]);
    });
  }

  it('a wrong struct, a wrong message field or a missing argument does not', () => {
    const errs = typeErrors(`
      const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
      mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_lcl_addr: '10.0.0.1' });
      mr.onMessage((m) => { if (m.kind === 'igmpmsg') log(m.igmp); });
      socket(AF_INET);
      readFile(1);
      const n: number = argv[0];
    `);
    expect(errs.length).toBe(5);
    expect(errs.every((e) => e.startsWith('daemon:'))).toBe(true);
  });
});
