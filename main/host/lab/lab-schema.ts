// The JSON Schema of a lab file (draft-07, what yaml-language-server and ajv both speak). This object is
// the source; labs/schema/lab.schema.json is its published copy (`workbench lab schema` prints it, a test
// keeps the two equal). Rules the schema cannot express (a link naming an undefined node, a duplicate
// address, a bad regex) are checked by lab-semantics.ts.

type Schema = Record<string, unknown>;

const NODE_NAME = '^[a-zA-Z0-9][a-zA-Z0-9._|-]*$';
const ENDPOINT = '^[a-zA-Z0-9][a-zA-Z0-9._|-]*:[^/:\\s]{1,15}$';
const DURATION_TEXT = '^[0-9]+(\\.[0-9]+)?(ns|us|ms|s)$';
const IPV4 = '^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$';

const str = (description: string, extra: Schema = {}): Schema => ({ type: 'string', description, ...extra });
const int = (description: string, minimum = 0, maximum?: number): Schema => ({ type: 'integer', description, minimum, ...(maximum === undefined ? {} : { maximum }) });
const nodeRef: Schema = str('A node of topology.nodes.', { pattern: NODE_NAME });
const ipv4 = (description: string): Schema => str(description, { pattern: IPV4 });
const ifname: Schema = str('An interface name (at most 15 characters).', { pattern: '^[^/:\\s]{1,15}$' });
const duration: Schema = {
  description: 'A duration: seconds as a number, or a string with a unit: "500ms", "2s", "100us".',
  oneOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: DURATION_TEXT }],
};
const strings = (description: string): Schema => ({
  description,
  oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }],
});
const obj = (description: string, properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: 'object',
  description,
  properties,
  required,
  additionalProperties: false,
});
const counts = {
  count: int('Exactly this many.'),
  min: int('At least this many.'),
  max: int('At most this many.'),
};

const command = (what: string): Schema => obj(what, { node: nodeRef, run: str('The command line, as typed on the node\'s console.', { minLength: 1 }) }, ['node', 'run']);

const actions: Record<string, Schema> = {
  'udp-receiver': obj(
    'Start a UDP receiver (bind a port, optionally join a group); delivery checks refer to it by name.',
    {
      name: str('Name the delivery checks use.', { pattern: NODE_NAME }),
      node: nodeRef,
      port: int('UDP port to bind.', 1, 65535),
      group: ipv4('Multicast group to join (IP_ADD_MEMBERSHIP).'),
      iface: ifname,
      bind: ipv4('Local address to bind (default: any).'),
    },
    ['name', 'node', 'port'],
  ),
  'udp-sender': obj(
    'Send `count` UDP datagrams, one every `interval`, in the background (a `wait` lets them flow).',
    {
      node: nodeRef,
      dst: ipv4('Destination address: a unicast address or a multicast group.'),
      port: int('Destination UDP port.', 1, 65535),
      count: int('Datagrams to send.', 1),
      interval: duration,
      size: int('Payload bytes (default 64).', 0, 65507),
      ttl: int('TTL (IP_MULTICAST_TTL for a group, default 1; IP_TTL otherwise).', 0, 255),
      tos: int('TOS byte.', 0, 255),
      src: ipv4('Source address to bind.'),
      sport: int('Source port.', 1, 65535),
      iface: ifname,
    },
    ['node', 'dst', 'port', 'count'],
  ),
  ping: obj(
    'Run ping on a node (as `ping -c COUNT ...`); its output is printed in the run\'s progress.',
    { node: nodeRef, dst: ipv4('Address to ping.'), count: int('Echo requests (default 3).', 1), interval: duration, size: int('Data bytes (default 56).', 0, 65507), ttl: int('TTL.', 1, 255), iface: ifname },
    ['node', 'dst'],
  ),
  join: obj('Join a multicast group on a node (a socket holding IP_ADD_MEMBERSHIP, like `smcroutectl join`).', { node: nodeRef, group: ipv4('The group.'), iface: ifname }, ['node', 'group']),
  leave: obj('Leave a group joined by a `join` action.', { node: nodeRef, group: ipv4('The group.'), iface: ifname }, ['node', 'group']),
  'link-down': str('Take an interface down, as `ip link set IFACE down` on its node: "node:iface".', { pattern: ENDPOINT }),
  'link-up': str('Bring an interface up, as `ip link set IFACE up`: "node:iface".', { pattern: ENDPOINT }),
  'link-delete': str('Delete an interface (a veth deletes its peer too), as `ip link del IFACE`: "node:iface".', { pattern: ENDPOINT }),
  command: command('Run a command on a node.'),
  daemon: obj(
    'Start, stop or restart a node\'s daemon (stop: the process dies, its sockets close; an mroute socket runs mrtsock_destruct). With `script`: an extra process running that lab script (e.g. a second daemon).',
    {
      node: nodeRef,
      do: { enum: ['start', 'stop', 'restart'], description: 'start, stop (kill) or restart.' },
      script: str('A lab-supplied daemon script, relative to the lab file: start/stop an extra process running it instead of the node\'s daemon.', { minLength: 1 }),
      args: { type: 'array', items: { type: 'string' }, description: 'Arguments of the extra process (with `script`).' },
    },
    ['node', 'do'],
  ),
  wait: duration,
};

