import { describe, expect, it } from 'vitest';
import type { Conversation } from '../api/types';
import { LONG_WAIT_SECONDS, liveRows, waitingSince } from './live';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const ago = (sec: number) => new Date(NOW - sec * 1000).toISOString();

function conv(id: string, author: 'visitor' | 'operator' | 'system' | null, secAgo: number, extra: Partial<Conversation> = {}): Conversation {
  return {
    id, state: 'assigned', channel: 'webchat', contact_point: { id: '1', name: 'Сайт' },
    visitor: { id: 'v' + id, name: '', display_name: 'Гость' },
    last_message: author ? { text: 't' + id, author, at: ago(secAgo) } : null,
    last_message_at: ago(secAgo), visitor_closed: false, assignee_id: '7', unread_count: 0,
    queued_at: ago(secAgo + 60), assigned_at: ago(secAgo + 30), created_at: ago(secAgo + 60),
    ...extra,
  };
}

const ids = (items: Conversation[]) => liveRows(items, NOW).map((r) => r.conv.id);

describe('waitingSince', () => {
  it('is the visitor’s last message', () => {
    expect(waitingSince(conv('1', 'visitor', 30))).toBe(ago(30));
  });
  it('is null once the operator answered, for system lines and before any message', () => {
    expect(waitingSince(conv('1', 'operator', 30))).toBeNull();
    expect(waitingSince(conv('1', 'system', 30))).toBeNull();
    expect(waitingSince(conv('1', null, 30))).toBeNull();
  });
  it('is null when the visitor closed the conversation', () => {
    expect(waitingSince(conv('1', 'visitor', 30, { visitor_closed: true }))).toBeNull();
  });
});

describe('liveRows', () => {
  it('puts the longest waits first, then the rest by last message', () => {
    const items = [
      conv('1', 'operator', 10),
      conv('2', 'visitor', 60),
      conv('3', 'operator', 5),
      conv('4', 'visitor', 600),
      conv('5', 'visitor', 20, { visitor_closed: true }),
      conv('6', null, 1),
    ];
    expect(ids(items)).toEqual(['4', '2', '6', '3', '1', '5']);
  });
  it('measures the wait and marks waits over five minutes', () => {
    const rows = liveRows([conv('1', 'visitor', LONG_WAIT_SECONDS), conv('2', 'visitor', LONG_WAIT_SECONDS + 1), conv('3', 'operator', 900)], NOW);
    expect(rows.map((r) => [r.conv.id, r.waiting, r.longWait])).toEqual([
      ['2', LONG_WAIT_SECONDS + 1, true],
      ['1', LONG_WAIT_SECONDS, false],
      ['3', null, false],
    ]);
  });
  it('never shows a negative wait (clock skew)', () => {
    expect(liveRows([conv('1', 'visitor', -20)], NOW)[0].waiting).toBe(0);
  });
  it('breaks ties by the larger id, numerically', () => {
    expect(ids([conv('9', 'operator', 10), conv('10', 'operator', 10), conv('8', 'visitor', 30), conv('11', 'visitor', 30)]))
      .toEqual(['11', '8', '10', '9']);
  });
  it('does not change the input', () => {
    const items = [conv('1', 'operator', 10), conv('2', 'visitor', 60)];
    liveRows(items, NOW);
    expect(items.map((c) => c.id)).toEqual(['1', '2']);
  });
});
