// mrtd.ts: a tiny multicast routing daemon for one multicast routing table (MRT_TABLE). It routes every
// group arriving on one interface to a list of others: on the kernel's IGMPMSG_NOCACHE upcall for (S,G) it
// installs an (S,G) entry, iif → oifs. Two of these, each with its own table, can run on one router:
// `ip mrule` then decides which table (and so which daemon) a packet belongs to.
//
// Usage (argv): mrtd.ts -t TABLE -i IIF -o OIF [-o OIF]...
//
// MRT_TABLE must come before MRT_INIT: it picks (creating if needed) the table this socket will manage;
// after MRT_INIT the kernel refuses to switch (EBUSY).

let table = -1;
let iif = '';
const oifs: string[] = [];
for (let i = 1; i < argv.length; i += 2) {
  const v = argv[i + 1];
  if (v === undefined) throw new Error(`${argv[i]} needs a value`);
  if (argv[i] === '-t') table = Number(v);
  else if (argv[i] === '-i') iif = v;
  else if (argv[i] === '-o') oifs.push(v);
  else throw new Error(`usage: ${argv[0]} -t TABLE -i IIF -o OIF [-o OIF]...`);
}
if (!(table > 0) || !iif || oifs.length === 0) throw new Error(`usage: ${argv[0]} -t TABLE -i IIF -o OIF [-o OIF]...`);

const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
mr.setsockopt(IPPROTO_IP, MRT_TABLE, table);
mr.setsockopt(IPPROTO_IP, MRT_INIT, 1);

const byName = new Map(interfaces().map((x) => [x.name, x]));
const vifOf = new Map<string, number>();
for (const name of [iif, ...oifs]) {
  const itf = byName.get(name);
  if (!itf) throw new Error(`no interface "${name}"`);
  const vifi = vifOf.size;
  mr.setsockopt(IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: vifi, vifc_flags: VIFF_USE_IFINDEX, vifc_lcl_ifindex: itf.ifindex, vifc_threshold: 1 });
  vifOf.set(name, vifi);
}
log(`table ${table}: ${iif} (VIF 0) -> ${oifs.join(', ')}`);

mr.onMessage((m) => {
  if (m.kind !== 'igmpmsg' || m.msgtypeName !== 'IGMPMSG_NOCACHE') return;
  const ttls: number[] = [];
  for (const o of oifs) ttls[vifOf.get(o)!] = 1;
  for (let i = 0; i < ttls.length; i++) ttls[i] ??= 0;
  if (m.vif !== 0) {
    log(`table ${table}: (${m.src}, ${m.dst}) arrived on VIF ${m.vif}, not ${iif}: not forwarded`);
    mr.setsockopt(IPPROTO_IP, MRT_ADD_MFC, { mfcc_origin: m.src, mfcc_mcastgrp: m.dst, mfcc_parent: m.vif, mfcc_ttls: [] });
    return;
  }
  mr.setsockopt(IPPROTO_IP, MRT_ADD_MFC, { mfcc_origin: m.src, mfcc_mcastgrp: m.dst, mfcc_parent: 0, mfcc_ttls: ttls });
  log(`table ${table}: (${m.src}, ${m.dst}) ${iif} -> ${oifs.join(', ')}`);
});
