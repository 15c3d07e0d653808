import { describe, expect, it } from 'vitest';
import type { Message } from '../api/types';
import { addMessage, addPage, emptyHistory, markFailed } from './history';

function msg(id: string, extra: Partial<Message> = {}): Message {
  return {
    id, conversation_id: '31', author: { type: 'visitor', id: '9', name: 'Гость' }, kind: 'text', text: 'm' + id,
    attachments: [], created_at: '2026-03-01T09:00:00Z', ...extra,
  };
}
const ids = (h: { messages: Message[] }) => h.messages.map((m) => m.id);

describe('history', () => {
  it('puts pages (newest first from the API) oldest first, older pages above', () => {
    let h = addPage(emptyHistory, [msg('30'), msg('29'), msg('28')], '28');
    h = addPage(h, [msg('27'), msg('26')], null);
    expect(ids(h)).toEqual(['26', '27', '28', '29', '30']);
    expect(h.before).toBeNull();
  });

  it('ignores a message it already has (a live event racing a page load)', () => {
    let h = addPage(emptyHistory, [msg('2'), msg('1')], null);
    h = addMessage(h, msg('3'));
    h = addMessage(h, msg('3'));
    h = addPage(h, [msg('3'), msg('2')], null);
    expect(ids(h)).toEqual(['1', '2', '3']);
  });

  it('replaces the pending copy of a send with the stored one, whichever arrives first', () => {
    const pending = { ...msg('local-a', { client_id: 'a', author: { type: 'operator' as const, id: '7', name: 'Анна' } }), delivery: 'pending' as const };
    const stored = msg('40', { client_id: 'a', author: { type: 'operator', id: '7', name: 'Анна' } });
    let h = addPage(emptyHistory, [msg('39')], null);
    h = addMessage(h, pending);
    h = addMessage(h, msg('41'));
    expect(ids(h)).toEqual(['39', '41', 'local-a']);
    h = addMessage(h, stored);
    expect(ids(h)).toEqual(['39', '40', '41']);
    // The HTTP answer after the event: nothing changes.
    expect(addMessage(h, stored)).toBe(h);
    expect(ids(addMessage(h, pending))).toEqual(['39', '40', '41']);
  });

  it('marks a failed send, which a retry with the same client id then replaces', () => {
    const pending = { ...msg('local-b', { client_id: 'b' }), delivery: 'pending' as const };
    let h = addMessage(addPage(emptyHistory, [], null), pending);
    h = markFailed(h, 'b');
    expect(h.messages[0].delivery).toBe('failed');
    h = addMessage(h, { ...pending });
    expect(h.messages).toHaveLength(1);
    h = addMessage(h, msg('50', { client_id: 'b' }));
    expect(ids(h)).toEqual(['50']);
    expect(h.messages[0].delivery).toBeUndefined();
  });

  it('holds 10,000 messages loaded page by page', () => {
    let h = emptyHistory;
    for (let top = 10_000; top > 0; top -= 200) {
      const page = Array.from({ length: 200 }, (_, i) => msg(String(top - i)));
      h = addPage(h, page, top - 200 > 0 ? String(top - 199) : null);
    }
    expect(h.messages).toHaveLength(10_000);
    expect(h.messages[0].id).toBe('1');
    expect(h.messages[9_999].id).toBe('10000');
  });
});
