import { h, render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { Chat, type SocketLike } from './chat';
import { texts } from './i18n';
import { App } from './ui';

// The widget's start-up in every order of its answers (config, session, socket) relative to
// the first render: the launcher must appear every time (3 to 7 of 20 page loads showed
// nothing when a change came between the render and the subscription).

class Socket implements SocketLike {
  static last: Socket | null = null;
  readyState = 0;
  onopen: ((ev: any) => void) | null = null;
  onmessage: ((ev: any) => void) | null = null;
  onclose: ((ev: any) => void) | null = null;
  onerror: ((ev: any) => void) | null = null;
  constructor(readonly url: string) { Socket.last = this; }
  send() {}
  close() { this.readyState = 3; }
}

const appearance = { color: '#2563eb', title: '', greeting: '', position: 'right', ask_email: false, ask_phone: false };
const contactPoint = { id: '2', name: 'Сайт', settings: appearance };

/** A server whose answers the test releases one by one. */
function gatedServer() {
  const gates = new Map<string, () => void>();
  const waiting = new Map<string, Promise<void>>();
  const gate = (name: string) => {
    if (!waiting.has(name)) waiting.set(name, new Promise<void>((res) => gates.set(name, res)));
    return waiting.get(name)!;
  };
  const sessionBodies: any[] = [];
  let name = ''; // the visitor's stored name
  const answer = (json: unknown) => ({ ok: true, status: 200, statusText: '', text: async () => JSON.stringify(json) }) as unknown as Response;
  const fetch = async (input: string, init?: RequestInit) => {
    const path = new URL(input).pathname;
    if (path.endsWith('/config')) { await gate('config'); return answer({ contact_point: contactPoint, online: true }); }
    if (path.endsWith('/session') && init?.method === 'POST') {
      const body = JSON.parse(String(init.body ?? '{}'));
      sessionBodies.push(body);
      if (body.name) name = body.name;
      await gate('session');
      return answer({ visitor_token: 'tok-2', visitor_key: 'key-2', token_expires_at: new Date(Date.now() + 3600_000).toISOString(),
        visitor: { id: '15', name, display_name: name || 'Гость' }, contact_point: contactPoint, online: true });
    }
    if (path.endsWith('/messages')) return answer({ items: [], next_cursor: null });
    throw new Error('unexpected ' + path);
  };
  const release = (name: string) => { gate(name); gates.get(name)!(); };
  return { fetch, release, sessionBodies };
}

const settle = () => new Promise((res) => setTimeout(res, 5)); // microtasks, then effects after "paint"

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

type Step = 'render' | 'config' | 'session' | 'socket';

/** What the page saw once every answer was in. */
interface Outcome { launcher: boolean; window: boolean; visitorName: string; sessionNames: string[] }

async function startUp(order: Step[], returning: boolean, early: 'open' | 'identify' | null): Promise<Outcome> {
  Socket.last = null;
  const srv = gatedServer();
  const storage = new Map<string, string>();
  if (returning) storage.set('livedesk:k1:token', 'tok-1');
  const chat = new Chat({
    base: 'https://desk.example', key: 'k1', fetch: srv.fetch, WebSocket: Socket,
    storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v), removeItem: (k) => void storage.delete(k) },
    random: () => 0.5,
  });
  const mount = document.createElement('div');
  document.body.appendChild(mount);
  if (early === 'open') chat.open(); // the page's own script, before the widget is ready
  if (early === 'identify') void chat.identify({ name: 'Анна' }).catch(() => {});
  const started = chat.start();
  for (const step of order) {
    if (step === 'render') render(h(App, { chat, t: texts('ru'), lang: 'ru' }), mount);
    else if (step === 'socket') {
      const s = Socket.last as Socket | null; // set by the chat meanwhile
      if (s) { s.readyState = 1; s.onopen?.({}); s.onmessage?.({ data: JSON.stringify({ type: 'ready', cursor: '1' }) }); }
    } else srv.release(step);
    // Between steps: only microtasks (no "paint"), so an effect scheduled by the render has
    // not run yet when the next answer changes the state.
    for (let i = 0; i < 20; i++) await Promise.resolve();
  }
  srv.release('config');
  srv.release('session');
  await started;
  await settle();
  const out: Outcome = {
    launcher: !!mount.querySelector('.ld-launcher'),
    window: !!mount.querySelector('.ld-window'),
    visitorName: chat.state.visitor?.name ?? '',
    sessionNames: srv.sessionBodies.map((b) => b.name ?? ''),
  };
  render(null, mount);
  mount.remove();
  chat.stop();
  return out;
}

afterEach(() => { Socket.last = null; });

describe('start-up', () => {
  const orders = permutations<Step>(['render', 'config', 'session', 'socket']);
  for (const returning of [false, true]) {
    for (const early of [null, 'open', 'identify'] as const) {
      it(`shows the launcher in all ${orders.length} orders (${returning ? 'returning' : 'new'} visitor, ${early ?? 'no'} call before ready)`, async () => {
        const wrong: string[] = [];
        for (const order of orders) {
          const o = await startUp(order, returning, early);
          const problems = [
            !o.launcher && 'no launcher',
            early === 'open' && !o.window && 'open() before ready was lost',
            early !== 'open' && o.window && 'the window opened by itself',
            early === 'identify' && o.visitorName !== 'Анна' && 'identify() before ready was lost',
            // A returning visitor's session carries the name given before it started.
            early === 'identify' && returning && !o.sessionNames.includes('Анна') && 'the session did not carry the name',
          ].filter(Boolean);
          if (problems.length) wrong.push(order.join(' → ') + ': ' + problems.join(', '));
        }
        expect(wrong).toEqual([]);
        // 24 start-ups with renders in one case: about 0.5–2.5 s alone, but more than vitest's
        // default 5 s on a busy 2-core machine (seen while Playwright ran beside it).
      }, 30_000);
    }
  }
});
