// Protocol handlers that subsystems install in every namespace (inet_add_protocol at module init: PIM).
// A module of its own, importing nothing at run time: a subsystem registers here while the module graph is
// still loading, whatever the import order (a static field on Ipv4Netns may not exist yet in a cycle).

import type { Ipv4Netns } from './ipv4-netns.js';

export const protocolInits: Array<(v4: Ipv4Netns) => void> = [];
