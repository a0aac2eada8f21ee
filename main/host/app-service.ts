// WorkbenchApi implemented over a LabSession: what the app's UI asks of a lab. Runs in a worker thread in
// the app and in web mode (see service-worker.ts), directly in unit tests. Arguments are validated here
// too (`invoke`), so a caller that skips the edge's validation still cannot reach the lab with bad data.

import { LabSession } from './lab/session.js';
import type { LabSpec } from './lab/spec.js';
import {
  ApiError,
  parseRequest,
  type ApiMethod,
  type CompleteRequest,
  type CompleteResponse,
  type IfaceView,
  type LabView,
  type MoveNodeRequest,
  type RunCommandRequest,
  type RunCommandResponse,
  type WorkbenchApi,
} from './api.js';
import { completeLine } from './console-completion.js';

/** The part of `ip -j addr show` this service reads. */
interface IpAddrJson {
  ifname: string;
  operstate: string;
  addr_info?: { family: string; local: string; prefixlen: number }[];
}

export class AppService implements WorkbenchApi {
  private current: LabSession;
  private readonly layout: Record<string, { x: number; y: number }>;

  constructor(private readonly spec: LabSpec) {
    this.current = new LabSession(spec);
    this.layout = structuredClone(spec.layout ?? {});
  }

  /** The running lab (its trace, for host-side consumers such as the trace store). */
  get session(): LabSession {
    return this.current;
  }

  /** Validates (method, arg) and calls the method: the single entry point of the transports. */
  async invoke(method: unknown, arg: unknown): Promise<unknown> {
    const req = parseRequest(method, arg);
    const m: ApiMethod = req.method;
    switch (m) {
      case 'getLab':
        return this.getLab();
      case 'reset':
        return this.reset();
      case 'runCommand':
        return this.runCommand(req.arg as RunCommandRequest);
      case 'complete':
        return this.complete(req.arg as CompleteRequest);
      case 'moveNode':
        return this.moveNode(req.arg as MoveNodeRequest);
    }
  }

  async getLab(): Promise<LabView> {
    const s = this.session;
    return {
      name: this.spec.name,
      title: this.spec.title,
      description: this.spec.description,
      nodes: this.spec.nodes.map((n) => ({ name: n.name, role: n.role, ifaces: this.ifaces(n.name) })),
      links: this.spec.links.map((l) => ({ endpoints: [{ ...l.endpoints[0] }, { ...l.endpoints[1] }] })),
      segments: this.spec.segments.map((g) => ({ name: g.name, members: g.members.map((m) => ({ ...m })) })),
      layout: structuredClone(this.layout),
      startupErrors: s.startupErrors.map((e) => ({ ...e })),
      now: s.now,
    };
  }

  async runCommand(req: RunCommandRequest): Promise<RunCommandResponse> {
    this.requireNode(req.node);
    const r = this.session.runCommand(req.node, req.line);
    return { rc: r.rc, stdout: r.stdout, stderr: r.stderr, now: this.session.now };
  }

  async complete(req: CompleteRequest): Promise<CompleteResponse> {
    this.requireNode(req.node);
    return completeLine(req.line, this.ifaces(req.node).map((i) => i.name));
  }

  async moveNode(req: MoveNodeRequest): Promise<null> {
    const known = this.spec.nodes.some((n) => n.name === req.node) || this.spec.segments.some((g) => g.name === req.node);
    if (!known) throw new ApiError('ENOENT', `no node or segment "${req.node}"`);
    this.layout[req.node] = { x: req.x, y: req.y };
    return null;
  }

  async reset(): Promise<LabView> {
    this.current = new LabSession(this.spec);
    return this.getLab();
  }

  private requireNode(node: string): void {
    if (!this.session.net.nodes.has(node)) throw new ApiError('ENOENT', `no node "${node}"`);
  }

  /** Interfaces as the node's own `ip -j addr` reports them (the public edge, not engine internals). */
  private ifaces(node: string): IfaceView[] {
    const r = this.session.runCommand(node, 'ip -j addr show');
    if (r.rc !== 0) return [];
    const list = JSON.parse(r.stdout) as IpAddrJson[];
    return list.map((d) => ({
      name: d.ifname,
      state: d.operstate,
      addrs: (d.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`),
    }));
  }
}
