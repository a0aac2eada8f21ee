// Another correct daemon for lab 06, written differently from the reference: VIFs named by address and
// numbered from the LAN side (eth1 = VIF 0), NOCACHE upcalls collected and answered together by one
// periodic timer, each entry built from the VIF table it keeps by VIF number.

const mr = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
setsockopt(mr, IPPROTO_IP, MRT_INIT);

const names: string[] = [];
for (const itf of interfaces().reverse()) {
  if (itf.name === 'lo' || itf.addresses.length === 0) continue;
  setsockopt(mr, IPPROTO_IP, MRT_ADD_VIF, { vifc_vifi: names.length, vifc_lcl_addr: itf.addresses[0]!.address });
  names.push(itf.name);
}

const pending: IgmpmsgUpcall[] = [];
mr.onMessage((m) => {
  if (m.kind === 'igmpmsg' && m.msgtypeName === 'IGMPMSG_NOCACHE') pending.push(m);
});

setInterval(() => {
  for (const m of pending.splice(0)) {
    const ttls = names.map((_, v) => (v === m.vif ? 0 : 1));
    setsockopt(mr, IPPROTO_IP, MRT_ADD_MFC, { mfcc_origin: m.src, mfcc_mcastgrp: m.dst, mfcc_parent: m.vif, mfcc_ttls: ttls });
  }
}, 250);
