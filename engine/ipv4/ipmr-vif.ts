// net/ipv4/ipmr.c: virtual interfaces — vif_add(), vif_delete(), ipmr_find_vif(). A VIF holds its
// device in allmulti mode and counts in the device's conf/DEV/mc_forwarding.

import { devOpen, devSetAllmulti, registerNetdevice, unregisterNetdevice } from '../net/dev.js';
import { Errno, KernelError } from '../net/errno.js';
import type { NetDevice } from '../net/netdevice.js';
import { formatIpv4 } from '../wire/inet.js';
import { RT_TABLE_DEFAULT } from './fib-types.js';
import type { IpmrNet } from './ipmr-table.js';
import { VIFF_REGISTER, VIFF_STATIC, VIFF_TUNNEL, VIFF_USE_IFINDEX, type MrTable, type Vifctl } from './ipmr-types.js';

/** ipmr_find_vif(): the highest VIF index whose device is `dev`, or -1. */
export function ipmrFindVif(mrt: MrTable, dev: NetDevice): number {
  for (let ct = mrt.maxvif - 1; ct >= 0; ct--) if (mrt.vifTable[ct]?.dev === dev) return ct;
  return -1;
}

function fail(net: IpmrNet, fn: string, errno: Errno, data: Record<string, string | number>): never {
  net.ns.emit(fn, 'call', { ...data, decision: 'error', errno: Errno[errno] });
  throw new KernelError(errno);
}

/**
 * ipmr_reg_vif(): the register VIF's device, "pimreg" for table 253 and "pimreg<id>" otherwise, opened
 * at once with rp_filter 0. null when the name is taken (register_netdevice fails).
 */
function ipmrRegVif(net: IpmrNet, mrt: MrTable): NetDevice | null {
  const name = mrt.id === RT_TABLE_DEFAULT ? 'pimreg' : `pimreg${mrt.id}`;
  if (net.ns.devByName(name)) return null;
  const ev = net.ns.emit('ipmr_reg_vif', 'call', { table: mrt.id, dev: name });
  return net.ns.sim.trace.within(ev, () => {
    const dev = registerNetdevice(net.ns, name, 'pimreg');
    dev.inDev.conf.values.rp_filter = 0;
    devOpen(dev);
    return dev;
  });
}

/** vif_add(): `mrtsock` is true when the mroute socket itself adds it (otherwise the VIF is static). */
export function vifAdd(net: IpmrNet, mrt: MrTable, vifc: Vifctl, mrtsock: boolean): void {
  const ns = net.ns;
  const vifi = vifc.vifi;
  const base = { table: mrt.id, vifi, flags: vifc.flags };
  if (mrt.vifTable[vifi]) fail(net, 'vif_add', Errno.EADDRINUSE, { ...base, reason: 'VIF_EXISTS' });
  let dev: NetDevice | undefined;
  switch (vifc.flags) {
    case VIFF_REGISTER:
      if (mrt.regVifNum >= 0) fail(net, 'vif_add', Errno.EADDRINUSE, { ...base, reason: 'register VIF exists' });
      dev = ipmrRegVif(net, mrt) ?? fail(net, 'vif_add', Errno.ENOBUFS, { ...base, reason: 'ipmr_reg_vif: cannot register the pimreg device' });
      devSetAllmulti(dev, 1);
      break;
    case VIFF_TUNNEL:
      // ipmr_new_tunnel() needs the ipip module's tunl0, which the model has not.
      fail(net, 'vif_add', Errno.ENOBUFS, { ...base, reason: 'no tunl0 (ipip not modelled)' });
      break;
    case VIFF_USE_IFINDEX:
    case 0:
      if (vifc.flags === VIFF_USE_IFINDEX) dev = ns.devByIndex(vifc.lclIfindex ?? 0);
      else {
        // ip_dev_find(): the device holding this local address.
        for (const { dev: d, ifa } of ns.ipv4.allIfaddrs()) {
          if (ifa.local === (vifc.lclAddr ?? 0)) {
            dev = d;
            break;
          }
        }
      }
      if (!dev || !dev.inDev) fail(net, 'vif_add', Errno.EADDRNOTAVAIL, { ...base, reason: 'no such device' });
      devSetAllmulti(dev, 1);
      break;
    default:
      fail(net, 'vif_add', Errno.EINVAL, { ...base, reason: 'bad vifc_flags' });
  }
  dev.inDev.conf.values.mc_forwarding++;
  const flags = vifc.flags | (mrtsock ? 0 : VIFF_STATIC);
  mrt.vifTable[vifi] = {
    dev,
    bytesIn: 0,
    bytesOut: 0,
    pktIn: 0,
    pktOut: 0,
    rateLimit: vifc.rateLimit,
    threshold: vifc.threshold,
    flags,
    link: dev.ifindex,
    local: vifc.flags === VIFF_USE_IFINDEX ? (vifc.lclIfindex ?? 0) >>> 0 : (vifc.lclAddr ?? 0) >>> 0,
    remote: vifc.rmtAddr >>> 0,
  };
  if (vifi + 1 > mrt.maxvif) mrt.maxvif = vifi + 1;
  if (vifc.flags === VIFF_REGISTER) mrt.regVifNum = vifi;
  ns.emit('vif_add', 'state', { ...base, dev: dev.name, static: !mrtsock, local: formatIpv4(vifc.lclAddr ?? 0), mc_forwarding: dev.inDev.conf.values.mc_forwarding, maxvif: mrt.maxvif });
}

/** vif_delete(): MFC entries naming the VIF are left alone (their ttls still mark it). */
export function vifDelete(net: IpmrNet, mrt: MrTable, vifi: number, notify: boolean): void {
  const v = vifi < mrt.maxvif ? mrt.vifTable[vifi] : null;
  if (!v) fail(net, 'vif_delete', Errno.EADDRNOTAVAIL, { table: mrt.id, vifi, reason: 'no such VIF' });
  mrt.vifTable[vifi] = null;
  if (vifi === mrt.regVifNum) mrt.regVifNum = -1;
  if (vifi + 1 === mrt.maxvif) {
    let tmp = vifi - 1;
    while (tmp >= 0 && !mrt.vifTable[tmp]) tmp--;
    mrt.maxvif = tmp + 1;
  }
  devSetAllmulti(v.dev, -1);
  v.dev.inDev.conf.values.mc_forwarding--;
  const ev = net.ns.emit('vif_delete', 'state', { table: mrt.id, vifi, dev: v.dev.name, notify, mc_forwarding: v.dev.inDev.conf.values.mc_forwarding, maxvif: mrt.maxvif });
  // A register (or tunnel) VIF takes its device with it, unless the device's own unregistration got here.
  if (v.flags & VIFF_REGISTER && !notify) net.ns.sim.trace.within(ev, () => unregisterNetdevice(v.dev));
}
