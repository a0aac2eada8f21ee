// The tour: another correct route for the sender passes.

import { describe, expect, it } from 'vitest';
import { answered, failedChecks, loadLab } from './answers.js';

describe('00-tour', () => {
  it('a route for 224.0.0.0/4 instead of a default route passes', async () => {
    const s = answered(loadLab('labs/00-tour.yaml'), { 'Give the sender a route': ['src: ip route add 224.0.0.0/4 dev eth0'] });
    expect(await failedChecks(s)).toEqual([]);
  });
});
