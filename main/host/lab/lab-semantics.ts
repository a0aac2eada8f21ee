// The rules of a lab file the schema cannot express: links and LANs name defined nodes and use each
// interface once, no address is assigned twice, actions and checks name defined nodes and receivers,
// check names are unique, regexes compile, and each check has exactly one kind.

import { tokenize } from '../../../engine/iproute2/tokenize.js';
import type { LabFileError, Located, PathPart } from './lab-errors.js';
import { asList, splitEndpoint, type RawLab } from './lab-raw.js';
import { checkReadOnlySql, SqlRejected } from '../store/readonly-sql.js';

/** A node's start commands, each with the place it was written. */
export interface NodeCommands {
  commands: string[];
  where: Array<{ file: string; line: number; col: number }>;
}

/** The address an `ip address add ADDR ...` line assigns, if the line is one. */
export function addressAdded(line: string): string | null {
  let argv: string[];
  try {
    argv = tokenize(line);
  } catch {
    return null;
  }
  if (argv[0] !== 'ip') return null;
  let i = 1;
  while (i < argv.length && argv[i]!.startsWith('-')) i += argv[i] === '-n' || argv[i] === '-netns' || argv[i] === '-f' || argv[i] === '-family' ? 2 : 1;
  const obj = argv[i];
  const cmd = argv[i + 1];
  if (!obj || !cmd || !'address'.startsWith(obj) || !'add'.startsWith(cmd)) return null;
  let a = argv[i + 2];
  if (a === 'local') a = argv[i + 3];
  if (!a || !/^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(a)) return null;
  return a.split('/')[0]!;
}

export function semanticErrors(raw: RawLab, loc: Located, startup: Map<string, NodeCommands>): LabFileError[] {
  const errors: LabFileError[] = [];
  const nodes = new Set(Object.keys(raw.topology.nodes));
  const err = (path: PathPart[], message: string): void => void errors.push(loc.error(path, message));

  for (const [name, n] of Object.entries(raw.topology.nodes)) {
    if (n?.exec && n.startup !== undefined) err(['topology', 'nodes', name, 'startup'], 'give either "exec" or "startup", not both');
  }

  // Interfaces: each node:iface at most once across links and LANs.
  const used = new Map<string, string>();
  const endpoint = (path: PathPart[], s: string): void => {
    const { node, iface } = splitEndpoint(s);
    if (!nodes.has(node)) return err(path, `node "${node}" is not defined`);
    const first = used.get(`${node}:${iface}`);
    if (first) return err(path, `interface ${node}:${iface} is already connected (${first})`);
    used.set(`${node}:${iface}`, path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '['));
  };
  raw.topology.links?.forEach((l, i) => l.endpoints.forEach((e, j) => endpoint(['topology', 'links', i, 'endpoints', j], e)));
  for (const [lan, members] of Object.entries(raw.topology.lans ?? {})) {
    if (nodes.has(lan)) err(['topology', 'lans', lan], `LAN "${lan}" has the name of a node`);
    members.forEach((e, j) => endpoint(['topology', 'lans', lan, j], e));
  }

  // Addresses: the same address on two interfaces (of any nodes) is a lab bug.
  const addrs = new Map<string, string>();
  for (const [name, sc] of startup) {
    sc.commands.forEach((c, i) => {
      const a = addressAdded(c);
      if (!a) return;
      const w = sc.where[i]!;
      const first = addrs.get(a);
      if (first) errors.push({ file: w.file, line: w.line, col: w.col, path: `topology.nodes.${name}`, message: `address ${a} is already assigned (${first})` });
      else addrs.set(a, `${name}, ${w.file}:${w.line}`);
    });
  }

  const nodeRef = (path: PathPart[], n: string | undefined): void => {
    if (n !== undefined && !nodes.has(n)) err(path, `node "${n}" is not defined`);
  };
  const receivers = new Set<string>();
  const checkNames = new Set<string>();
  raw.steps?.forEach((step, si) => {
    const sp: PathPart[] = ['steps', si];
    step.solution?.forEach((c, i) => nodeRef([...sp, 'solution', i, 'node'], c.node));
    step.actions?.forEach((a, i) => {
      const [kind, body] = Object.entries(a)[0]!;
      const ap: PathPart[] = [...sp, 'actions', i, kind];
      if (typeof body === 'string' && kind.startsWith('link-')) return nodeRef(ap, splitEndpoint(body).node);
      if (body === null || typeof body !== 'object') return;
      const b = body as Record<string, unknown>;
      nodeRef([...ap, 'node'], b.node as string | undefined);
      if (kind === 'daemon' && b.script === undefined) {
        const n = raw.topology.nodes[String(b.node)];
        if (nodes.has(String(b.node)) && !n?.daemon) err([...ap, 'node'], `node "${String(b.node)}" has no daemon (give it topology.nodes.${String(b.node)}.daemon, or give this action a script)`);
        if (b.args !== undefined) err([...ap, 'args'], '"args" goes with "script" (the node\'s own daemon takes topology.nodes.NODE.daemon.args)');
      }
      if (kind === 'udp-receiver') {
        const rn = String(b.name);
        if (receivers.has(rn)) err([...ap, 'name'], `receiver "${rn}" is already defined`);
        receivers.add(rn);
      }
    });
    step.checks?.forEach((c, i) => {
      const cp: PathPart[] = [...sp, 'checks', i];
      if (checkNames.has(c.name)) err([...cp, 'name'], `check name "${c.name}" is used twice`);
      checkNames.add(c.name);
      const kinds = (['command', 'delivery', 'trace', 'sql'] as const).filter((k) => c[k] !== undefined);
      if (kinds.length !== 1) err(cp, kinds.length === 0 ? 'a check needs one of "command", "delivery", "trace", "sql"' : `a check has one kind, got ${kinds.map((k) => `"${k}"`).join(' and ')}`);
      if (c.sql) {
        try {
          checkReadOnlySql(c.sql.query);
        } catch (e) {
          if (!(e instanceof SqlRejected)) throw e;
          err([...cp, 'sql', 'query'], e.message);
        }
        const given = (['equals', 'min', 'max', 'rows'] as const).filter((k) => c.sql![k] !== undefined);
        if (c.sql.rows !== undefined && given.length > 1) err([...cp, 'sql'], 'give "rows" or "equals"/"min"/"max", not both');
        if (c.sql.equals !== undefined && (c.sql.min !== undefined || c.sql.max !== undefined)) err([...cp, 'sql'], 'give "equals" or "min"/"max", not both');
      }
      if (c.command) {
        nodeRef([...cp, 'command', 'node'], c.command.node);
        asList(c.command.regex)?.forEach((r, j) => {
          try {
            new RegExp(r, 'm');
          } catch (e) {
            err([...cp, 'command', 'regex', ...(Array.isArray(c.command!.regex) ? [j] : [])], `bad regular expression: ${(e as Error).message}`);
          }
        });
      }
      if (c.delivery) {
        if (!receivers.has(c.delivery.receiver)) err([...cp, 'delivery', 'receiver'], `receiver "${c.delivery.receiver}" is not started by a udp-receiver action of this or an earlier step`);
        if (c.delivery.packets !== undefined && (c.delivery.min !== undefined || c.delivery.max !== undefined)) err([...cp, 'delivery'], 'give "packets" or "min"/"max", not both');
      }
      if (c.trace) {
        nodeRef([...cp, 'trace', 'node'], c.trace.node);
        if (c.trace.count !== undefined && (c.trace.min !== undefined || c.trace.max !== undefined)) err([...cp, 'trace'], 'give "count" or "min"/"max", not both');
      }
    });
  });
  return errors;
}
