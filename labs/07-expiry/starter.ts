// Lab 07: the 10-second expiry of unresolved entries, and a daemon that stops the kernel from asking.
//
// Run as `07-expiry/starter.ts -f /etc/mrouted.conf` (the lab's args). The config lists the groups this
// router must never forward, one per line: `deny GROUP`.

function readConfig(): string[] {
  const i = argv.indexOf('-f');
  if (i < 0 || argv[i + 1] === undefined) throw new Error('usage: -f CONFIG');
  const denied: string[] = [];
  readFile(argv[i + 1]!)
    .split('\n')
    .forEach((line, n) => {
      const w = line.trim().split(/\s+/);
      if (w[0] === '' || w[0]!.startsWith('#')) return;
      if (w[0] !== 'deny' || w.length !== 2) throw new Error(`${argv[i + 1]}:${n + 1}: expected "deny GROUP", got "${line.trim()}"`);
      denied.push(w[1]!);
    });
  return denied;
}

const denied = readConfig();
const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);
let nvifs = 0;
for (const itf of interfaces()) {
  if ((itf.flags & IFF_LOOPBACK) !== 0) continue;
  mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: nvifs++, vifc_flags: VIFF_USE_IFINDEX, vifc_lcl_ifindex: itf.ifindex });
}
log(`denied groups: ${denied.join(' ') || 'none'}`);

mr.onMessage((m) => {
  if (m.kind !== 'igmpmsg' || m.msgtype !== IGMPMSG_NOCACHE) return;
  if (!denied.includes(m.dst)) {
    log(`NOCACHE (${m.src}, ${m.dst}): no route known; the kernel keeps asking every 10 s`);
    return;
  }
  // TODO: a denied group: install a "negative" entry for (m.src, m.dst), arriving on m.vif, with no
  // output VIF at all, so the kernel drops the packets at once instead of queueing them and asking again.
});
