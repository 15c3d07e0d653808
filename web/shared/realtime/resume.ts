// The one WebSocket client of livedesk's realtime protocol (docs/events.md), used by the
// operator app (/api/v1/ws) and the visitor widget (/api/v1/widget/ws): it remembers the
// cursor of the last frame that carried one, reconnects after any loss with `?cursor=` and a
// jittered exponential backoff, and pings to find a link that died silently. What a frame
// means (ready, resync, events) is the owner's business: it gets every frame in order.

/** The part of the browser WebSocket the client uses (a fake one in tests). */
export interface SocketLike {
  onopen: ((ev: any) => void) | null;
  onmessage: ((ev: any) => void) | null;
  onclose: ((ev: any) => void) | null;
  onerror: ((ev: any) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Where the link stands: opening a socket, live (after ready or resync), or down and retrying. */
export type LinkState = 'connecting' | 'online' | 'offline';

/** The timings of the link, the same for both apps (docs/events.md § Ping and pong). */
export interface Timings {
  /** The first reconnect waits about this long (ms), doubling per failure… */
  minBackoffMs: number;
  /** …up to this (ms). Each wait is drawn from 50–100 % of its base. */
  maxBackoffMs: number;
  /** An application ping this often (ms) while the socket is open: browsers cannot see control frames. */
  pingEveryMs: number;
  /** No frame at all this long (ms) after a ping: the link is dead; drop it and resume. */
  pongTimeoutMs: number;
}

/** The chosen timings: 0.5 s doubling to 30 s; a ping every 20 s, dead after 10 s without an answer. */
export const TIMINGS: Readonly<Timings> = { minBackoffMs: 500, maxBackoffMs: 30_000, pingEveryMs: 20_000, pongTimeoutMs: 10_000 };

/**
 * How long the reconnect after `failures` failed attempts in a row waits: the base doubles
 * from minBackoffMs to maxBackoffMs, and the wait is 50–100 % of it (random() in [0, 1)), so
 * that many clients cut off together do not come back together.
 */
export function backoff(failures: number, random: () => number, t: Pick<Timings, 'minBackoffMs' | 'maxBackoffMs'> = TIMINGS): number {
  const base = Math.min(t.maxBackoffMs, t.minBackoffMs * 2 ** Math.min(failures, 20));
  return Math.round(base * (0.5 + random() / 2));
}

/** A frame as the client reads it: a type, and a cursor on stored events, ready and resync. */
export interface FrameLike {
  type: string;
  cursor?: string;
}

/** What a ResumingSocket needs from its owner. */
export interface ResumeOptions<F extends FrameLike> {
  /** The socket URL, resuming after `cursor` when there is one. */
  url(cursor: string | null): string;
  /** Every frame, protocol frames included, in arrival order (after the cursor is stored). */
  onFrame(frame: F): void;
  /** The link's state changed. */
  onState?(state: LinkState): void;
  /**
   * Before a reconnect: `opened` says whether the lost socket had opened, `failures` how many
   * attempts failed in a row. Return false to hold the reconnect (e.g. to ask over HTTP
   * whether the credentials still work); the owner then calls start() or retryLater().
   */
  beforeReconnect?(info: { opened: boolean; failures: number }): boolean;
  /** Makes a socket (tests pass a fake). */
  createSocket?: (url: string) => SocketLike;
  /** Random numbers in [0, 1) for the jitter. */
  random?: () => number;
  /** Other timings than TIMINGS (tests). */
  timings?: Partial<Timings>;
}

/** One resuming WebSocket link (see the file comment). */
export class ResumingSocket<F extends FrameLike> {
  private socket: SocketLike | null = null;
  private opened = false;
  private cursor: string | null = null;
  private attempts = 0;
  private stopped = true;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private deadTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly t: Timings;
  private readonly createSocket: (url: string) => SocketLike;
  private readonly random: () => number;

  constructor(private readonly o: ResumeOptions<F>) {
    this.t = { ...TIMINGS, ...o.timings };
    this.createSocket = o.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike);
    this.random = o.random ?? Math.random;
  }

  /** The cursor a reconnect resumes from (the last one a frame carried), or null. */
  get lastCursor(): string | null {
    return this.cursor;
  }

  /** How many connection attempts have failed in a row. */
  get failures(): number {
    return this.attempts;
  }

  /** A socket exists: open, or still opening. */
  get hasSocket(): boolean {
    return this.socket !== null;
  }

  /** A socket is open now (frames can be sent). */
  get isOpen(): boolean {
    return this.socket !== null && this.opened;
  }

  /** Connects now unless a socket is already there (a pending reconnect is done at once). */
  start() {
    this.stopped = false;
    if (this.socket) return;
    this.open();
  }

  /** Closes the socket and stops reconnecting, until start(). */
  stop() {
    this.stopped = true;
    this.clearTimers();
    const s = this.socket;
    this.socket = null;
    this.opened = false;
    if (s) {
      s.onclose = s.onmessage = s.onerror = s.onopen = null;
      s.close(1000, 'client closed');
    }
  }

  /** Forgets the cursor: the next connection starts fresh (the owner reloads its state). */
  resetCursor() {
    this.cursor = null;
  }

  /** The network is back: reconnect at once if the link is down, with the backoff reset. */
  reconnectNow() {
    if (this.stopped) return;
    this.attempts = 0;
    if (!this.socket) this.open();
  }

  /** Treats the link as lost now (the browser says the network is gone, or no pong) and resumes later. */
  drop() {
    const s = this.socket;
    if (!s || this.stopped) return;
    s.onclose = s.onmessage = s.onerror = s.onopen = null;
    s.close();
    this.lost(s);
  }

  /** Schedules the next attempt with the backoff (after beforeReconnect held it). */
  retryLater() {
    if (this.stopped || this.socket) return;
    this.schedule(false);
  }

  /** Sends a frame; false when there is no open socket or the send failed. */
  send(frame: object): boolean {
    if (!this.socket || !this.opened) return false;
    try {
      this.socket.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  private open() {
    this.clearTimers();
    this.o.onState?.('connecting');
    let s: SocketLike;
    try {
      s = this.createSocket(this.o.url(this.cursor));
    } catch {
      this.o.onState?.('offline');
      this.schedule(false);
      return;
    }
    this.socket = s;
    this.opened = false;
    s.onmessage = (ev) => this.receive(ev.data);
    s.onclose = () => this.lost(s);
    s.onerror = () => { /* onclose follows */ };
    s.onopen = () => {
      this.opened = true;
      this.pingTimer = setInterval(() => this.ping(), this.t.pingEveryMs);
    };
  }

  private receive(raw: unknown) {
    // Any frame shows the link is alive.
    if (this.deadTimer) {
      clearTimeout(this.deadTimer);
      this.deadTimer = null;
    }
    let frame: F;
    try {
      frame = JSON.parse(String(raw));
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') return;
    if (typeof frame.cursor === 'string' && frame.cursor) this.cursor = frame.cursor;
    if (frame.type === 'ready' || frame.type === 'resync') {
      this.attempts = 0;
      this.o.onState?.('online');
    }
    this.o.onFrame(frame);
  }

  private ping() {
    if (this.deadTimer) return;
    this.send({ type: 'ping' });
    // No answer: the link is dead even if the browser has not noticed yet.
    this.deadTimer = setTimeout(() => this.drop(), this.t.pongTimeoutMs);
  }

  private lost(s: SocketLike) {
    if (s !== this.socket) return;
    const opened = this.opened;
    this.socket = null;
    this.opened = false;
    this.clearTimers();
    if (this.stopped) return;
    this.o.onState?.('offline');
    this.schedule(opened);
  }

  private schedule(opened: boolean) {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const failures = this.attempts++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.stopped || this.socket) return;
      if (this.o.beforeReconnect && this.o.beforeReconnect({ opened, failures }) === false) return;
      this.open();
    }, backoff(failures, this.random, this.t));
  }

  private clearTimers() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.deadTimer) clearTimeout(this.deadTimer);
    this.retryTimer = this.pingTimer = this.deadTimer = null;
  }
}
