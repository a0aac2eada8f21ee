// Saving an edited lab over the file it came from without losing what the editor does not edit: the topology
// (nodes' roles and setup commands, links, LANs) comes from the edited spec, everything else — steps, checks,
// hints, a node's daemon and files, comments — stays as the author wrote it. A node whose commands are
// unchanged keeps its `startup:` file reference instead of an inline `exec:` list (unless `inlineStartup`:
// a downloaded lab must not name files it does not carry).

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, parseDocument, type YAMLMap } from 'yaml';
import { openLabFile as loadFromDisk } from '../lab/open-lab.js';
import { labToYaml } from '../lab/lab-yaml.js';
import type { LabSpec } from '../lab/spec.js';
import { embedLab } from './lab-embed.js';

/** Keys of a node the topology editor owns; the others (daemon, files, ...) are the author's. */
const EDITED_NODE_KEYS = new Set(['role', 'exec', 'startup']);

/**
 * The lab file text for `spec` saved at `target`, keeping the rest of `source` (the file the lab was opened
 * from) when both live in one directory (relative paths in it stay valid). null: nothing to keep from.
 */
export function roundTripLabYaml(spec: LabSpec, source: string | null | undefined, target: string, opts: { inlineStartup?: boolean } = {}): string | null {
  if (!source || dirname(resolve(source)) !== dirname(resolve(target))) return null;
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch {
    return null;
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) return null;
  const loaded = loadFromDisk(source);
  const before = loaded.ok ? loaded.spec : null;
  const fresh = parseDocument(labToYaml(spec));
  const nodes = fresh.getIn(['topology', 'nodes']);
  if (!isMap(nodes)) return null;
  for (const n of spec.nodes) {
    const orig = doc.getIn(['topology', 'nodes', n.name]);
    const node = nodes.get(n.name) as YAMLMap | undefined;
    if (!isMap(orig) || !node) continue;
    for (const pair of orig.items) {
      const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
      if (!EDITED_NODE_KEYS.has(key)) node.set(key, pair.value);
    }
    const was = before?.nodes.find((x) => x.name === n.name);
    if (!opts.inlineStartup && orig.has('startup') && was && JSON.stringify(was.startup) === JSON.stringify(n.startup)) {
      node.delete('exec');
      node.set('startup', orig.get('startup'));
    }
  }
  for (const key of ['name', 'title', 'description', 'seed', 'profile']) if (fresh.has(key)) doc.set(key, fresh.get(key));
  doc.set('topology', fresh.get('topology'));
  // A file that carries its scripts or positions (a downloaded lab) gets the current ones.
  embedLab(doc, spec, dirname(resolve(target)), false);
  return doc.toString({ lineWidth: 0 });
}
