import type { ServerFrame } from '../api/types';

/** The part of the browser WebSocket the connection uses (a fake one in tests). */
export interface SocketLike {
  onopen: ((ev: any) => void) | null;
  onmessage: ((ev: { data: any }) => void) | null;
  onclose: ((ev: any) => void) | null;
  onerror: ((ev: any) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type LinkState = 'connecting' | 'online' | 'offline';

export interface ConnectionOptions {
  /** The WebSocket URL, resuming after `cursor` when there is one. */
  url(cursor: string | null): string;
  /** Every frame, protocol frames included, in arrival order. */
  onFrame(frame: ServerFrame): void;
  onState(state: LinkState): void;
  createSocket?: (url: string) => SocketLike;
  random?: () => number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often to send an application ping (browsers cannot see control frames). */
  pingEveryMs?: number;
  /** How long to wait for any frame after a ping before the link is declared dead. */
  pongTimeoutMs?: number;
}

/**
 * The operator's realtime link: one WebSocket to /api/v1/ws that remembers the cursor of the
 * last stored event it saw, and after any loss reconnects silently with `?cursor=` and a
 * jittered exponential backoff (0.5 s doubling to 30 s), so the server replays what was missed.
 */
export class RealtimeConnection {
  private socket: SocketLike | null = null;
  private cursor: string | null = null;
  private attempts = 0;
  private stopped = true;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private deadTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly o: Required<ConnectionOptions>;

  constructor(opts: ConnectionOptions) {
    this.o = {
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      random: Math.random,
      minBackoffMs: 500,
      maxBackoffMs: 30_000,
      pingEveryMs: 20_000,
      pongTimeoutMs: 6_000,
      ...opts,
    };
  }

  /** The cursor a reconnect resumes from (the last one carried by a frame). */
  get lastCursor(): string | null {
    return this.cursor;
  }

  /** How many connection attempts have failed in a row. */
  get failures(): number {
    return this.attempts;
  }

  start() {
    this.stopped = false;
    this.open();
  }

  stop() {
    this.stopped = true;
    this.clearTimers();
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onclose = s.onmessage = s.onerror = s.onopen = null;
      s.close(1000, 'client closed');
    }
  }

  /** Forget the cursor: the next connection starts fresh (after the state was reloaded). */
  resetCursor() {
    this.cursor = null;
  }

  /** Reconnect at once (e.g. the browser says the network is back). */
  reconnectNow() {
    if (this.stopped) return;
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.open();
    }
  }

  /** Treat the link as lost now (e.g. the browser says the network is gone) and start reconnecting. */
  drop() {
    const s = this.socket;
    if (!s || this.stopped) return;
    s.onclose = s.onmessage = s.onerror = s.onopen = null;
    s.close();
    this.lost(s);
  }

  send(frame: object): boolean {
    if (!this.socket) return false;
    try {
      this.socket.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  private open() {
    this.clearTimers();
    this.o.onState('connecting');
    const s = this.o.createSocket(this.o.url(this.cursor));
    this.socket = s;
    s.onmessage = (ev) => this.receive(ev.data);
    s.onclose = () => this.lost(s);
    s.onerror = () => { /* onclose follows */ };
    s.onopen = () => {
      this.pingTimer = setInterval(() => this.ping(), this.o.pingEveryMs);
    };
  }

  private receive(raw: unknown) {
    if (this.deadTimer) {
      clearTimeout(this.deadTimer);
      this.deadTimer = null;
    }
    let frame: ServerFrame;
    try {
      frame = JSON.parse(String(raw));
    } catch {
      return;
    }
    if ('cursor' in frame && frame.cursor) this.cursor = frame.cursor;
    if (frame.type === 'ready' || frame.type === 'resync') {
      this.attempts = 0;
      this.o.onState('online');
    }
    this.o.onFrame(frame);
  }

  private ping() {
    if (this.deadTimer) return;
    this.send({ type: 'ping' });
    // No answer: the link is dead even if the browser has not noticed yet.
    this.deadTimer = setTimeout(() => this.drop(), this.o.pongTimeoutMs);
  }

  private lost(s: SocketLike) {
    if (s !== this.socket) return;
    this.socket = null;
    this.clearTimers();
    if (this.stopped) return;
    this.o.onState('offline');
    const base = Math.min(this.o.maxBackoffMs, this.o.minBackoffMs * 2 ** this.attempts);
    this.attempts++;
    // Full jitter in [base/2, base): many clients cut off together do not return together.
    const delay = base / 2 + (this.o.random() * base) / 2;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, delay);
  }

  private clearTimers() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.deadTimer) clearTimeout(this.deadTimer);
    this.retryTimer = this.pingTimer = this.deadTimer = null;
  }
}
