import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Conversation, Operator } from './api/types';
import { Controller } from './controller';
import { conv } from './state/fixtures.test-util';

const me: Operator = {
  id: '7', account_id: '1', name: 'Анна', email: 'a@x', role: 'operator', status: 'available', status_at: '', deactivated: false,
  limit: 5, open_count: 1, settings: {},
};

class FakeWebSocket {
  static all: FakeWebSocket[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: string }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) { FakeWebSocket.all.push(this); }
  send() {}
  close() {}
  frame(f: object) { this.onmessage?.({ data: JSON.stringify(f) }); }
}

/** A fake server: each GET of the open list waits until the test releases it. */
function fakeServer(pages: Conversation[][]) {
  const calls: string[] = [];
  const waiting: (() => void)[] = [];
  let listCalls = 0;
  const fetchMock = vi.fn(async (url: string) => {
    calls.push(url);
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });
    if (url.startsWith('/api/v1/conversations?state=open')) {
      const items = pages[Math.min(listCalls++, pages.length - 1)];
      await new Promise<void>((resolve) => waiting.push(resolve));
      return json({ items, next_cursor: null });
    }
    if (url === '/api/v1/me') return json(me);
    if (url === '/api/v1/operators') return json({ items: [] });
    if (url.includes('/messages')) return json({ items: [], next_cursor: null });
    return new Response(null, { status: 204 });
  });
  return { fetchMock, calls, release: () => waiting.splice(0).forEach((r) => r()) };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('controller: loading, resync and resume', () => {
  beforeEach(() => {
    FakeWebSocket.all = [];
    localStorage.clear();
    vi.stubGlobal('WebSocket', FakeWebSocket);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('holds events that arrive while the list loads, then applies them on top of it', async () => {
    const srv = fakeServer([[conv('31', '2026-03-01T09:00:00Z')]]);
    vi.stubGlobal('fetch', srv.fetchMock);
    const ctl = new Controller(me, () => {});
    ctl.start();
    const ws = FakeWebSocket.all[0];
    expect(ws.url).toMatch(/\/api\/v1\/ws$/);
    ws.frame({ type: 'ready', cursor: '100' });
    await settle();
    // A new message for 31 and a new conversation arrive before the list answers.
    ws.frame({ type: 'message.created', cursor: '101', data: {
      message: { id: '5', conversation_id: '31', author: { type: 'visitor', id: 'v', name: 'Гость' }, kind: 'text', text: 'ещё', attachments: [], created_at: '2026-03-01T10:00:00Z' },
      conversation: conv('31', '2026-03-01T10:00:00Z', { unread_count: 2 }) } });
    ws.frame({ type: 'conversation.assigned', cursor: '102', data: { conversation: conv('32', '2026-03-01T09:30:00Z') } });
    expect(ctl.state.open.order).toEqual([]);
    srv.release();
    await settle();
    await settle();
    expect(ctl.state.open.order).toEqual(['31', '32']);
    expect(ctl.state.open.byId['31'].unread_count).toBe(2);
    ctl.stop();
  });

  it('reloads the lists on resync and forgets loaded histories', async () => {
    const srv = fakeServer([[conv('31', '2026-03-01T09:00:00Z')], [conv('40', '2026-03-01T11:00:00Z')]]);
    vi.stubGlobal('fetch', srv.fetchMock);
    const ctl = new Controller(me, () => {});
    ctl.start();
    const ws = FakeWebSocket.all[0];
    ws.frame({ type: 'ready', cursor: '100' });
    await settle();
    srv.release();
    await settle();
    await settle();
    ctl.dispatch({ type: 'history.page', id: '31', items: [], before: null });
    expect(ctl.state.open.order).toEqual(['31']);

    ws.frame({ type: 'resync', cursor: '9000' });
    await settle();
    srv.release();
    await settle();
    await settle();
    expect(ctl.state.open.order).toEqual(['40']);
    expect(ctl.state.histories).toEqual({});
    ctl.stop();
  });

  it('after a drop, reconnects with the cursor of the last frame and does not reload', async () => {
    vi.useFakeTimers();
    const srv = fakeServer([[conv('31', '2026-03-01T09:00:00Z')]]);
    vi.stubGlobal('fetch', srv.fetchMock);
    const ctl = new Controller(me, () => {});
    ctl.start();
    const ws = FakeWebSocket.all[0];
    ws.frame({ type: 'ready', cursor: '100' });
    await vi.advanceTimersByTimeAsync(0);
    srv.release();
    await vi.advanceTimersByTimeAsync(0);
    ws.frame({ type: 'operator.status', cursor: '105', data: { operator: { id: '7', name: 'Анна', role: 'operator', status: 'pause', open_count: 1, limit: 5 } } });
    expect(ctl.state.me.status).toBe('pause');
    ws.onclose?.({});
    expect(ctl.state.link).toBe('offline');
    await vi.advanceTimersByTimeAsync(1000);
    const again = FakeWebSocket.all[1];
    expect(again.url).toMatch(/\?cursor=105$/);
    again.frame({ type: 'ready', cursor: '110' });
    await vi.advanceTimersByTimeAsync(0);
    expect(ctl.state.link).toBe('online');
    expect(srv.calls.filter((c) => c.startsWith('/api/v1/conversations?state=open'))).toHaveLength(1);
    ctl.stop();
    vi.useRealTimers();
  });
});
