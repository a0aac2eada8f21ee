// The wire formats, one import for the rest of the engine.
export * from './bytes.js';
export * from './checksum.js';
export * from './decode.js';
export * from './errors.js';
export * from './hex.js';
export * from './icmp.js';
export * from './igmp.js';
export * from './igmp-code.js';
export * from './igmpmsg.js';
export * from './ipv4.js';
export * from './ipv4-fields.js';
export * from './ipv4-options.js';
export * from './names.js';
export * from './pim.js';
export * from './pseudo-header.js';
export * from './udp.js';
