// The daemon API as guest code: it runs inside the daemon's QuickJS context before the student's script and
// talks to the host through ONE function that takes and returns strings (`__host(op, cursor, json)`).
// No host object ever enters the guest and no guest object ever reaches the host: getters, Proxies and
// toJSON all run inside the guest, during JSON.stringify, on the guest's own CPU and memory budget.
// Types: labs/daemons/daemon-api.d.ts (keep the two in step; test/unit/sandbox checks the names).

export const PRELUDE_FILE = 'daemon-api.js';

export const PRELUDE_SOURCE = String.raw`(function () {
'use strict';
const G = globalThis;
const host = G.__host;
const constants = JSON.parse(G.__constants);
const bootInfo = JSON.parse(G.__boot);
delete G.__host;
delete G.__constants;
delete G.__boot;
const stringify = JSON.stringify, parse = JSON.parse;
const MapCtor = Map, U8 = Uint8Array, ErrorCtor = Error, TypeErrorCtor = TypeError;
let cursor = -1;

class OSError extends ErrorCtor {
  constructor(errno, code, message, syscall) {
    super(message);
    this.name = 'OSError';
    this.errno = errno;
    this.code = code;
    this.syscall = syscall;
  }
}

function call(op, args) {
  const r = parse(host(op, cursor, stringify(args)));
  if (r.e) throw new OSError(r.e.errno, r.e.code, r.e.message, r.e.syscall);
  if (r.t !== undefined) throw new TypeErrorCtor(r.t);
  return r.v;
}

const HEX = '0123456789abcdef';
function toHex(data) {
  if (typeof data === 'string') {
    let s = '';
    for (let i = 0; i < data.length; i++) { const c = data.charCodeAt(i) & 255; s += HEX[c >> 4] + HEX[c & 15]; }
    return s;
  }
  if (!(data instanceof U8)) throw new TypeErrorCtor('data must be a Uint8Array or a string');
  let s = '';
  for (let i = 0; i < data.length; i++) { const c = data[i]; s += HEX[c >> 4] + HEX[c & 15]; }
  return s;
}
function fromHex(h) {
  const out = new U8(h.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.substr(2 * i, 2), 16);
  return out;
}

for (const name of Object.keys(constants)) {
  Object.defineProperty(G, name, { value: constants[name], writable: false, enumerable: false, configurable: false });
}

const sockets = new MapCtor();
class Socket {
  constructor(fd, type, protocol) {
    this.fd = fd; this.type = type; this.protocol = protocol; this.handler = null;
  }
  setsockopt(level, optname, value) { call('setsockopt', [this.fd, level, optname, value === undefined ? 1 : value instanceof U8 ? { $bytes: toHex(value) } : value]); }
  getsockopt(level, optname) { return call('getsockopt', [this.fd, level, optname]); }
  ioctl(request, arg) { return call('ioctl', [this.fd, request, arg === undefined ? {} : arg]); }
  bind(address, port) { call('bind', [this.fd, address, port === undefined ? 0 : port]); }
  sendto(data, address, port) { return call('sendto', [this.fd, toHex(data), address, port === undefined ? 0 : port]); }
  onMessage(handler) {
    if (handler !== null && typeof handler !== 'function') throw new TypeErrorCtor('onMessage needs a function (or null)');
    const was = this.handler !== null;
    this.handler = handler;
    if (was !== (handler !== null)) call('listen', [this.fd, handler !== null]);
  }
  close() { sockets.delete(this.fd); call('close', [this.fd]); }
}

function socket(family, type, protocol) {
  const fd = call('socket', [family, type, protocol === undefined ? 0 : protocol]);
  const s = new Socket(fd, type, protocol === undefined ? 0 : protocol);
  sockets.set(fd, s);
  return s;
}

const timers = new MapCtor();
let nextTimer = 1;
function arm(fn, ms, args, repeat) {
  if (typeof fn !== 'function') throw new TypeErrorCtor('a timer needs a function');
  const id = nextTimer++;
  call('timer', [id, ms === undefined ? 0 : Number(ms), repeat]);
  timers.set(id, { fn, args, repeat });
  return id;
}
function disarm(id) {
  if (timers.delete(id)) call('untimer', [id]);
}

let randoms = [];
let randomAt = 0;
function random() {
  if (randomAt >= randoms.length) { randoms = call('random', [256]); randomAt = 0; }
  return randoms[randomAt++];
}

function show(v) {
  if (typeof v === 'string') return v;
  if (v instanceof ErrorCtor) return String(v.stack ? v.name + ': ' + v.message + '\n' + v.stack : v);
  if (typeof v === 'object' && v !== null) { try { return stringify(v); } catch (e) { return String(v); } }
  return String(v);
}
function log(...args) {
  let text = '';
  for (let i = 0; i < args.length; i++) text += (i ? ' ' : '') + show(args[i]);
  call('log', [text]);
}

function ip(...args) {
  const r = call('ip', args);
  if (r.rc === 0 && args.some((a) => a === '-j' || a === '-json' || (typeof a === 'string' && /(^|\s)-j(son)?(\s|$)/.test(a))) && r.stdout.trim() !== '') r.json = parse(r.stdout);
  return r;
}

function now() { return call('now', []); }

const RealDate = Date;
const SimDate = new Proxy(RealDate, {
  construct(target, args, newTarget) { return Reflect.construct(target, args.length ? args : [now()], newTarget); },
  apply() { return new RealDate(now()).toString(); },
});
RealDate.now = now;
Object.defineProperty(RealDate.prototype, 'constructor', { value: SimDate, writable: true, configurable: true });

// The node's lab-supplied files (path → content): a Map, so a path like "__proto__" is just a key.
const files = new MapCtor(bootInfo.files);
function readFile(path) {
  if (typeof path !== 'string') throw new TypeErrorCtor('readFile(path): path must be a string');
  if (files.has(path)) return files.get(path);
  throw new OSError(2, 'ENOENT', 'open(' + path + '): No such file or directory (ENOENT)', 'open');
}

function requireBlocked(name) {
  throw new ErrorCtor('import ' + stringify(String(name)) + ': a daemon runs in a sandbox without modules; the daemon API is global (see daemon-api.d.ts)');
}

const api = {
  OSError, socket, log, ip, now, readFile,
  argv: bootInfo.argv,
  interfaces: () => call('interfaces', []),
  setsockopt: (s, level, optname, value) => s.setsockopt(level, optname, value),
  getsockopt: (s, level, optname) => s.getsockopt(level, optname),
  ioctl: (s, request, arg) => s.ioctl(request, arg),
  close: (s) => s.close(),
  setTimeout: (fn, ms, ...args) => arm(fn, ms, args, false),
  setInterval: (fn, ms, ...args) => arm(fn, ms, args, true),
  clearTimeout: disarm,
  clearInterval: disarm,
  console: { log, error: log, warn: log, info: log, debug: log },
  Date: SimDate,
  require: requireBlocked,
  exports: {},
};
api.module = { exports: api.exports };
for (const k of Object.keys(api)) Object.defineProperty(G, k, { value: api[k], writable: true, enumerable: false, configurable: true });
Math.random = random;

function deliver(ev) {
  if (ev.k === 'm') {
    const s = sockets.get(ev.fd);
    if (!s || !s.handler) return;
    const m = ev.m;
    // Bytes become a Uint8Array when first read: most handlers only look at the decoded fields.
    for (const f of ev.hx) {
      const hex = m[f];
      let bytes = null;
      Object.defineProperty(m, f, { get() { return bytes === null ? (bytes = fromHex(hex)) : bytes; }, enumerable: true, configurable: true });
    }
    s.handler(m);
  } else if (ev.k === 't') {
    const t = timers.get(ev.id);
    if (!t) return;
    if (!t.repeat) timers.delete(ev.id);
    t.fn(...t.args);
  }
}

// The host's single entry point: a batch of events, delivered in order.
return function dispatch(json) {
  const evs = parse(json);
  try {
    for (let i = 0; i < evs.length; i++) { cursor = i; deliver(evs[i]); }
  } finally {
    cursor = -1;
  }
};
})()`;
