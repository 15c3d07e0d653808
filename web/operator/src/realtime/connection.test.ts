import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerFrame } from '../api/types';
import { type LinkState, RealtimeConnection, type SocketLike } from './connection';

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

function setup() {
  const sockets: FakeSocket[] = [];
  const frames: ServerFrame[] = [];
  const states: LinkState[] = [];
  const conn = new RealtimeConnection({
    url: (cursor) => '/api/v1/ws' + (cursor ? '?cursor=' + cursor : ''),
    createSocket: (url) => { const s = new FakeSocket(url); sockets.push(s); return s; },
    onFrame: (f) => frames.push(f),
    onState: (s) => states.push(s),
    random: () => 0.5,
  });
  return { conn, sockets, frames, states };
}

describe('realtime connection', () => {
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
    vi.advanceTimersByTime(20_000);
    expect(sockets[0].sent).toEqual(['{"type":"ping"}']);
    vi.advanceTimersByTime(6_000);
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
});
