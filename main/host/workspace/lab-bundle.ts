// "Download" of the lab the user has open: one YAML file holding all of it — the topology as edited, the
// steps, checks, hints, daemons and files of the lab file it came from (kept as Save keeps them), each
// node's start commands inline, the positions, and every daemon script's source as edited in the app. The
// lab loader opens it back anywhere (`workbench lab validate`, Open), with no file next to it.

import { parseDocument } from 'yaml';
import { ApiError } from '../api.js';
import { labToYaml } from '../lab/lab-yaml.js';
import type { LabSpec } from '../lab/spec.js';
import { embedLab, labDirOf } from './lab-embed.js';
import { labFileTexts } from './lab-files.js';
import { roundTripLabYaml } from './lab-roundtrip.js';
import type { LabExport } from './topology-api.js';

/** The whole lab as one file; `source` is the lab file it was opened from (or last saved to), if any. */
export function labBundle(spec: LabSpec, source: string | null): LabExport {
  const kept = source ? roundTripLabYaml(spec, source, source, { inlineStartup: true }) : null;
  // Steps live only in the lab file: exporting without it would silently drop them.
  if (kept === null && (spec.steps ?? []).length > 0) throw new ApiError('EINVAL', `cannot read the lab file ${source ?? '(none)'}: its steps and checks cannot be exported`);
  const doc = parseDocument(kept ?? labToYaml(spec));
  embedLab(doc, spec, labDirOf(source), true);
  return { name: spec.name, yaml: doc.toString({ lineWidth: 0 }), layout: labFileTexts(spec).layout };
}
