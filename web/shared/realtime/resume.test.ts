import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OperatorFrame } from '../api/types.gen';
import { type LinkState, ResumingSocket, type SocketLike, TIMINGS, backoff } from './resume';

class FakeSocket implements SocketLike {
  onopen: ((ev: any) => void) | null = null;
  onmessage: ((ev: { data: any }) => void) | null = null;
  onclose: ((ev: any) => void) | null = null;
  onerror: ((ev: any) => void) | null = null;
  sent: string[] = [];
  closed = false;
  constructor(readonly url: string) {}
  send(data: string) { this.sent.push(data); }
  close() { this.closed = true; }
  open() { this.onopen?.({}); }
  frame(f: object) { this.onmessage?.({ data: JSON.stringify(f) }); }
  drop() { this.onclose?.({ code: 1006 }); }
}

function setup(beforeReconnect?: (info: { opened: boolean; failures: number }) => boolean) {
  const sockets: FakeSocket[] = [];
  const frames: OperatorFrame[] = [];
  const states: LinkState[] = [];
  const conn = new ResumingSocket<OperatorFrame>({
    url: (cursor) => '/api/v1/ws' + (cursor ? '?cursor=' + cursor : ''),
    createSocket: (url) => { const s = new FakeSocket(url); sockets.push(s); return s; },
    onFrame: (f) => frames.push(f),
    onState: (s) => states.push(s),
    random: () => 0.5,
    ...(beforeReconnect ? { beforeReconnect } : {}),
  });
  return { conn, sockets, frames, states };
}

