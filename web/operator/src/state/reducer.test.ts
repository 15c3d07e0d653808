import { describe, expect, it } from 'vitest';
import type { EventFrame, Message, Operator, Transfer } from '../api/types';
import { conv } from './fixtures.test-util';
import { type AppState, attentionCount, initialState, reduce } from './reducer';

const me: Operator = {
  id: '7', account_id: '1', name: 'Анна', email: 'a@x', role: 'operator', status: 'available', status_at: '', deactivated: false,
  limit: 5, open_count: 1, settings: {},
};
const T0 = '2026-03-01T09:00:00Z';

function loaded(extra: Partial<Operator> = {}): AppState {
  let s = initialState({ ...me, ...extra });
  s = reduce(s, { type: 'operators', items: [
    { id: '7', name: 'Анна', role: 'operator', status: 'available', status_at: '', open_count: 1, limit: 5 },
    { id: '8', name: 'Борис', role: 'operator', status: 'available', status_at: '', open_count: 0, limit: 5 },
  ] });
  return reduce(s, { type: 'list.page', which: 'open', items: [conv('31', T0)], cursor: null, reset: true });
}

const ev = (f: Omit<EventFrame, 'cursor'>, cursor = '100'): { type: 'event'; frame: EventFrame } =>
  ({ type: 'event', frame: { ...f, cursor } as EventFrame });

function msg(id: string, extra: Partial<Message> = {}): Message {
  return { id, conversation_id: '31', author: { type: 'visitor', id: 'v31', name: 'Гость' }, kind: 'text', text: 'hi', attachments: [], created_at: T0, ...extra };
}

const transfer = (state: Transfer['state'], extra: Partial<Transfer> = {}): Transfer => ({
  id: '9', conversation_id: '31', from_operator_id: '7', to_operator_id: '8', comment: 'оплата', state,
  created_at: T0, expires_at: '2026-03-01T09:02:00Z', ...extra,
});

