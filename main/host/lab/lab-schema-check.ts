// Validates a parsed lab file against LAB_SCHEMA with ajv and turns ajv's errors into messages a lab
// author understands, positioned at the offending YAML node (or key).

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { LAB_SCHEMA } from './lab-schema.js';
import type { LabFileError, Located, PathPart } from './lab-errors.js';

let validator: ValidateFunction | null = null;

function validate(): ValidateFunction {
  validator ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(LAB_SCHEMA);
  return validator;
}

/** JSON pointer → path parts, numbers where the data holds an array. */
function pointerToPath(pointer: string, data: unknown): PathPart[] {
  const out: PathPart[] = [];
  let cur: unknown = data;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const part: PathPart = Array.isArray(cur) && /^\d+$/.test(seg) ? Number(seg) : seg;
    out.push(part);
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
  }
  return out;
}

const PATTERN_TEXT: Record<string, string> = {
  '^[a-zA-Z0-9][a-zA-Z0-9._|-]*:[^/:\\s]{1,15}$': 'an endpoint "node:iface" (e.g. "r1:eth0")',
  '^[a-zA-Z0-9][a-zA-Z0-9._|-]*$': 'a name of letters, digits, ".", "_", "|", "-"',
  '^[a-z0-9][a-z0-9-]*$': 'an id of lower-case letters, digits and "-"',
  '^[^/:\\s]{1,15}$': 'an interface name (1 to 15 characters, no "/", ":" or spaces)',
  '^[a-zA-Z0-9_-]{1,32}$': 'a segment name of at most 32 letters, digits, "_", "-"',
  '^/[^\\0]*$': 'an absolute path ("/etc/smcroute.conf")',
};

function show(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

function describe(e: ErrorObject, value: unknown): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `missing required field "${String(p.missingProperty)}"`;
    case 'additionalProperties':
      return `unknown field "${String(p.additionalProperty)}"`;
    case 'type':
      return `must be ${String(p.type).replace(/,/g, ' or ')}, got ${show(value)}`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map(show).join(', ')}, got ${show(value)}`;
    case 'pattern': {
      const text = PATTERN_TEXT[String(p.pattern)];
      if (String(p.pattern).startsWith('^((25')) return `must be an IPv4 address, got ${show(value)}`;
      return `must be ${text ?? `a string matching ${String(p.pattern)}`}, got ${show(value)}`;
    }
    case 'oneOf':
      return value !== null && typeof value === 'object' ? `has the wrong form: ${show(value)}` : `must be ${Array.isArray(value) ? 'a string or a list of strings' : 'a number of seconds or a duration such as "500ms", "2s"'}, got ${show(value)}`;
    case 'minProperties':
    case 'maxProperties':
      return 'an action is an object with exactly one key (udp-receiver, udp-sender, ping, join, leave, link-down, link-up, link-delete, command, daemon, wait)';
    case 'minItems':
    case 'maxItems':
      return `must have ${e.keyword === 'minItems' ? 'at least' : 'at most'} ${String(p.limit)} item(s)`;
    case 'propertyNames':
      return `bad name ${show(p.propertyName)}`;
    default:
      return `${e.message ?? e.keyword}${value === undefined ? '' : `, got ${show(value)}`}`;
  }
}

function valueAt(data: unknown, path: readonly PathPart[]): unknown {
  let cur = data;
  for (const p of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[String(p)] : undefined;
  return cur;
}

export function schemaErrors(data: unknown, loc: Located): LabFileError[] {
  const v = validate();
  if (v(data)) return [];
  const raw = v.errors ?? [];
  // A failed oneOf also reports each branch's failure at the same path; keep only the oneOf's message.
  const oneOfAt = new Set(raw.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  // propertyNames reports a pattern error on the name too; the propertyNames message says it.
  const namesAt = new Set(raw.filter((e) => e.keyword === 'propertyNames').map((e) => e.instancePath));
  const out: LabFileError[] = [];
  const seen = new Set<string>();
  for (const e of raw) {
    if (e.keyword !== 'oneOf' && oneOfAt.has(e.instancePath) && e.schemaPath.includes('/oneOf/')) continue;
    if (e.keyword !== 'propertyNames' && namesAt.has(e.instancePath) && e.schemaPath.includes('/propertyNames/')) continue;
    const path = pointerToPath(e.instancePath, data);
    const p = e.params as Record<string, unknown>;
    const node =
      e.keyword === 'additionalProperties'
        ? loc.keyAt(path, String(p.additionalProperty))
        : e.keyword === 'propertyNames'
          ? loc.keyAt(path, String(p.propertyName))
          : loc.nodeAt(path);
    const err = loc.error(path, describe(e, valueAt(data, path)), node);
    const key = `${err.line}:${err.col}:${err.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(err);
    }
  }
  return out.sort((a, b) => a.line - b.line || a.col - b.col);
}
