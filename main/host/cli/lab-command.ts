// `workbench lab validate|schema`: checks lab files (schema and semantics; errors as file:line:col) and
// prints the published JSON Schema.

import { parseArgs } from 'node:util';
import { dirname } from 'node:path';
import { importClab } from '../lab/import-clab.js';
import { importKathara, KatharaImportError } from '../lab/import-kathara.js';
import { formatLabError } from '../lab/lab-errors.js';
import { LAB_SCHEMA } from '../lab/lab-schema.js';
import { labToYaml } from '../lab/lab-yaml.js';
import { loadOrReport, usage } from '../lab/cli-support.js';
import type { CliIO } from './workbench.js';

export const LAB_HELP = `Usage: workbench lab validate LAB.yaml...
       workbench lab schema
       workbench lab import TOPOLOGY.clab.yml | KATHARA_DIR | KATHARA_DIR/lab.conf

  validate   Check lab files against the schema and the rules it cannot express (links name defined
             nodes, no address twice, checks name started receivers, ...). Every error is printed as
             FILE:LINE:COL: FIELD: MESSAGE.
  schema     Print the lab file JSON Schema (labs/schema/lab.schema.json is its published copy).
  import     Print a lab file (topology and start commands, no steps) made from a containerlab
             topology (nodes, exec, links, bridges as LANs) or a Kathara lab (lab.conf with its
             DEVICE.startup files; collision domains become LANs).

Exit status: 0 if every file is valid; 1 if one has errors; 2 for bad usage.
`;

export function labCommand(argv: string[], io: CliIO): number {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help' || sub === 'help') {
    io.out(LAB_HELP);
    return sub === undefined ? 2 : 0;
  }
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.out(LAB_HELP);
    return 0;
  }
  if (sub === 'schema') {
    if (positionals.length) return usage(io, 'lab', `schema: unexpected argument '${positionals[0]}'`);
    io.out(`${JSON.stringify(LAB_SCHEMA, null, 2)}\n`);
    return 0;
  }
  if (sub === 'import') {
    if (positionals.length !== 1) return usage(io, 'lab', 'import: give one containerlab file or Kathara lab directory');
    return importCommand(positionals[0]!, io);
  }
  if (sub === 'validate') {
    if (positionals.length === 0) return usage(io, 'lab', 'validate: give one or more lab files');
    let rc = 0;
    for (const file of positionals) {
      const spec = loadOrReport(io, file);
      if (!spec) {
        rc = 1;
        continue;
      }
      const steps = spec.steps ?? [];
      const checks = steps.reduce((n, s) => n + s.checks.length, 0);
      io.out(`${file}: valid (${spec.nodes.length} nodes, ${steps.length} steps, ${checks} checks)\n`);
    }
    return rc;
  }
  return usage(io, 'lab', `unknown subcommand '${sub}'`);
}

function importCommand(path: string, io: CliIO): number {
  if (/\.ya?ml$/.test(path)) {
    const r = importClab(io.readFile(path), path);
    if (!r.ok) {
      for (const e of r.errors) io.err(`${formatLabError(e)}\n`);
      return 1;
    }
    for (const w of r.warnings) io.err(`${path}: warning: ${w}\n`);
    io.out(labToYaml(r.spec));
    return 0;
  }
  try {
    const r = importKathara(path.endsWith('lab.conf') ? dirname(path) : path, io);
    for (const w of r.warnings) io.err(`WARNING  ${w}\n`);
    io.out(labToYaml(r.spec));
    return 0;
  } catch (e) {
    if (!(e instanceof KatharaImportError)) throw e;
    io.err(`${e.message}\n`);
    return 1;
  }
}