describe('event reducer', () => {
  it('a new assignment to me enters the list at the top; one for a colleague does not', () => {
    let s = loaded();
    s = reduce(s, ev({ type: 'conversation.assigned', data: { conversation: conv('32', '2026-03-01T10:00:00Z', { unread_count: 1 }) } }));
    s = reduce(s, ev({ type: 'conversation.assigned', data: { conversation: conv('33', '2026-03-01T11:00:00Z', { assignee_id: '8' }) } }));
    expect(s.open.order).toEqual(['32', '31']);
    expect(attentionCount(s)).toBe(1);
  });

  it('message.created re-orders the list, counts unread and appends to a loaded history once', () => {
    let s = loaded();
    s = reduce(s, ev({ type: 'conversation.assigned', data: { conversation: conv('32', '2026-03-01T10:00:00Z') } }));
    s = reduce(s, { type: 'history.page', id: '31', items: [msg('1')], before: null });
    const e = ev({ type: 'message.created', data: { message: msg('2'), conversation: conv('31', '2026-03-01T12:00:00Z', { unread_count: 1 }) } });
    s = reduce(reduce(s, e), e);
    expect(s.open.order).toEqual(['31', '32']);
    expect(s.open.byId['31'].unread_count).toBe(1);
    expect(s.histories['31'].messages.map((m) => m.id)).toEqual(['1', '2']);
    s = reduce(s, { type: 'read', id: '31' });
    expect(s.open.byId['31'].unread_count).toBe(0);
    expect(attentionCount(s)).toBe(0);
  });

  it('message.updated replaces the message in a loaded history (an email reply was sent)', () => {
    let s = loaded();
    const reply = msg('2', { author: { type: 'operator', id: '7', name: 'Анна' }, email_delivery: { state: 'pending' } });
    s = reduce(s, { type: 'history.page', id: '31', items: [reply, msg('1')], before: null });
    s = reduce(s, ev({ type: 'message.updated', data: { conversation_id: '31', message: { ...reply, email_delivery: { state: 'sent' } } } }));
    expect(s.histories['31'].messages.map((m) => [m.id, m.email_delivery?.state])).toEqual([['1', undefined], ['2', 'sent']]);
    // Unknown messages and unloaded histories are left alone.
    const same = reduce(s, ev({ type: 'message.updated', data: { conversation_id: '31', message: msg('99') } }));
    expect(same.histories['31']).toBe(s.histories['31']);
    expect(reduce(s, ev({ type: 'message.updated', data: { conversation_id: '40', message: msg('5') } })).histories['40']).toBeUndefined();
  });

  it('a visitor message ends the typing indicator', () => {
    let s = reduce(loaded(), { type: 'typing', data: { conversation_id: '31', author: 'visitor' }, now: 1000 });
    expect(s.typing['31']).toBeGreaterThan(1000);
    s = reduce(s, ev({ type: 'message.created', data: { message: msg('2'), conversation: conv('31', T0) } }));
    expect(s.typing['31']).toBeUndefined();
  });

  it('visitor_closed arrives with conversation.updated and stays in the list', () => {
    const s = reduce(loaded(), ev({ type: 'conversation.updated', data: { conversation: conv('31', T0, { visitor_closed: true }) } }));
    expect(s.open.byId['31'].visitor_closed).toBe(true);
  });

  it('closing removes the conversation and its selection', () => {
    let s = reduce(loaded(), { type: 'select', id: '31' });
    s = reduce(s, ev({ type: 'conversation.closed', data: { conversation: conv('31', T0, { state: 'closed' }), reason: 'closed' } }));
    expect(s.open.order).toEqual([]);
    expect(s.selectedId).toBeNull();
  });

  it('the sender sees «ожидает принятия», then the conversation leaves on accept', () => {
    let s = loaded();
    const pending = transfer('pending');
    s = reduce(s, ev({ type: 'transfer.offered', data: { transfer: pending, conversation: conv('31', T0, { pending_transfer: pending }) } }));
    expect(s.open.byId['31'].pending_transfer?.id).toBe('9');
    expect(s.offers).toEqual([]);
    s = reduce(s, ev({ type: 'transfer.accepted', data: { transfer: transfer('accepted') } }));
    s = reduce(s, ev({ type: 'conversation.removed', data: { conversation_id: '31', reason: 'transferred', to_operator_id: '8' } }));
    expect(s.open.order).toEqual([]);
    expect(s.notices.map((n) => n.key)).toEqual(['conversation.transferredAway']);
    expect(s.notices[0].params?.to).toBe('Борис');
  });

  it('a declined offer stays with the sender and says so', () => {
    let s = loaded();
    const pending = transfer('pending');
    s = reduce(s, ev({ type: 'transfer.offered', data: { transfer: pending, conversation: conv('31', T0, { pending_transfer: pending }) } }));
    s = reduce(s, ev({ type: 'transfer.declined', data: { transfer: transfer('declined'), reason: 'declined' } }));
    expect(s.open.byId['31'].pending_transfer).toBeUndefined();
    expect(s.notices.map((n) => n.key)).toEqual(['transfer.sender.declined']);
  });

  it('the receiver gets an offer once, and loses it when it expires', () => {
    let s = loaded({ id: '8', name: 'Борис' });
    const pending = transfer('pending');
    const offered = ev({ type: 'transfer.offered', data: { transfer: pending, conversation: conv('31', T0, { pending_transfer: pending }) } });
    s = reduce(reduce(s, offered), offered);
    expect(s.offers.map((o) => o.transfer.id)).toEqual(['9']);
    expect(s.open.byId['31']).toBeUndefined(); // still the sender's
    expect(attentionCount(s)).toBe(1);
    s = reduce(s, ev({ type: 'transfer.expired', data: { transfer: transfer('expired'), reason: 'expired' } }));
    expect(s.offers).toEqual([]);
    expect(s.notices.map((n) => n.key)).toEqual(['transfer.receiver.expired']);
  });

  it('operator.status updates colleagues and my own status and load', () => {
    let s = loaded();
    s = reduce(s, ev({ type: 'operator.status', data: { operator: { id: '8', name: 'Борис', role: 'operator', status: 'away', status_at: '', open_count: 2, limit: 3 } } }));
    s = reduce(s, ev({ type: 'operator.status', data: { operator: { id: '7', name: 'Анна', role: 'operator', status: 'pause', status_at: '', open_count: 4, limit: 5 } } }));
    expect(s.operators['8'].status).toBe('away');
    expect(s.me.status).toBe('pause');
    expect(s.me.open_count).toBe(4);
  });

  it('staff see the queue; an assignment takes a conversation out of it', () => {
    let s = loaded({ role: 'supervisor' });
    s = reduce(s, ev({ type: 'conversation.queued', data: { conversation: conv('40', T0, { state: 'queued', assignee_id: null }) } }));
    expect(s.queue.order).toEqual(['40']);
    s = reduce(s, ev({ type: 'conversation.assigned', data: { conversation: conv('40', T0, { assignee_id: '8' }) } }));
    expect(s.queue.order).toEqual([]);
    expect(s.open.order).toContain('40');
    const op = reduce(loaded(), ev({ type: 'conversation.queued', data: { conversation: conv('41', T0, { state: 'queued', assignee_id: null }) } }));
    expect(op.queue.order).toEqual([]);
  });
});
