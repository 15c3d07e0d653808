import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoff, Chat, type SocketLike } from './chat';
import type { Message } from './api';

// A fake livedesk: a fetch that answers the visitor API from handlers, and WebSockets the
// test drives frame by frame.

class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  onopen: ((ev: any) => void) | null = null;
  onmessage: ((ev: any) => void) | null = null;
  onclose: ((ev: any) => void) | null = null;
  onerror: ((ev: any) => void) | null = null;
  sent: string[] = [];
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  get cursor(): string | null {
    return new URL(this.url).searchParams.get('cursor');
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  frame(f: object) {
    this.onmessage?.({ data: JSON.stringify(f) });
  }
  /** The server or the network drops the connection. */
  drop() {
    this.readyState = 3;
    this.onclose?.({ code: 1006 });
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
}

type Handler = (body: any, url: URL) => { status: number; json?: unknown } | 'network';

interface Call {
  method: string;
  path: string;
  body: any;
  auth: string | null;
}

function fakeServer() {
  const calls: Call[] = [];
  const handlers: Record<string, Handler[]> = {};
  const on = (method: string, path: string, ...h: Handler[]) => { handlers[method + ' ' + path] = h; };
  const fetch = async (input: string, init?: RequestInit) => {
    const url = new URL(input);
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    const auth = (init?.headers as Record<string, string> | undefined)?.Authorization ?? null;
    calls.push({ method: init?.method ?? 'GET', path: url.pathname, body, auth });
    const list = handlers[(init?.method ?? 'GET') + ' ' + url.pathname];
    if (!list?.length) throw new Error('unexpected ' + (init?.method ?? 'GET') + ' ' + url.pathname);
    const h = list.length > 1 ? list.shift()! : list[0]!; // the last handler answers from then on
    const r = h(body, url);
    if (r === 'network') throw new TypeError('Failed to fetch');
    const text = r.json === undefined ? '' : JSON.stringify(r.json);
    return { ok: r.status < 300, status: r.status, statusText: '', text: async () => text } as unknown as Response;
  };
  return { calls, on, fetch };
}

const appearance = { color: '#2563eb', title: '', greeting: '', position: 'right', ask_email: false, ask_phone: false };
const contactPoint = { id: '2', name: 'Сайт', settings: appearance };

function msg(id: string, type: 'visitor' | 'operator' | 'system', text: string, extra: Partial<Message> = {}): Message {
  return {
    id, conversation_id: '31', author: { type, id: type === 'operator' ? '7' : '15', name: type === 'operator' ? 'Анна' : 'Гость' },
    kind: type === 'system' ? 'system' : 'text', text, attachments: [], created_at: '2026-03-01T09:30:00.000Z', ...extra,
  };
}

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

async function flush() {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

function setup(opts: { token?: string; storage?: ReturnType<typeof memoryStorage> } = {}) {
  const srv = fakeServer();
  const storage = opts.storage ?? memoryStorage();
  if (opts.token) storage.setItem('livedesk:k1:token', opts.token);
  srv.on('GET', '/api/v1/widget/k1/config', () => ({ status: 200, json: { contact_point: contactPoint, online: true } }));
  srv.on('POST', '/api/v1/widget/k1/session', () => ({
    status: 200,
    json: { visitor_token: 'tok-15', visitor: { id: '15', name: '', display_name: 'Гость' }, contact_point: contactPoint, online: true },
  }));
  srv.on('GET', '/api/v1/widget/messages', () => ({ status: 200, json: { items: [], next_cursor: null } }));
  const chat = new Chat({ base: 'https://desk.example', key: 'k1', fetch: srv.fetch, WebSocket: FakeSocket, storage, random: () => 0.5 });
  return { srv, chat, storage };
}

const sockets = () => FakeSocket.all;
const lastSocket = () => FakeSocket.all[FakeSocket.all.length - 1]!;
const texts = (chat: Chat) => chat.state.messages.map((m) => m.text);

beforeEach(() => {
  FakeSocket.all = [];
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('reconnect and resume', () => {
  it('loads the history after the first ready, then resumes from the last cursor after every drop', async () => {
    const { srv, chat } = setup({ token: 'tok-15' });
    srv.on('GET', '/api/v1/widget/messages', () => ({
      status: 200, json: { items: [msg('2', 'operator', 'Здравствуйте!'), msg('1', 'visitor', 'Привет')], next_cursor: null },
    }));
    await chat.start();
    expect(sockets()).toHaveLength(1);
    expect(sockets()[0]!.cursor).toBeNull(); // first connection: no replay, the history comes over REST
    expect(sockets()[0]!.url).toContain('token=tok-15');
    sockets()[0]!.open();
    sockets()[0]!.frame({ type: 'ready', cursor: '100' });
    await flush();
    expect(texts(chat)).toEqual(['Привет', 'Здравствуйте!']);
    expect(chat.state.connection).toBe('online');

    sockets()[0]!.frame({ type: 'message.created', cursor: '105', data: { message: msg('3', 'operator', 'Чем помочь?') } });
    sockets()[0]!.drop();
    expect(chat.state.connection).toBe('offline');
    expect(sockets()).toHaveLength(1); // not at once: after a backoff
    await vi.advanceTimersByTimeAsync(backoff(0, () => 0.5));
    expect(sockets()).toHaveLength(2);
    expect(sockets()[1]!.cursor).toBe('105');

    // The replay repeats a message already shown and brings one that was missed.
    const s2 = sockets()[1]!;
    s2.open();
    s2.frame({ type: 'message.created', cursor: '105', data: { message: msg('3', 'operator', 'Чем помочь?') } });
    s2.frame({ type: 'message.created', cursor: '108', data: { message: msg('4', 'operator', 'Вы здесь?') } });
    s2.frame({ type: 'ready', cursor: '110' });
    await flush();
    expect(texts(chat)).toEqual(['Привет', 'Здравствуйте!', 'Чем помочь?', 'Вы здесь?']);
    expect(srv.calls.filter((c) => c.path === '/api/v1/widget/messages')).toHaveLength(1); // no reload on resume

    s2.drop();
    await vi.advanceTimersByTimeAsync(backoff(0, () => 0.5));
    expect(lastSocket().cursor).toBe('110'); // the ready cursor counts too
    chat.stop();
  });

  it('learns availability from the pushed event, and asks again after a resume (the event is not replayed)', async () => {
    const { srv, chat } = setup({ token: 'tok-15' });
    await chat.start();
    lastSocket().open();
    lastSocket().frame({ type: 'ready', cursor: '100' });
    await flush();
    expect(chat.state.online).toBe(true);
    lastSocket().frame({ type: 'availability', cursor: '101', data: { online: false } });
    expect(chat.state.online).toBe(false);
    lastSocket().frame({ type: 'availability', cursor: '102', data: { online: true } });
    expect(chat.state.online).toBe(true);

    // The last operator leaves while the socket is down: the resumed socket replays nothing
    // about it, so the widget reads the config again.
    srv.on('GET', '/api/v1/widget/k1/config', () => ({ status: 200, json: { contact_point: contactPoint, online: false } }));
    lastSocket().drop();
    await vi.advanceTimersByTimeAsync(backoff(0, () => 0.5));
    lastSocket().open();
    lastSocket().frame({ type: 'ready', cursor: '110' });
    await flush();
    expect(chat.state.online).toBe(false);
    chat.stop();
  });

  it('backs off more after each failed attempt, up to 30 seconds', async () => {
    const { chat } = setup({ token: 'tok-15' });
    await chat.start();
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) waits.push(backoff(i, () => 0.5));
    lastSocket().drop(); // never opened
    await vi.advanceTimersByTimeAsync(waits[0]!);
    expect(sockets()).toHaveLength(2);
    lastSocket().drop();
    await vi.advanceTimersByTimeAsync(waits[1]! - 1);
    expect(sockets()).toHaveLength(2); // still waiting: the second wait is longer
    expect(waits[1]).toBeGreaterThan(waits[0]!);
    expect(backoff(50, () => 1)).toBe(30_000);
    chat.stop();
  });

  it('reloads the history on resync', async () => {
    const { srv, chat } = setup({ token: 'tok-15' });
    await chat.start();
    lastSocket().open();
    lastSocket().frame({ type: 'ready', cursor: '10' });
    await flush();
    srv.on('GET', '/api/v1/widget/messages', () => ({ status: 200, json: { items: [msg('9', 'operator', 'Пока вас не было')], next_cursor: null } }));
    lastSocket().drop();
    await vi.advanceTimersByTimeAsync(1000);
    lastSocket().open();
    lastSocket().frame({ type: 'resync', cursor: '500' });
    await flush();
    expect(texts(chat)).toEqual(['Пока вас не было']);
    lastSocket().drop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(lastSocket().cursor).toBe('500');
    chat.stop();
  });

  it('starts a new session when the token is refused', async () => {
    const { srv, chat, storage } = setup({ token: 'old-token' });
    await chat.start();
    srv.on('GET', '/api/v1/widget/messages', () => ({ status: 401, json: { error: { code: 'unauthenticated', message: 'visitor token is not valid' } } }));
    srv.on('POST', '/api/v1/widget/k1/session', () => ({
      status: 200, json: { visitor_token: 'tok-99', visitor: { id: '99', name: '', display_name: 'Гость' }, contact_point: contactPoint, online: true },
    }));
    lastSocket().drop();
    await vi.advanceTimersByTimeAsync(1000);
    lastSocket().drop(); // the handshake keeps failing: the widget asks over HTTP
    await vi.advanceTimersByTimeAsync(2000);
    await flush();
    expect(storage.getItem('livedesk:k1:token')).toBe('tok-99');
    expect(lastSocket().url).toContain('token=tok-99');
    expect(lastSocket().cursor).toBeNull();
    chat.stop();
  });
});

describe('token renewal', () => {
  it('resumes with the renewal key, renews the token before it expires and after a 401, keeping the visitor', async () => {
    const storage = memoryStorage();
    storage.setItem('livedesk:k1:key', 'key-15');
    const { srv, chat } = setup({ token: 'tok-15', storage });
    let n = 0;
    srv.on('POST', '/api/v1/widget/k1/session', () => ({
      status: 200,
      json: {
        visitor_token: `tok-15-${++n}`, visitor_key: `key-15-${n}`, token_expires_at: new Date(Date.now() + 30 * 60_000).toISOString(),
        visitor: { id: '15', name: '', display_name: 'Гость' }, contact_point: contactPoint, online: true,
      },
    }));
    srv.on('GET', '/api/v1/widget/messages', () => ({ status: 200, json: { items: [msg('1', 'visitor', 'Привет')], next_cursor: null } }));
    await chat.start();
    const sessions = () => srv.calls.filter((c) => c.path === '/api/v1/widget/k1/session');
    expect(sessions()[0]!.body).toEqual({ visitor_key: 'key-15' }); // the key, not the token
    lastSocket().open();
    lastSocket().frame({ type: 'ready', cursor: '10' });
    await flush();
    expect(texts(chat)).toEqual(['Привет']);
    expect(sessions()).toHaveLength(2); // the ready frame refreshes the session (with the key)
    expect(sessions()[1]!.body).toEqual({ visitor_key: 'key-15-1' });

    // Before the token's 30 minutes are over, it is renewed quietly.
    await vi.advanceTimersByTimeAsync(21 * 60_000);
    expect(sessions()).toHaveLength(3);
    expect(sessions()[2]!.body).toEqual({ visitor_key: 'key-15-2' });
    expect(storage.getItem('livedesk:k1:token')).toBe('tok-15-3');

    // A token refused as expired is renewed with the key and the send goes through, once.
    lastSocket().open(); // (the fake server answered no pings: the widget has reconnected)
    lastSocket().frame({ type: 'ready', cursor: '11' });
    await flush();
    srv.on('POST', '/api/v1/widget/messages',
      () => ({ status: 401, json: { error: { code: 'unauthenticated', message: 'expired', details: { reason: 'token_expired' } } } }),
      (body, _u) => ({ status: 201, json: msg('2', 'visitor', body.text, { client_id: body.client_id }) }));
    chat.send('Ещё вопрос');
    await vi.advanceTimersByTimeAsync(1000);
    await flush();
    expect(sessions()[3]!.body).toEqual({ visitor_key: 'key-15-3' });
    expect(srv.calls.filter((c) => c.method === 'POST' && c.path === '/api/v1/widget/messages').pop()!.auth).toBe('Bearer tok-15-4');
    expect(texts(chat)).toEqual(['Привет', 'Ещё вопрос']); // same visitor: the history stays
    chat.stop();
  });
});

describe('sending', () => {
  it('retries a failed send with the same client_id and shows the message once', async () => {
    const { srv, chat } = setup({ token: 'tok-15' });
    await chat.start();
    lastSocket().open();
    lastSocket().frame({ type: 'ready', cursor: '1' });
    await flush();
    let stored: Message | undefined;
    srv.on('POST', '/api/v1/widget/messages',
      () => 'network',
      () => ({ status: 503, json: { error: { code: 'unavailable', message: 'server is shutting down' } } }),
      (body) => {
        stored ??= msg('40', 'visitor', body.text, { client_id: body.client_id });
        return { status: 201, json: stored };
      });
    chat.send('Не проходит оплата');
    await flush();
    expect(chat.state.messages).toHaveLength(1);
    expect(chat.state.messages[0]!.delivery).toBe('queued');

    await vi.advanceTimersByTimeAsync(60_000);
    await flush();
    const posts = srv.calls.filter((c) => c.method === 'POST' && c.path === '/api/v1/widget/messages');
    expect(posts.length).toBe(3);
    expect(new Set(posts.map((p) => p.body.client_id)).size).toBe(1);
    expect(posts[0]!.auth).toBe('Bearer tok-15');
    expect(chat.state.messages).toHaveLength(1);
    expect(chat.state.messages[0]).toMatchObject({ id: '40', delivery: 'sent', text: 'Не проходит оплата' });

    // The same message over the WebSocket (live and replayed) changes nothing.
    lastSocket().frame({ type: 'message.created', cursor: '2', data: { message: stored } });
    lastSocket().frame({ type: 'message.created', cursor: '2', data: { message: stored } });
    expect(chat.state.messages).toHaveLength(1);
    chat.stop();
  });

  it('takes a message that arrives over the WebSocket before the POST answer only once', async () => {
    const { srv, chat } = setup({ token: 'tok-15' });
    await chat.start();
    lastSocket().open();
    lastSocket().frame({ type: 'ready', cursor: '1' });
    await flush();
    const ws = lastSocket();
    srv.on('POST', '/api/v1/widget/messages', (body) => {
      const m = msg('41', 'visitor', body.text, { client_id: body.client_id });
      ws.frame({ type: 'message.created', cursor: '2', data: { message: m } }); // the event wins the race
      return { status: 201, json: m };
    });
    chat.send('Привет');
    await flush();
    expect(chat.state.messages.map((m) => [m.id, m.delivery])).toEqual([['41', 'sent']]);
    chat.stop();
  });

  it('keeps unsent messages across a reload and sends them with their client_id', async () => {
    const storage = memoryStorage();
    const first = setup({ token: 'tok-15', storage });
    await first.chat.start();
    first.srv.on('POST', '/api/v1/widget/messages', () => 'network');
    lastSocket().open();
    lastSocket().frame({ type: 'ready', cursor: '5' });
    first.chat.send('Сообщение без сети');
    await flush();
    const clientId = first.srv.calls.find((c) => c.method === 'POST' && c.path === '/api/v1/widget/messages')!.body.client_id;
    first.chat.stop();

    const second = setup({ storage });
    expect(texts(second.chat)).toEqual(['Сообщение без сети']);
    second.srv.on('POST', '/api/v1/widget/messages', (body) => ({ status: 201, json: msg('50', 'visitor', body.text, { client_id: body.client_id }) }));
    await second.chat.start();
    lastSocket().open();
    lastSocket().frame({ type: 'ready', cursor: '7' });
    await flush();
    const post = second.srv.calls.find((c) => c.method === 'POST' && c.path === '/api/v1/widget/messages')!;
    expect(post.body.client_id).toBe(clientId);
    expect(second.chat.state.messages.map((m) => [m.id, m.delivery])).toEqual([['50', 'sent']]);
    expect(storage.getItem('livedesk:k1:outbox')).toBeNull();
    second.chat.stop();
  });

  it('marks a refused message failed and retries it by hand with the same client_id', async () => {
    const { srv, chat } = setup({ token: 'tok-15' });
    await chat.start();
    srv.on('POST', '/api/v1/widget/messages',
      () => ({ status: 400, json: { error: { code: 'invalid_input', message: 'text is empty' } } }),
      (body) => ({ status: 201, json: msg('60', 'visitor', body.text, { client_id: body.client_id }) }));
    lastSocket().open();
    lastSocket().frame({ type: 'ready', cursor: '1' });
    chat.send('x');
    await flush();
    const failed = chat.state.messages[0]!;
    expect(failed.delivery).toBe('failed');
    chat.retry(failed.clientId!);
    await flush();
    const posts = srv.calls.filter((c) => c.method === 'POST' && c.path === '/api/v1/widget/messages');
    expect(posts.map((p) => p.body.client_id)).toEqual([failed.clientId, failed.clientId]);
    expect(chat.state.messages.map((m) => m.delivery)).toEqual(['sent']);
    chat.stop();
  });
});

describe('conversation state', () => {
  it('is queued after the first message, names the operator who joins, and ends on close', async () => {
    const { srv, chat } = setup({ token: 'tok-15' });
    await chat.start();
    const ws = lastSocket();
    ws.open();
    ws.frame({ type: 'ready', cursor: '1' });
    srv.on('POST', '/api/v1/widget/messages', (body) => ({ status: 201, json: msg('70', 'visitor', body.text, { client_id: body.client_id }) }));
    chat.send('Здравствуйте');
    await flush();
    expect(chat.state.conversation).toMatchObject({ id: '31', state: 'queued' });
    ws.frame({ type: 'operator.joined', cursor: '3', data: { conversation_id: '31', operator: { id: '7', name: 'Анна' } } });
    expect(chat.state.conversation).toMatchObject({ state: 'assigned', operator: { name: 'Анна' } });
    ws.frame({ type: 'typing', data: { conversation_id: '31', author: 'operator', name: 'Анна' } });
    expect(chat.state.typing).toBe('Анна');
    await vi.advanceTimersByTimeAsync(7000);
    expect(chat.state.typing).toBeNull();
    // The operator stayed offline: the conversation is queued again, then someone else takes it.
    ws.frame({ type: 'conversation.queued', cursor: '3a', data: { conversation_id: '31', reason: 'requeued' } });
    expect(chat.state.conversation).toMatchObject({ id: '31', state: 'queued' });
    expect(chat.state.conversation?.operator).toBeUndefined();
    ws.frame({ type: 'operator.joined', cursor: '3b', data: { conversation_id: '31', operator: { id: '8', name: 'Борис' } } });
    expect(chat.state.conversation).toMatchObject({ state: 'assigned', operator: { name: 'Борис' } });

    srv.on('POST', '/api/v1/widget/close', () => ({ status: 200, json: { id: '31', state: 'assigned', visitor_closed: true } }));
    await chat.closeConversation();
    expect(chat.state.conversation).toBeNull();
    expect(chat.state.closed).toBe(true);
    // The system line of the close arrives afterwards: the closed conversation stays closed.
    ws.frame({ type: 'message.created', cursor: '4', data: { message: msg('71', 'system', 'Посетитель закрыл обращение') } });
    ws.frame({ type: 'conversation.closed', cursor: '5', data: { conversation_id: '31', reason: 'visitor_closed' } });
    expect(chat.state.conversation).toBeNull();
    // Writing again starts a new conversation.
    srv.on('POST', '/api/v1/widget/messages', (body) => ({ status: 201, json: msg('80', 'visitor', body.text, { client_id: body.client_id, conversation_id: '32' }) }));
    chat.send('Ещё вопрос');
    await flush();
    expect(chat.state.conversation).toMatchObject({ id: '32', state: 'queued' });
    expect(chat.state.closed).toBe(false);
    chat.stop();
  });

  it('counts operator messages as unread while the window is closed', async () => {
    const { chat } = setup({ token: 'tok-15' });
    await chat.start();
    lastSocket().open();
    lastSocket().frame({ type: 'ready', cursor: '1' });
    lastSocket().frame({ type: 'message.created', cursor: '2', data: { message: msg('5', 'operator', 'Ответ') } });
    expect(chat.state.unread).toBe(1);
    chat.open();
    expect(chat.state.unread).toBe(0);
    chat.stop();
  });

  it('does not create a visitor before it is needed, and sends the intro with the session', async () => {
    const { srv, chat } = setup();
    await chat.start();
    expect(srv.calls.map((c) => c.path)).toEqual(['/api/v1/widget/k1/config']);
    await chat.identify({ name: ' Мария ', email: 'maria@example.com' });
    expect(srv.calls.some((c) => c.path.endsWith('/session'))).toBe(false);
    srv.on('POST', '/api/v1/widget/messages', (body) => ({ status: 201, json: msg('90', 'visitor', body.text, { client_id: body.client_id }) }));
    chat.send('Привет');
    await flush();
    // A new visitor's socket becomes live before the first message is sent, so that the
    // operator.joined of the new conversation cannot slip between the two.
    expect(srv.calls.some((c) => c.method === 'POST' && c.path === '/api/v1/widget/messages')).toBe(false);
    lastSocket().open();
    lastSocket().frame({ type: 'ready', cursor: '3' });
    await flush();
    expect(srv.calls.some((c) => c.method === 'POST' && c.path === '/api/v1/widget/messages')).toBe(true);
    const session = srv.calls.find((c) => c.path.endsWith('/session'))!;
    expect(session.body).toEqual({ name: 'Мария', email: 'maria@example.com' });
    chat.stop();
  });
});

describe('stickers and files', () => {
  const sticker = { id: 'livedesk-spasibo', name: 'Спасибо!', url: '/api/v1/widget/stickers/livedesk-spasibo/image' };
  const file = { id: '77', name: 'фото.png', size: 1200, content_type: 'image/png', url: '/api/v1/widget/attachments/77/file', expired: false, width: 0, height: 0, preview: false };

  it('sends a sticker and files (no text needed), keeps them across a reload, shows what the server stored', async () => {
    const storage = memoryStorage();
    const first = setup({ token: 'tok-15', storage });
    await first.chat.start();
    first.srv.on('POST', '/api/v1/widget/messages', () => 'network');
    lastSocket().open();
    lastSocket().frame({ type: 'ready', cursor: '5' });
    first.chat.send('', {}); // nothing to send
    first.chat.send('', { sticker });
    first.chat.send('  ', { attachments: [file] });
    await flush();
    expect(first.chat.state.messages.map((m) => [m.sticker?.id, m.attachments?.[0]?.id, m.delivery])).toEqual([
      ['livedesk-spasibo', undefined, 'queued'], [undefined, '77', 'queued']]);
    first.chat.stop();

    const second = setup({ storage });
    second.srv.on('POST', '/api/v1/widget/messages', (body) => ({
      status: 201,
      json: msg(body.sticker_id ? '60' : '61', 'visitor', body.text, {
        client_id: body.client_id, kind: body.sticker_id ? 'sticker' : 'text',
        ...(body.sticker_id ? { sticker } : { attachments: [file] }),
      }),
    }));
    await second.chat.start();
    lastSocket().open();
    lastSocket().frame({ type: 'ready', cursor: '7' });
    await flush();
    const posts = second.srv.calls.filter((c) => c.method === 'POST' && c.path === '/api/v1/widget/messages').map((c) => c.body);
    expect(posts.map((b) => [b.text, b.sticker_id, b.attachment_ids])).toEqual([['', 'livedesk-spasibo', undefined], ['', undefined, ['77']]]);
    expect(second.chat.state.messages.map((m) => [m.id, m.delivery, m.sticker?.name, m.attachments?.length])).toEqual([
      ['60', 'sent', 'Спасибо!', undefined], ['61', 'sent', undefined, 1]]);
    second.chat.stop();
  });

  it('shows stickers and files the operator sends', async () => {
    const { chat } = setup({ token: 'tok-15' });
    await chat.start();
    lastSocket().open();
    lastSocket().frame({ type: 'ready', cursor: '5' });
    await flush();
    lastSocket().frame({ type: 'message.created', cursor: '6', data: { message: msg('70', 'operator', '', { kind: 'sticker', sticker }) } });
    lastSocket().frame({ type: 'message.created', cursor: '7', data: { message: msg('71', 'operator', 'Счёт', { attachments: [file] }) } });
    expect(chat.state.messages.map((m) => [m.id, m.sticker?.url, m.attachments?.[0]?.url])).toEqual([
      ['70', sticker.url, undefined], ['71', undefined, file.url]]);
    chat.stop();
  });
});
