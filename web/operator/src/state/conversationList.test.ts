import { describe, expect, it } from 'vitest';
import { addPage, emptyList, items, patch, remove, upsert } from './conversationList';
import { conv } from './fixtures.test-util';


const ids = (l: ReturnType<typeof addPage>) => items(l).map((c) => c.id);

describe('conversation list', () => {
  it('orders a page newest first, ties by id', () => {
    const l = addPage(emptyList, [
      conv('1', '2026-03-01T09:00:00Z'), conv('3', '2026-03-01T10:00:00Z'), conv('2', '2026-03-01T10:00:00Z'),
    ], null, true);
    expect(ids(l)).toEqual(['3', '2', '1']);
  });

  it('moves a conversation to the top when a new message arrives', () => {
    let l = addPage(emptyList, [conv('1', '2026-03-01T09:00:00Z'), conv('2', '2026-03-01T08:00:00Z'), conv('3', '2026-03-01T07:00:00Z')], null, true);
    l = upsert(l, conv('3', '2026-03-01T11:00:00Z'));
    expect(ids(l)).toEqual(['3', '1', '2']);
    l = upsert(l, conv('2', '2026-03-01T10:00:00Z'));
    expect(ids(l)).toEqual(['3', '2', '1']);
  });

  it('inserts a new conversation in its place and never twice', () => {
    let l = addPage(emptyList, [conv('1', '2026-03-01T09:00:00Z'), conv('2', '2026-03-01T07:00:00Z')], null, true);
    l = upsert(l, conv('5', '2026-03-01T08:00:00Z'));
    l = upsert(l, conv('5', '2026-03-01T08:00:00Z'));
    expect(ids(l)).toEqual(['1', '5', '2']);
  });

  it('leaves an item older than the loaded pages to its own page', () => {
    const l = addPage(emptyList, [conv('1', '2026-03-01T09:00:00Z')], 'next', true);
    expect(ids(upsert(l, conv('9', '2026-02-01T09:00:00Z')))).toEqual(['1']);
    const complete = addPage(emptyList, [conv('1', '2026-03-01T09:00:00Z')], null, true);
    expect(ids(upsert(complete, conv('9', '2026-02-01T09:00:00Z')))).toEqual(['1', '9']);
  });

  it('appends pages without duplicates and keeps the cursor', () => {
    let l = addPage(emptyList, [conv('3', '2026-03-01T10:00:00Z'), conv('2', '2026-03-01T09:00:00Z')], 'c1', true);
    l = addPage(l, [conv('2', '2026-03-01T09:00:00Z'), conv('1', '2026-03-01T08:00:00Z')], null, false);
    expect(ids(l)).toEqual(['3', '2', '1']);
    expect(l.cursor).toBeNull();
  });

  it('removes and patches by id', () => {
    let l = addPage(emptyList, [conv('1', '2026-03-01T09:00:00Z', { unread_count: 4 }), conv('2', '2026-03-01T08:00:00Z')], null, true);
    l = patch(l, '1', (c) => ({ ...c, unread_count: 0 }));
    expect(l.byId['1'].unread_count).toBe(0);
    l = remove(l, '1');
    expect(ids(l)).toEqual(['2']);
    expect(remove(l, 'nope')).toBe(l);
  });

  it('keeps 500 conversations ordered under a stream of updates', () => {
    const base = Date.parse('2026-03-01T00:00:00Z');
    let l = addPage(emptyList, Array.from({ length: 500 }, (_, i) => conv(String(i + 1), new Date(base + i * 1000).toISOString())), null, true);
    for (let k = 0; k < 200; k++) {
      const id = String(((k * 37) % 500) + 1);
      l = upsert(l, conv(id, new Date(base + 1_000_000 + k * 1000).toISOString()));
    }
    const times = items(l).map((c) => Date.parse(c.last_message_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(l.order).toHaveLength(500);
    expect(new Set(l.order).size).toBe(500);
  });
});