const checkKinds: Record<string, Schema> = {
  command: obj(
    'The output of a command on a node. Every matcher given must hold. Trailing whitespace is ignored by `equals`.',
    {
      node: nodeRef,
      run: str('The command line.', { minLength: 1 }),
      equals: str('The whole output (stdout).'),
      contains: strings('Text the output must contain.'),
      regex: strings('Regular expressions (JavaScript syntax, multiline) the output must match.'),
      absent: strings('Text the output must not contain.'),
      rc: int('Expected exit status.', 0, 255),
      stream: { enum: ['stdout', 'stderr', 'both'], description: 'What the matchers read: stdout (default), stderr, or both (stdout then stderr).' },
    },
    ['node', 'run'],
  ),
  delivery: obj(
    'Datagrams a receiver got (from a `udp-receiver` action of this or an earlier step).',
    { receiver: str('The receiver\'s name.', { pattern: NODE_NAME }), from: ipv4('Only datagrams from this source.'), to: ipv4('Only datagrams to this destination (e.g. the group).'), packets: int('Exactly this many.'), min: counts.min, max: counts.max },
    ['receiver'],
  ),
  sql: obj(
    'Read-only SQL (one SELECT/WITH/VALUES) over the run\'s trace so far: the views trace(seq, t, node, fn, kind, pkt, parent, data JSON) and trace_packets. equals/min/max judge the first column of the first row; rows the number of rows or the rows themselves. Default: at least one row.',
    {
      query: str('The query, e.g. SELECT count(*) FROM trace WHERE fn = \'ipmr_cache_unresolved\' AND node = \'r1\'.', { minLength: 1 }),
      equals: { type: ['string', 'number', 'null'], description: 'The value of the first column of the first row.' },
      min: { type: 'number', description: 'The first value is at least this.' },
      max: { type: 'number', description: 'The first value is at most this.' },
      rows: {
        description: 'The number of rows, or the rows themselves (a list of lists of values), in order.',
        oneOf: [{ type: 'integer', minimum: 0 }, { type: 'array', items: { type: 'array', items: { type: ['string', 'number', 'null'] } } }],
      },
    },
    ['query'],
  ),
  trace: obj(
    'Events of the run\'s trace: kernel function, kind, node and payload fields. Default: at least one.',
    {
      fn: str('Kernel function name, e.g. ip_forward.', { minLength: 1 }),
      kind: { enum: ['call', 'lookup', 'rx', 'tx', 'deliver', 'drop', 'timer_arm', 'timer_fire', 'timer_cancel', 'upcall', 'state', 'log'] },
      node: nodeRef,
      data: { type: 'object', description: 'Payload fields that must be equal.', additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } },
      scope: { enum: ['step', 'run'], description: 'Events since this step began (default) or of the whole run.' },
      ...counts,
    },
    ['fn'],
  ),
};

const check: Schema = {
  type: 'object',
  description: 'One check: common fields plus exactly one of command, delivery, trace, sql.',
  properties: {
    name: str('Short id, unique in the lab.', { pattern: '^[a-zA-Z0-9][a-zA-Z0-9._-]*$' }),
    description: str('What the check verifies, in the student\'s words.'),
    points: { type: 'number', minimum: 0, description: 'Weight in the completion percentage (default 1).' },
    hint: str('Shown when the check fails.'),
    ...checkKinds,
  },
  required: ['name'],
  additionalProperties: false,
};