describe('the resuming socket', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('connects without a cursor first, then resumes from the last cursor seen', () => {
    const { conn, sockets, frames } = setup();
    conn.start();
    expect(sockets[0].url).toBe('/api/v1/ws');
    sockets[0].open();
    sockets[0].frame({ type: 'ready', cursor: '1042' });
    sockets[0].frame({ type: 'message.created', cursor: '1051', data: {} });
    sockets[0].frame({ type: 'typing', data: { conversation_id: '31', author: 'visitor' } }); // no cursor: keeps 1051
    expect(conn.lastCursor).toBe('1051');
    sockets[0].drop();
    vi.advanceTimersByTime(30_000);
    expect(sockets[1].url).toBe('/api/v1/ws?cursor=1051');
    expect(frames.map((f) => f.type)).toEqual(['ready', 'message.created', 'typing']);
  });

  it('backs off exponentially with jitter while the server is unreachable, and resets once back', () => {
    const { conn, sockets, states } = setup();
    conn.start();
    sockets[0].drop();
    expect(states).toEqual(['connecting', 'offline']);
    // random() = 0.5 → delay = 3/4 of the base: 375 ms, then 750 ms, 1500 ms …
    vi.advanceTimersByTime(374);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    sockets[1].drop();
    vi.advanceTimersByTime(749);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
    sockets[2].open();
    sockets[2].frame({ type: 'ready', cursor: '5' });
    expect(states.at(-1)).toBe('online');
    expect(conn.failures).toBe(0);
    sockets[2].drop();
    vi.advanceTimersByTime(375);
    expect(sockets).toHaveLength(4);
  });

  it('never waits more than 30 s between attempts', () => {
    const { conn, sockets } = setup();
    conn.start();
    for (let i = 0; i < 12; i++) {
      sockets.at(-1)!.drop();
      vi.advanceTimersByTime(30_000);
    }
    expect(sockets).toHaveLength(13);
  });

  it('takes the cursor of a resync and reports it, so the app reloads its state', () => {
    const { conn, sockets, frames } = setup();
    conn.start();
    sockets[0].frame({ type: 'resync', cursor: '9000' });
    expect(conn.lastCursor).toBe('9000');
    expect(frames.at(-1)?.type).toBe('resync');
  });

  it('declares a silent link dead when a ping gets no answer, and resumes', () => {
    const { conn, sockets } = setup();
    conn.start();
    sockets[0].open();
    sockets[0].frame({ type: 'ready', cursor: '77' });
    vi.advanceTimersByTime(TIMINGS.pingEveryMs - 1);
    expect(sockets[0].sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sockets[0].sent).toEqual(['{"type":"ping"}']);
    vi.advanceTimersByTime(TIMINGS.pongTimeoutMs - 1);
    expect(sockets[0].closed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(sockets[0].closed).toBe(true);
    vi.advanceTimersByTime(1_000);
    expect(sockets[1].url).toBe('/api/v1/ws?cursor=77');
  });

  it('an answered ping keeps the link', () => {
    const { conn, sockets } = setup();
    conn.start();
    sockets[0].open();
    vi.advanceTimersByTime(20_000);
    sockets[0].frame({ type: 'pong' });
    vi.advanceTimersByTime(10_000);
    expect(sockets[0].closed).toBe(false);
    expect(sockets).toHaveLength(1);
    // The next ping goes out 20 s after the first: one every 20 s while the link lives.
    vi.advanceTimersByTime(10_000);
    expect(sockets[0].sent).toEqual(['{"type":"ping"}', '{"type":"ping"}']);
  });

  it('reconnects at once when the browser is back online, and stop() ends everything', () => {
    const { conn, sockets } = setup();
    conn.start();
    sockets[0].drop();
    conn.reconnectNow();
    expect(sockets).toHaveLength(2);
    conn.stop();
    expect(sockets[1].closed).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(2);
  });

  it('the timings are the documented ones (docs/events.md § Ping and pong)', () => {
    expect(TIMINGS).toEqual({ minBackoffMs: 500, maxBackoffMs: 30_000, pingEveryMs: 20_000, pongTimeoutMs: 10_000 });
    expect(backoff(0, () => 0)).toBe(250);
    expect(backoff(0, () => 0.999999)).toBe(500);
    expect(backoff(3, () => 0.5)).toBe(3000);
    expect(backoff(50, () => 0.999999)).toBe(30_000);
  });

  it('sends only on an open socket, and pings only once it is open', () => {
    const { conn, sockets } = setup();
    conn.start();
    expect(conn.send({ type: 'typing' })).toBe(false);
    expect(conn.isOpen).toBe(false);
    vi.advanceTimersByTime(TIMINGS.pingEveryMs * 2);
    expect(sockets[0].sent).toEqual([]);
    sockets[0].open();
    expect(conn.send({ type: 'typing' })).toBe(true);
    expect(sockets[0].sent).toEqual(['{"type":"typing"}']);
  });

  it('ignores frames that are not JSON objects with a type, and keeps the cursor', () => {
    const { conn, sockets, frames } = setup();
    conn.start();
    sockets[0].open();
    sockets[0].frame({ type: 'ready', cursor: '12' });
    sockets[0].onmessage?.({ data: 'not json' });
    sockets[0].onmessage?.({ data: '[1,2]' });
    sockets[0].onmessage?.({ data: 'null' });
    expect(frames).toHaveLength(1);
    expect(conn.lastCursor).toBe('12');
  });

  it('resetCursor: the next connection starts fresh (after the owner reloaded on resync)', () => {
    const { conn, sockets } = setup();
    conn.start();
    sockets[0].open();
    sockets[0].frame({ type: 'resync', cursor: '9000' });
    conn.resetCursor();
    sockets[0].drop();
    vi.advanceTimersByTime(1_000);
    expect(sockets[1].url).toBe('/api/v1/ws');
  });

  it('drop() treats the link as lost at once and resumes with the backoff; the network back reconnects now', () => {
    const { conn, sockets, states } = setup();
    conn.start();
    sockets[0].open();
    sockets[0].frame({ type: 'ready', cursor: '3' });
    conn.drop();
    expect(sockets[0].closed).toBe(true);
    expect(states.at(-1)).toBe('offline');
    expect(sockets).toHaveLength(1);
    conn.reconnectNow();
    expect(sockets).toHaveLength(2);
    expect(sockets[1].url).toBe('/api/v1/ws?cursor=3');
    expect(conn.failures).toBe(0);
  });

  it('beforeReconnect can hold a reconnect after failed handshakes; retryLater and start go on', () => {
    const seen: { opened: boolean; failures: number }[] = [];
    const { conn, sockets } = setup((info) => { seen.push(info); return info.opened || info.failures < 1; });
    conn.start();
    sockets[0].drop(); // the handshake failed
    vi.advanceTimersByTime(375);
    expect(sockets).toHaveLength(2);
    sockets[1].drop(); // failed again: held
    vi.advanceTimersByTime(30_000);
    expect(sockets).toHaveLength(2);
    expect(seen).toEqual([{ opened: false, failures: 0 }, { opened: false, failures: 1 }]);
    conn.retryLater(); // the owner's check found nothing wrong: try again with the backoff
    vi.advanceTimersByTime(1_500);
    expect(sockets).toHaveLength(2); // held again (failures 2)
    conn.start(); // the owner renewed the credentials: connect now
    expect(sockets).toHaveLength(3);
    sockets[2].open();
    sockets[2].drop(); // an open socket that closes always reconnects
    vi.advanceTimersByTime(30_000);
    expect(sockets).toHaveLength(4);
    expect(seen.at(-1)).toEqual({ opened: true, failures: 3 });
  });
});
