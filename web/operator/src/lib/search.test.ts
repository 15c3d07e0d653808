import { describe, expect, it } from 'vitest';
import type { SearchResult } from '../api/types';
import { activeFilters, emptyFilters, mergeResults, searchParams } from './search';

const result = (id: string, match: SearchResult['match'] = 'message'): SearchResult => ({
  conversation: {
    id, state: 'closed', channel: 'webchat', contact_point: { id: '1', name: 'Сайт' }, visitor: { id: '9', name: '', display_name: 'Гость' },
    last_message: null, last_message_at: '2026-03-01T09:30:00.000Z', visitor_closed: false, assignee_id: '7', unread_count: 0,
    queued_at: '2026-03-01T09:30:00.000Z', created_at: '2026-03-01T09:30:00.000Z',
  },
  match, snippet: [{ text: 'заказ', hit: true }],
});

describe('search filters', () => {
  it('sends only what is set, the dates with the time zone', () => {
    expect(searchParams('  заказа 4512 ', emptyFilters, 'Europe/Moscow')).toEqual({ q: 'заказа 4512' });
    expect(searchParams('заказ', { ...emptyFilters, state: 'closed', operator: '7', contactPoint: '3', from: '2026-02-01' }, 'Europe/Moscow'))
      .toEqual({ q: 'заказ', state: 'closed', operator: '7', contact_point: '3', from: '2026-02-01', tz: 'Europe/Moscow' });
    expect(searchParams('x', { ...emptyFilters, channel: 'email', category: '2', to: '2026-02-07' }, 'UTC'))
      .toEqual({ q: 'x', channel: 'email', category: '2', to: '2026-02-07', tz: 'UTC' });
  });

  it('counts the filters set', () => {
    expect(activeFilters(emptyFilters)).toBe(0);
    expect(activeFilters({ ...emptyFilters, state: 'open', from: '2026-01-01', to: '2026-01-02' })).toBe(3);
  });
});

describe('mergeResults', () => {
  it('adds a page without showing a conversation twice', () => {
    const first = [result('5', 'visitor'), result('4')];
    const merged = mergeResults(first, [result('4'), result('3'), result('5'), result('2')]);
    expect(merged.map((r) => r.conversation.id)).toEqual(['5', '4', '3', '2']);
    expect(merged[0].match).toBe('visitor');
  });
});
