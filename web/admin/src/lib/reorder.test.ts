import { describe, expect, it } from 'vitest';
import { applyPositions, moveUpdates, nextPosition, sortByPosition } from './reorder';

const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

describe('reorder', () => {
  it('sorts by position, then id', () => {
    expect(ids(sortByPosition([{ id: '10', position: 0 }, { id: '9', position: 0 }, { id: '1', position: 2 }]))).toEqual(['9', '10', '1']);
  });
  it('moves an item up and renumbers only what changes', () => {
    const list = [{ id: 'a', position: 0 }, { id: 'b', position: 1 }, { id: 'c', position: 2 }];
    expect(moveUpdates(list, 'c', -1)).toEqual([{ id: 'c', position: 1 }, { id: 'b', position: 2 }]);
    expect(ids(applyPositions(list, moveUpdates(list, 'c', -1)))).toEqual(['a', 'c', 'b']);
  });
  it('handles equal positions (all zero)', () => {
    const list = [{ id: '1', position: 0 }, { id: '2', position: 0 }, { id: '3', position: 0 }];
    const ups = moveUpdates(list, '1', 1);
    expect(ids(applyPositions(list, ups))).toEqual(['2', '1', '3']);
    expect(ups.find((u) => u.id === '1')?.position).toBe(1);
  });
  it('refuses impossible moves', () => {
    const list = [{ id: 'a', position: 0 }, { id: 'b', position: 1 }];
    expect(moveUpdates(list, 'a', -1)).toEqual([]);
    expect(moveUpdates(list, 'b', 1)).toEqual([]);
    expect(moveUpdates(list, 'x', 1)).toEqual([]);
  });
  it('puts new items last', () => {
    expect(nextPosition([])).toBe(0);
    expect(nextPosition([{ id: 'a', position: 3 }, { id: 'b', position: 1 }])).toBe(4);
  });
});
