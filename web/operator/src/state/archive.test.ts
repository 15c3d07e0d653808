import { describe, expect, it } from 'vitest';
import type { Conversation, EventFrame, Operator } from '../api/types';
import { addArchivePage, addClosed, closedFirst, emptyArchive, inArchiveOf } from './archive';
import { items } from './conversationList';
import { conv } from './fixtures.test-util';
import { attentionCount, initialState, reduce } from './reducer';

/** A closed conversation: last message at `last`, closed at `closed`. */
const closed = (id: string, last: string, at: string, extra: Partial<Conversation> = {}) =>
  conv(id, last, { state: 'closed', closed_at: at, category_id: '3', ...extra });
const ids = (a: typeof emptyArchive) => items(a).map((c) => c.id);

const me: Operator = {
  id: '7', account_id: '1', name: 'Анна', email: 'a@x', role: 'operator', status: 'available', status_at: '', deactivated: false,
  limit: 5, open_count: 1, settings: {},
};
const closedEvent = (c: Conversation, cursor = '100') =>
  ({ type: 'event' as const, frame: { type: 'conversation.closed', cursor, data: { conversation: c, reason: 'closed' } } as EventFrame });

describe('archive', () => {
  it('orders by closing time, newest first, ties by id — not by last message', () => {
    const a = addArchivePage(emptyArchive, [
      closed('1', '2026-03-01T12:00:00Z', '2026-03-01T12:05:00Z'),
      closed('2', '2026-03-01T09:00:00Z', '2026-03-01T15:00:00Z'), // older message, closed later
      closed('4', '2026-03-01T08:00:00Z', '2026-03-01T10:00:00Z'),
      closed('3', '2026-03-01T08:00:00Z', '2026-03-01T10:00:00Z'),
    ], 'c1', true);
    expect(ids(a)).toEqual(['2', '1', '4', '3']);
    expect(a.cursor).toBe('c1');
    expect(a.loaded).toBe(true);
    expect(closedFirst(a.byId['2'], a.byId['1'])).toBeLessThan(0);
  });

  it('merges the next page without duplicates, slotting each where it belongs', () => {
    let a = addArchivePage(emptyArchive, [
      closed('10', '2026-03-01T12:00:00Z', '2026-03-01T12:01:00Z'),
      closed('9', '2026-03-01T11:00:00Z', '2026-03-01T11:01:00Z'),
    ], 'c1', false);
    // The next page (by last message) repeats 9 (its copy is newer) and holds one closed late.
    a = addArchivePage(a, [
      closed('9', '2026-03-01T11:00:00Z', '2026-03-01T11:01:00Z', { category_id: '4' }),
      closed('5', '2026-03-01T07:00:00Z', '2026-03-01T13:00:00Z'),
      closed('4', '2026-03-01T06:00:00Z', '2026-03-01T06:30:00Z'),
    ], null, false);
    expect(ids(a)).toEqual(['5', '10', '9', '4']);
    expect(a.order).toHaveLength(new Set(a.order).size);
    expect(a.byId['9'].category_id).toBe('4');
    expect(a.cursor).toBeNull();
  });

  it('puts a conversation closed just now at the top, once, even if its page comes later', () => {
    let a = addArchivePage(emptyArchive, [
      closed('2', '2026-03-01T10:00:00Z', '2026-03-01T10:30:00Z'),
      closed('1', '2026-03-01T09:00:00Z', '2026-03-01T09:30:00Z'),
    ], 'more', true);
    const now = closed('8', '2026-03-01T08:00:00Z', '2026-03-01T11:00:00Z');
    a = addClosed(a, now);
    a = addClosed(a, now); // the event after the close's own answer
    expect(ids(a)).toEqual(['8', '2', '1']);
    a = addArchivePage(a, [now, closed('0', '2026-03-01T07:00:00Z', '2026-03-01T07:10:00Z')], null, false);
    expect(ids(a)).toEqual(['8', '2', '1', '0']);
  });

  it('a reset (resync) keeps what was closed live after the page and drops what the page no longer has', () => {
    let a = addArchivePage(emptyArchive, [closed('1', '2026-03-01T09:00:00Z', '2026-03-01T09:30:00Z')], null, true);
    a = addClosed(a, closed('5', '2026-03-01T11:00:00Z', '2026-03-01T12:00:00Z'));
    a = addArchivePage(a, [closed('2', '2026-03-01T10:00:00Z', '2026-03-01T10:30:00Z')], null, true);
    expect(ids(a)).toEqual(['5', '2']);
  });

  it('ignores what is not closed', () => {
    expect(addClosed(emptyArchive, conv('1', '2026-03-01T09:00:00Z'))).toBe(emptyArchive);
    expect(ids(addArchivePage(emptyArchive, [conv('1', '2026-03-01T09:00:00Z')], null, true))).toEqual([]);
  });

  it('an operator archives their own, staff everyone\'s', () => {
    const c = closed('1', '2026-03-01T09:00:00Z', '2026-03-01T09:30:00Z', { assignee_id: '8' });
    expect(inArchiveOf(c, '7', false)).toBe(false);
    expect(inArchiveOf(c, '8', false)).toBe(true);
    expect(inArchiveOf(c, '7', true)).toBe(true);
    expect(inArchiveOf({ ...c, assignee_id: null }, '7', false)).toBe(false);
  });
});

