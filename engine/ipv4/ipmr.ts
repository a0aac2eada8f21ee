// ip_mr_init(): loading ipmr (CONFIG_IP_MROUTE=y) registers the MRT_* socket options and the
// /proc/net/ip_mr_vif and ip_mr_cache files. Per-namespace state is created on first use (ipmr-table.ts).

import './ipmr-proc.js';
import './ipmr-sockopt.js';

export { ipmrNet } from './ipmr-table.js';
