import { describe, expect, it } from 'vitest';
import type { OperatorBrief, Status } from '../api/types';
import { assignBlock, transferBlock } from './status';

const op = (status: Status, open = 0, limit = 3): OperatorBrief => ({ id: '1', name: 'Оля', role: 'operator', status, status_at: '', open_count: open, limit });

describe('assignBlock (a queued conversation given by a supervisor)', () => {
  it('takes operators who are available or on pause, below the limit', () => {
    expect(assignBlock(op('available'))).toBeNull();
    expect(assignBlock(op('pause', 2))).toBeNull();
  });
  it('refuses away and offline whatever the channel, unlike an email transfer', () => {
    expect(assignBlock(op('away'))).toBe('queue.block.notOnline');
    expect(assignBlock(op('offline'))).toBe('queue.block.notOnline');
    expect(transferBlock('email', op('away'))).toBeNull();
  });
  it('refuses an operator at the limit', () => {
    expect(assignBlock(op('available', 3, 3))).toBe('transfer.block.limit');
    expect(assignBlock(op('pause', 0, 0))).toBe('transfer.block.limit');
  });
});
