import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RatingRequest } from './api';
import { Chat, RATING_CHANGE_MS, type SocketLike } from './chat';
import { texts } from './i18n';
import { RatingCard } from './rating';

// The rating card's logic (Chat.rate, askRating, skipRating) against a fake visitor API, and
// the card itself in a DOM.

class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  onopen: ((ev: any) => void) | null = null;
  onmessage: ((ev: any) => void) | null = null;
  onclose: ((ev: any) => void) | null = null;
  onerror: ((ev: any) => void) | null = null;
  constructor(readonly url: string) { FakeSocket.all.push(this); }
  open() { this.readyState = 1; this.onopen?.({}); }
  frame(f: object) { this.onmessage?.({ data: JSON.stringify(f) }); }
  send() {}
  close() { this.readyState = 3; }
}

const appearance = { color: '#2563eb', title: '', greeting: '', position: 'right', ask_email: false, ask_phone: false };
const contactPoint = { id: '2', name: 'Сайт', settings: appearance };
const request = (over: Partial<RatingRequest> = {}): RatingRequest => ({
  conversation_id: '31', scale: 'stars', rate_until: '2026-03-08T09:41:00.000Z', rating: null, change_until: null, ...over,
});

function setup(sessionExtra: Record<string, unknown> = {}, storage = new Map<string, string>()) {
  const calls: { method: string; path: string; body: any }[] = [];
  let rateAnswer: (body: any) => { status: number; json: unknown } = (body) => ({
    status: 200, json: { ...body, comment: body.comment, source: 'widget', created_at: new Date().toISOString(), updated_at: new Date().toISOString() },
  });
  const fetch = async (input: string, init?: RequestInit) => {
    const url = new URL(input);
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    const method = init?.method ?? 'GET';
    calls.push({ method, path: url.pathname, body });
    let r: { status: number; json: unknown };
    if (url.pathname.endsWith('/config')) r = { status: 200, json: { contact_point: contactPoint, online: true } };
    else if (url.pathname.endsWith('/session')) {
      r = { status: 200, json: { visitor_token: 'tok', token_expires_at: new Date(Date.now() + 3600e3).toISOString(), visitor_key: 'key',
        visitor: { id: '15', contact_point_id: '2', name: '', display_name: 'Гость' }, contact_point: contactPoint, online: true, ...sessionExtra } };
    } else if (url.pathname === '/api/v1/widget/messages') r = { status: 200, json: { items: [], next_cursor: null } };
    else if (url.pathname === '/api/v1/widget/rating') r = rateAnswer(body);
    else throw new Error('unexpected ' + method + ' ' + url.pathname);
    const text = JSON.stringify(r.json);
    return { ok: r.status < 300, status: r.status, statusText: '', text: async () => text } as unknown as Response;
  };
  const st = { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v), removeItem: (k: string) => void storage.delete(k) };
  st.setItem('livedesk:k1:token', 'tok');
  const chat = new Chat({ base: 'https://desk.example', key: 'k1', fetch, WebSocket: FakeSocket, storage: st, random: () => 0.5 });
  return { chat, calls, storage, answerRate: (fn: typeof rateAnswer) => { rateAnswer = fn; } };
}

