// Imports a Kathará lab (`lab.conf` + `DEVICE.startup` files) into a LabSpec. The line grammar and the
// error texts are Kathará's LabParser's ("In lab.conf - Line N: ..."): `dev[N]=CD` attaches ethN to
// collision domain CD (a LAN segment here; a `/MAC` suffix is accepted and ignored, the model draws MACs
// from its seed), `dev[exec]=CMD` appends a start command, `dev[sysctl]=KEY=V` sets a sysctl before the
// startup file runs; other device options (image, mem, cpus, port, bridged, ...) have no meaning here.

import { join } from 'node:path';
import { connectedIfaces, guessRole } from './import-common.js';
import type { LabFileIO } from './lab-file.js';
import type { LabSpec } from './spec.js';

const LINE = /^(?<key>[a-z0-9_]{1,30})\[(?<arg>\w+)\]=(["']?)(?<value>[^"']+)(\3)(\s+#.*)?$/;
const LAB_METADATA = ['LAB_NAME', 'LAB_DESCRIPTION', 'LAB_VERSION', 'LAB_AUTHOR', 'LAB_EMAIL', 'LAB_WEB'];
const RESERVED_MACHINE_NAMES = ['shared', '_test'];

/** An error as Kathará reports it; `line` is 0 for errors about the lab as a whole. */
export class KatharaImportError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
  ) {
    super(message);
  }
}

interface Device {
  ifaces: Map<number, { cd: string; line: number }>;
  exec: string[];
  sysctl: string[];
  image?: string;
}

/** Parses `DIR/lab.conf` and the devices' startup files; throws KatharaImportError. */
export function importKathara(dir: string, io: LabFileIO): { spec: LabSpec; warnings: string[] } {
  const confPath = join(dir, 'lab.conf');
  let text: string;
  try {
    text = io.readFile(confPath);
  } catch {
    throw new KatharaImportError('No lab.conf in given directory.', confPath, 0);
  }
  if (text.length === 0) throw new KatharaImportError('lab.conf file is empty.', confPath, 0);
  const warnings: string[] = [];
  const meta: Record<string, string> = {};
  const devices = new Map<string, Device>();
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const raw = line.replace(/\r$/, '');
    const n = i + 1;
    const at = (msg: string): string => `In lab.conf - Line ${n}: ${msg}`;
    const m = LINE.exec(raw.trim());
    if (!m) {
      if (raw.startsWith('#') || !raw.trim()) return;
      const mk = LAB_METADATA.find((k) => raw.startsWith(`${k}=`));
      if (!mk) throw new KatharaImportError(at(`\`${raw}\`.`), confPath, n);
      meta[mk.replace('LAB_', '').toLowerCase()] = raw.slice(mk.length + 1).replace(/["']/g, '').trim();
      return;
    }
    const { key, arg, value: rawValue } = m.groups as { key: string; arg: string; value: string };
    const value = rawValue.replace(/["']/g, '');
    if (RESERVED_MACHINE_NAMES.includes(key)) throw new KatharaImportError(at(`\`${key}\` is a reserved name, you can not use it for a device.`), confPath, n);
    let dev = devices.get(key);
    if (!dev) devices.set(key, (dev = { ifaces: new Map(), exec: [], sysctl: [] }));
    if (/^\d+$/.test(arg)) {
      const num = Number(arg);
      const cd = value.split('/')[0]!;
      if (!/^\w+$/.test(cd) || value.split('/').length > 2) throw new KatharaImportError(at(`Collision domain \`${value}\` contains non-alphanumeric characters.`), confPath, n);
      if (dev.ifaces.has(num)) throw new KatharaImportError(`Interface ${num} already set on device \`${key}\`.`, confPath, n);
      if ([...dev.ifaces.values()].some((x) => x.cd === cd)) throw new KatharaImportError(`Device \`${key}\` is already connected to collision domain \`${cd}\`.`, confPath, n);
      dev.ifaces.set(num, { cd, line: n });
      return;
    }
    if (arg === 'exec') dev.exec.push(value);
    else if (arg === 'sysctl') {
      if (!value.startsWith('net.')) throw new KatharaImportError(at(`Invalid sysctl value (\`${value}\`), only net.* are allowed.`), confPath, n);
      dev.sysctl.push(value);
    } else {
      if (arg === 'image') {
        if (dev.image !== undefined) warnings.push(at(`Device \`${key}\` already has a value assigned to meta \`image\`. Previous value has been overwritten with \`${value}\`.`));
        dev.image = value;
      }
    }
  });

  const spec: LabSpec = {
    name: (meta.name ?? dir.split('/').filter(Boolean).pop() ?? 'kathara').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'kathara',
    title: meta.description ?? meta.name ?? 'Imported Kathará lab',
    description: [meta.description, meta.author && `Author: ${meta.author}`, meta.version && `Version: ${meta.version}`].filter(Boolean).join('\n\n'),
    seed: 1,
    profile: 'modern',
    nodes: [],
    links: [],
    segments: [],
  };
  const cds = new Map<string, Array<{ node: string; iface: string }>>();
  for (const [name, d] of devices) {
    for (const [num, { cd }] of [...d.ifaces].sort((a, b) => a[0] - b[0])) {
      const members = cds.get(cd) ?? [];
      members.push({ node: name, iface: `eth${num}` });
      cds.set(cd, members);
    }
  }
  for (const [name, members] of cds) spec.segments.push({ name, members });
  const up = connectedIfaces(spec);
  for (const [name, d] of devices) {
    const startupFile = join(dir, `${name}.startup`);
    const pre = [...d.sysctl.map((s) => `sysctl -w ${s}`), ...(up.get(name) ?? []).map((i) => `ip link set dev ${i} up`)];
    const script: string[] = [];
    const scriptLines: number[] = [];
    let text: string | null;
    try {
      text = io.readFile(startupFile);
    } catch {
      text = null; // a device without a startup file
    }
    text?.split(/\r?\n/).forEach((l, i) => {
      const c = l.trim();
      if (!c || c.startsWith('#')) return;
      script.push(c);
      scriptLines.push(i + 1);
    });
    const startup = [...pre, ...script, ...d.exec];
    // Positions point into the startup file when there is one; commands the importer adds get line 1.
    spec.nodes.push({ name, role: guessRole(startup, d.image), startup, startupSource: { file: script.length ? startupFile : confPath, lines: [...pre.map(() => 1), ...scriptLines, ...d.exec.map(() => 1)] } });
  }
  return { spec, warnings };
}
