import type { Conversation } from '../api/types';

/** A list item for tests: a webchat conversation of operator 7 with its last message at `at`. */
export function conv(id: string, at: string, extra: Partial<Conversation> = {}): Conversation {
  return {
    id, state: 'assigned', channel: 'webchat', contact_point: { id: '1', name: 'Сайт' },
    visitor: { id: 'v' + id, name: '', display_name: 'Гость' }, last_message: { text: 'hi', author: 'visitor', at },
    last_message_at: at, visitor_closed: false, assignee_id: '7', unread_count: 0, queued_at: at, created_at: at, ...extra,
  };
}