async function flush() {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

beforeEach(() => { FakeSocket.all = []; });
afterEach(() => { vi.useRealTimers(); });

describe('the rating prompt', () => {
  it('comes from the session after a reload and takes the rating with its comment', async () => {
    const { chat, calls } = setup({ rating_request: request() });
    await chat.start();
    expect(chat.state.rating?.request.conversation_id).toBe('31');
    expect(chat.state.rating?.rating).toBeNull();
    await chat.rate(5, '  Спасибо!  ');
    const sent = calls.find((c) => c.path === '/api/v1/widget/rating');
    expect(sent?.body).toEqual({ conversation_id: '31', scale: 'stars', score: 5, comment: 'Спасибо!' });
    expect(chat.state.rating?.rating?.score).toBe(5);
    expect(chat.state.rating!.changeUntil - Date.parse(chat.state.rating!.rating!.created_at)).toBe(RATING_CHANGE_MS);
    chat.stop();
  });

  it('is not asked while a conversation is open, and comes with conversation.closed', async () => {
    const { chat } = setup({ conversation: { id: '31', state: 'assigned', visitor_closed: false, created_at: '2026-03-01T09:30:00.000Z' },
      rating_request: request({ conversation_id: '30' }) });
    await chat.start();
    expect(chat.state.rating).toBeNull();
    const sock = FakeSocket.all[0]!;
    sock.open();
    sock.frame({ type: 'conversation.closed', cursor: '5', data: { conversation_id: '31', reason: 'closed', rating_request: request() } });
    expect(chat.state.conversation).toBeNull();
    expect(chat.state.rating?.request.conversation_id).toBe('31');
    // Rated in another tab: this one shows the thanks too.
    sock.frame({ type: 'conversation.rated', cursor: '6', data: { conversation_id: '31', rating: { conversation_id: '31', scale: 'stars', score: 4,
      comment: '', source: 'widget', created_at: '2026-03-01T09:42:00.000Z', updated_at: '2026-03-01T09:42:00.000Z' } } });
    expect(chat.state.rating?.rating?.score).toBe(4);
    // A new message starts a new conversation: the card goes.
    chat.send('Ещё вопрос');
    expect(chat.state.rating).toBeNull();
    chat.stop();
  });

  it('says why a rating was refused, and stays away once set aside', async () => {
    const storage = new Map<string, string>();
    const first = setup({ rating_request: request() }, storage);
    first.answerRate(() => ({ status: 410, json: { error: { code: 'gone', message: 'the time to rate this conversation has passed', details: { reason: 'window_passed' } } } }));
    await first.chat.start();
    await first.chat.rate(3, '');
    expect(first.chat.state.rating?.error).toBe('window_passed');
    expect(first.chat.state.rating?.rating).toBeNull();
    first.chat.skipRating();
    expect(first.chat.state.rating).toBeNull();
    first.chat.stop();
    const again = setup({ rating_request: request() }, storage);
    await again.chat.start();
    expect(again.chat.state.rating).toBeNull();
    again.chat.stop();
  });
});

describe('the rating card', () => {
  it('picks stars, takes a comment, sends, thanks, and offers a change while it may change', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { chat, calls } = setup({ rating_request: request() });
    await chat.start();
    const box = document.createElement('div');
    document.body.appendChild(box);
    const t = texts('ru');
    const draw = () => render(h(RatingCard, { key: '31', chat, r: chat.state.rating!, t }), box);
    await act(async () => { draw(); });
    expect(box.textContent).toContain('Оцените, пожалуйста, консультацию');
    expect(box.querySelector('[data-testid=rating-comment]')).toBeNull(); // the comment comes after a score
    await act(async () => { (box.querySelector('[data-testid=rating-star-5]') as HTMLButtonElement).click(); });
    expect(box.querySelector('[data-testid=rating-star-5]')!.getAttribute('aria-checked')).toBe('true');
    const text = box.querySelector('[data-testid=rating-comment]') as HTMLTextAreaElement;
    await act(async () => { text.value = 'Быстро и вежливо'; text.dispatchEvent(new Event('input', { bubbles: true })); });
    await act(async () => { (box.querySelector('[data-testid=rating-send]') as HTMLButtonElement).click(); await flush(); });
    expect(calls.find((c) => c.path === '/api/v1/widget/rating')?.body).toMatchObject({ score: 5, comment: 'Быстро и вежливо' });
    await act(async () => { draw(); });
    expect(box.querySelector('[data-testid=rating-thanks]')?.textContent).toBe('Спасибо за оценку!');
    expect(box.textContent).toContain('«Быстро и вежливо»');
    expect(box.querySelector('[data-testid=rating-change]')).not.toBeNull();
    await act(async () => { vi.advanceTimersByTime(RATING_CHANGE_MS + 100); });
    expect(box.querySelector('[data-testid=rating-change]')).toBeNull();
    render(null, box);
    box.remove();
    chat.stop();
  });

  it('shows thumbs on a thumbs account', async () => {
    const { chat } = setup({ rating_request: request({ scale: 'thumbs' }) });
    await chat.start();
    const box = document.createElement('div');
    await act(async () => { render(h(RatingCard, { chat, r: chat.state.rating!, t: texts('en') }), box); });
    expect(box.querySelector('[data-testid=rating-star-1]')).toBeNull();
    expect(box.querySelector('[data-testid=rating-thumb-up]')?.textContent).toContain('Good');
    expect(box.textContent).toContain('Please rate the support you received');
    render(null, box);
    chat.stop();
  });
});