describe('archive in the app state', () => {
  const T0 = '2026-03-01T09:00:00Z';
  function loaded() {
    let s = initialState(me);
    s = reduce(s, { type: 'list.page', which: 'open', items: [conv('31', T0, { unread_count: 2 }), conv('32', T0)], cursor: null, reset: true });
    return reduce(s, { type: 'archive.page', items: [closed('20', T0, '2026-03-01T09:10:00Z')], cursor: null, reset: false });
  }

  it('conversation.closed moves it from the work list to the top of the archive, idempotently', () => {
    let s = loaded();
    s = reduce(s, { type: 'select', id: '32' });
    const c = closed('32', T0, '2026-03-01T10:00:00Z');
    s = reduce(s, closedEvent(c));
    s = reduce(s, closedEvent(c));
    expect(s.open.order).toEqual(['31']);
    expect(s.archive.order).toEqual(['32', '20']);
    expect(s.selectedId).toBeNull(); // it was open in the work list
  });

  it('the local close (the server\'s answer) files it too, and the event after changes nothing', () => {
    let s = loaded();
    const c = closed('32', T0, '2026-03-01T10:00:00Z');
    s = reduce(s, { type: 'closed', id: '32', conversation: c });
    const after = reduce(s, closedEvent(c));
    expect(after.archive.order).toEqual(['32', '20']);
    expect(after.open.order).toEqual(['31']);
  });

  it('an operator\'s archive does not take a colleague\'s closed conversation (staff\'s does)', () => {
    const c = closed('40', T0, '2026-03-01T10:00:00Z', { assignee_id: '8' });
    expect(reduce(loaded(), closedEvent(c)).archive.order).toEqual(['20']);
    let staff = initialState({ ...me, role: 'supervisor' });
    staff = reduce(staff, closedEvent(c));
    expect(staff.archive.order).toEqual(['40']);
  });

  it('viewing an archived conversation survives a replayed close; unread and the title counter are untouched', () => {
    let s = loaded();
    s = reduce(s, { type: 'select', id: '20' });
    const before = attentionCount(s);
    s = reduce(s, closedEvent(s.archive.byId['20']));
    expect(s.selectedId).toBe('20');
    expect(s.open.byId['31'].unread_count).toBe(2);
    expect(attentionCount(s)).toBe(before);
  });

  it('categories are kept by id', () => {
    const s = reduce(loaded(), { type: 'categories', items: [{ id: '3', name: 'Оплата', position: 0 }] });
    expect(s.categories['3'].name).toBe('Оплата');
  });
});
