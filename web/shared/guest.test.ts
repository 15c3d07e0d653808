import { describe, expect, it } from 'vitest';
import { guestNumber } from './guest';

describe('guestNumber', () => {
  it('is the server\'s number (livedesk.GuestNumber) for the same ids', () => {
    expect(['1', '15', '123456', '4294967295'].map(guestNumber)).toEqual([3761, 3751, 3216, 3535]);
  });
});
