export * from './time.js';
export * from './prng.js';
export * from './trace.js';
export * from './tracer.js';
export * from './event-queue.js';
export * from './sim.js';
export * from './timer.js';
export * from './fingerprint.js';