const action: Schema = {
  type: 'object',
  description: 'One action: an object with exactly one key naming it.',
  properties: actions,
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: false,
};

const node: Schema = obj('A node: a network namespace.', {
  role: { enum: ['host', 'router'], description: 'host (default) or router.' },
  exec: { type: 'array', items: { type: 'string' }, description: 'Commands run at start, in order (containerlab\'s key; .startup syntax).' },
  startup: str('A .startup file with the start commands, relative to the lab file (Kathara style).'),
  daemon: obj(
    'The daemon the node runs, started after every node\'s start commands (a TypeScript script against labs/daemons/daemon-api.d.ts).',
    {
      script: str('The script the student starts from, relative to the lab file (`--daemon NODE=FILE` replaces it).', { minLength: 1 }),
      solution: str('The reference solution, relative to the lab file: run instead of `script` with --solution.', { minLength: 1 }),
      args: { type: 'array', items: { type: 'string' }, description: 'Command-line arguments: the daemon\'s argv is [script, ...args].' },
    },
    ['script'],
  ),
  files: {
    type: 'object',
    description: 'Files the node\'s daemons read with readFile(path): absolute path -> content, e.g. "/etc/smcroute.conf": "phyint eth0 enable".',
    propertyNames: { pattern: '^/[^\\0]*$' },
    additionalProperties: { type: 'string' },
  },
});

export const LAB_SCHEMA: Schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://routing-lab-workbench.invalid/schema/lab.schema.json',
  title: 'Routing Lab Workbench lab',
  type: 'object',
  properties: {
    name: str('Lab id (lower case, digits, dashes).', { pattern: '^[a-z0-9][a-z0-9-]*$' }),
    title: str('Title shown to the student.'),
    description: str('Markdown.'),
    seed: int('Seed of the simulation (MACs, IP ids, timer jitter).', 0, 2 ** 32 - 1),
    profile: { enum: ['modern', 'book'], description: 'Kernel profile: today\'s kernel, or the older one the book describes.' },
    topology: {
      type: 'object',
      properties: {
        nodes: { type: 'object', propertyNames: { pattern: NODE_NAME }, additionalProperties: node, minProperties: 1 },
        links: {
          type: 'array',
          items: obj('A point-to-point link (a veth pair), containerlab brief form.', { endpoints: { type: 'array', items: str('"node:iface"', { pattern: ENDPOINT }), minItems: 2, maxItems: 2 } }, ['endpoints']),
        },
        lans: {
          type: 'object',
          description: 'LAN segments (a bridge flooding every frame): segment name -> attached "node:iface" endpoints.',
          propertyNames: { pattern: '^[a-zA-Z0-9_-]{1,32}$' },
          additionalProperties: { type: 'array', items: str('"node:iface"', { pattern: ENDPOINT }), minItems: 1 },
        },
      },
      required: ['nodes'],
      additionalProperties: false,
    },
    steps: {
      type: 'array',
      items: obj(
        'A step: instructions, then the actions it runs and the checks that grade it.',
        {
          title: str('Step title.'),
          text: str('Instructions, Markdown.'),
          hints: { type: 'array', items: { type: 'string' } },
          solution: { type: 'array', items: command('A command of the reference solution.'), description: 'The reference solution\'s commands, run before the actions when grading it.' },
          actions: { type: 'array', items: action },
          checks: { type: 'array', items: check },
        },
        ['title'],
      ),
    },
    layout: {
      type: 'object',
      description: 'Positions in the app\'s topology view: node or LAN name -> {x, y}. A downloaded lab carries them; NAME.layout.json next to the lab, if there is one, wins (Save writes it).',
      propertyNames: { pattern: NODE_NAME },
      additionalProperties: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } }, required: ['x', 'y'], additionalProperties: false },
    },
    scripts: {
      type: 'object',
      description: 'Daemon script sources by the path the lab names them with (daemon.script, daemon.solution, daemon actions): used instead of reading that file. A downloaded lab carries its scripts here, so one file holds the whole lab.',
      propertyNames: { minLength: 1 },
      additionalProperties: { type: 'string' },
    },
  },
  required: ['name', 'title', 'topology'],
  additionalProperties: false,
};
