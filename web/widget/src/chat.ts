// The widget's state and its conversation with the server, without any UI: the session,
// the WebSocket with reconnect/resume, the history, and the outbox of the visitor's messages.
// Everything the UI shows is in Chat.state; the UI calls the methods.

import { backoff, ResumingSocket, type SocketLike } from '../../shared/realtime/resume';
import { Api, ApiError, type Appearance, type Attachment, type FetchFn, type Message, type Profile, type Quote, type Rating, type RatingRequest, type ServerFrame, type Session, type Sticker, type StickerPack, type Visitor, type VisitorConversation } from './api';
import { type UploadHandle, uploadFile } from '../../shared/media/attach';

/** Delivery state of the visitor's own message. */
export type Delivery = 'sending' | 'queued' | 'sent' | 'failed';

/** One line of the chat as the UI shows it. */
export interface ChatMessage {
  /** Stable key: "m:<id>" once stored, "c:<client_id>" while pending. */
  key: string;
  id?: string | undefined;
  clientId?: string | undefined;
  conversationId?: string | undefined;
  author: 'visitor' | 'operator' | 'system';
  name: string;
  text: string;
  at: string;
  delivery?: Delivery | undefined;
  error?: string | undefined;
  /** The sticker of a sticker message. */
  sticker?: Sticker | undefined;
  attachments?: Attachment[] | undefined;
  /** The message this one quotes. */
  quote?: Quote | undefined;
}

/** What a message carries besides its text. */
export interface Media {
  sticker?: Sticker;
  attachments?: Attachment[];
}

export type Connection = 'idle' | 'connecting' | 'online' | 'offline';

/** What the widget shows of the visitor: the server's answer, or the form's fields before it. */
export type VisitorView = Pick<Visitor, 'id' | 'name' | 'display_name' | 'email' | 'phone'>;
/** What the widget knows of the open conversation: from the session, or pieced from events. */
export type ConversationView = Pick<VisitorConversation, 'id' | 'state' | 'visitor_closed' | 'operator'>;

/**
 * The rating asked for a conversation that ended (docs/widget.md § Rating): the request, the
 * rating given (while it may change, `changeUntil`, ms), and why the last send failed.
 */
export interface RatingPrompt {
  request: RatingRequest;
  rating: Rating | null;
  changeUntil: number;
  error: string | null;
  sending: boolean;
}

/** Everything the widget's UI shows. */
export interface ChatState {
  /** The contact point's config has been loaded. */
  ready: boolean;
  appearance: Appearance | null;
  /** Some operator of the account is online. */
  online: boolean;
  /** The visitor (before the first session: what the introduction form said). */
  visitor: VisitorView | null;
  /** The visitor's open conversation, if any. */
  conversation: ConversationView | null;
  messages: ChatMessage[];
  hasOlder: boolean;
  connection: Connection;
  /** Name of the operator who is typing now. */
  typing: string | null;
  unread: number;
  open: boolean;
  /** The introduction was given or skipped. */
  introDone: boolean;
  /** The conversation was closed (by the visitor or the operator) and no new one started. */
  closed: boolean;
  /** The offline form was sent in this page. */
  offlineSent: boolean;
  /** A problem that stops the widget (e.g. this site is not allowed). */
  fatal: string | null;
  /** The rating card of the conversation that ended (null: none to show). */
  rating: RatingPrompt | null;
}

interface OutboxItem {
  clientId: string;
  text: string;
  at: string;
  sticker?: Sticker | undefined;
  attachments?: Attachment[] | undefined;
}

/** The subset of the WebSocket API the widget uses (a fake one in tests). */
export type { SocketLike } from '../../shared/realtime/resume';

export interface ChatDeps {
  base: string;
  key: string;
  fetch: FetchFn;
  WebSocket: new (url: string) => SocketLike;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  random?: () => number;
}

/** Backoff of reconnects and send retries: 0.5 s doubling to 30 s, with jitter (50–100 %). */
export { backoff } from '../../shared/realtime/resume';

/** Compares two ids (digit strings) as numbers. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function newClientId(random: () => number): string {
  const c = (globalThis as any).crypto;
  if (c?.randomUUID) return 'w-' + c.randomUUID();
  let s = 'w-';
  for (let i = 0; i < 24; i++) s += Math.floor(random() * 36).toString(36);
  return s;
}

const TYPING_SHOWN = 6_000;
/** How long after the first rating it may change (livedesk.RatingChangeWindow). */
export const RATING_CHANGE_MS = 10 * 60_000;
const TYPING_EVERY = 3_000;

export class Chat {
  state: ChatState = {
    ready: false, appearance: null, online: true, visitor: null, conversation: null, messages: [], hasOlder: false,
    connection: 'idle', typing: null, unread: 0, open: false, introDone: false, closed: false, offlineSent: false, fatal: null,
    rating: null,
  };

  private readonly api: Api;
  private readonly random: () => number;
  private readonly listeners = new Set<() => void>();
  private readonly byId = new Map<string, ChatMessage>();
  private readonly pending = new Map<string, ChatMessage>();
  private readonly closedIds = new Set<string>();
  private outbox: OutboxItem[] = [];
  private profile: Profile = {};
  /** The link to /api/v1/widget/ws: resume, backoff, ping (shared with the operator app). */
  private readonly sock: ResumingSocket<ServerFrame>;
  private needsHistory = true;
  private sendAttempts = 0;
  private sending = false;
  private flushAgain = false;
  private sessionPromise: Promise<void> | null = null;
  private olderCursor: string | null = null;
  private offlineClientId = '';
  private lastTypingSent = 0;
  private lastConfigAt = 0;
  private stopped = false;
  /** The socket has passed ready/resync: every new event reaches it live. */
  private live = false;
  private readyWaiters: (() => void)[] = [];
  /** Bumped on every change of the conversation learned from events or answers. */
  private convVersion = 0;
  private timers: Record<'retry' | 'typing' | 'renew', ReturnType<typeof setTimeout> | undefined> = {
    retry: undefined, typing: undefined, renew: undefined,
  };

  constructor(private readonly deps: ChatDeps) {
    this.api = new Api(deps.base, deps.key, deps.fetch);
    this.random = deps.random ?? Math.random;
    this.sock = new ResumingSocket<ServerFrame>({
      url: (cursor) => this.api.wsURL(cursor ?? ''),
      createSocket: (url) => new deps.WebSocket(url),
      random: this.random,
      onFrame: (f) => this.onFrame(f),
      onState: (link) => {
        if (link === 'offline') {
          this.setLive(false);
          this.set({ connection: 'offline', typing: null });
        } else {
          this.set({ connection: link });
        }
      },
      // A handshake that keeps failing may be a token the server no longer accepts; the
      // WebSocket cannot tell, so ask over HTTP.
      beforeReconnect: ({ opened, failures }) => {
        if (opened || failures < 1) return true;
        void this.probe();
        return false;
      },
    });
    this.state.introDone = this.load('intro') === '1';
    try {
      const saved = JSON.parse(this.load('outbox') || '[]');
      if (Array.isArray(saved)) this.outbox = saved.filter((o) => o && typeof o.clientId === 'string' && typeof o.text === 'string');
    } catch { /* a broken outbox is dropped */ }
    for (const o of this.outbox) {
      this.pending.set(o.clientId, { key: 'c:' + o.clientId, clientId: o.clientId, author: 'visitor', name: '', text: o.text, at: o.at, delivery: 'sending', sticker: o.sticker, attachments: o.attachments });
    }
    this.rebuild();
  }

  // ---- state plumbing ----

  /** Calls fn after every change of state; returns the unsubscribe function. */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private set(patch: Partial<ChatState>) {
    if ('conversation' in patch) this.convVersion++;
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn();
  }

  private rebuild(extra: Partial<ChatState> = {}) {
    const stored = [...this.byId.values()].sort((a, b) => compareIds(a.id!, b.id!));
    this.set({ ...extra, messages: [...stored, ...this.pending.values()] });
  }

  private storageKey(name: string) {
    return 'livedesk:' + this.deps.key + ':' + name;
  }
  private load(name: string): string | null {
    try { return this.deps.storage.getItem(this.storageKey(name)); } catch { return null; }
  }
  private save(name: string, value: string | null) {
    try {
      if (value === null) this.deps.storage.removeItem(this.storageKey(name));
      else this.deps.storage.setItem(this.storageKey(name), value);
    } catch { /* storage full or blocked: the widget still works for this page */ }
  }
  private saveOutbox() {
    this.save('outbox', this.outbox.length ? JSON.stringify(this.outbox) : null);
  }

  private timer(name: keyof Chat['timers'], ms: number | null, fn?: () => void) {
    if (this.timers[name] !== undefined) clearTimeout(this.timers[name]);
    this.timers[name] = ms === null || !fn ? undefined : setTimeout(() => { this.timers[name] = undefined; fn(); }, ms);
  }

  // ---- life cycle ----

  /** Loads the config; a returning visitor (or one with unsent messages) resumes the session. */
  async start(): Promise<void> {
    await this.refreshConfig(true);
    if (this.state.fatal) return;
    if (this.load('token') || this.outbox.length) {
      await this.ensureSession().catch(() => { /* retried by the outbox and on open */ });
      if (this.outbox.length) void this.flush();
    }
  }

  /** Stops timers and the socket (tests, page unload). */
  stop() {
    this.stopped = true;
    for (const k of Object.keys(this.timers) as (keyof Chat['timers'])[]) this.timer(k, null);
    this.sock.stop();
  }

  private async refreshConfig(force = false) {
    const now = Date.now();
    if (!force && now - this.lastConfigAt < 15_000) return;
    this.lastConfigAt = now;
    try {
      const cfg = await this.api.config();
      this.set({ ready: true, appearance: cfg.contact_point.settings, online: cfg.online });
    } catch (e) {
      this.handleFatal(e);
    }
  }

  private handleFatal(e: unknown): boolean {
    if (e instanceof ApiError && (e.status === 403 || e.status === 404)) {
      this.set({ fatal: e.message });
      this.stop();
      return true;
    }
    return false;
  }

  /** Makes sure a visitor session exists (one request at a time). */
  ensureSession(): Promise<void> {
    if (this.api.token) return Promise.resolve();
    if (!this.sessionPromise) {
      this.sessionPromise = this.startSession().finally(() => { this.sessionPromise = null; });
    }
    return this.sessionPromise;
  }

  private async startSession() {
    let s;
    try {
      s = await this.api.session(this.load('key') || '', this.load('token') || '', this.profile);
    } catch (e) {
      this.handleFatal(e);
      throw e;
    }
    this.profile = {};
    if (this.state.visitor && this.state.visitor.id !== s.visitor.id) this.forgetHistory();
    this.api.token = s.visitor_token;
    this.save('token', s.visitor_token);
    this.save('key', s.visitor_key);
    this.scheduleRenewal(s.token_expires_at);
    const conv = s.conversation ?? null;
    this.set({
      ready: true, visitor: s.visitor, appearance: s.contact_point.settings, online: s.online, conversation: conv,
      introDone: this.state.introDone || !!s.visitor.name,
    });
    this.askRating(conv ? null : s.rating_request ?? null);
    this.connect();
  }

  /**
   * The token stopped working (it expired, or the server's secret changed): renew it with the
   * renewal key. The same visitor keeps their history; a key that no longer works starts a
   * new visitor, and startSession forgets the old one's history then.
   */
  private async resetSession() {
    this.save('token', null);
    this.api.token = '';
    this.sock.stop();
    await this.ensureSession();
  }

  /** Renews the token quietly a while before it expires (an open page outlives it). */
  private scheduleRenewal(expiresAt: string) {
    const left = Date.parse(expiresAt) - Date.now();
    if (!(left > 0)) return;
    // Ten minutes early, or halfway for short lives; timers cap at about 24.8 days.
    this.timer('renew', Math.min(Math.max(left - 10 * 60_000, left / 2), 2 ** 31 - 1), () => void this.renew());
  }

  /** Trades the renewal key for a fresh token without dropping the socket. */
  private async renew() {
    try {
      const s = await this.resume({});
      if (this.state.visitor && s.visitor.id !== this.state.visitor.id) await this.resetSession();
    } catch {
      // The next request that meets an expired token renews it (resetSession).
    }
  }

  /** The session request of a running session: its answer's fresh token and key are kept. */
  private async resume(profile: Profile): Promise<Session> {
    const s = await this.api.session(this.load('key') || '', this.api.token, profile);
    this.api.token = s.visitor_token;
    this.save('token', s.visitor_token);
    this.save('key', s.visitor_key);
    this.scheduleRenewal(s.token_expires_at);
    return s;
  }

  private forgetHistory() {
    this.byId.clear();
    this.closedIds.clear();
    this.sock.resetCursor();
    this.needsHistory = true;
    this.olderCursor = null;
    this.rebuild({ hasOlder: false, conversation: null });
  }

  // ---- WebSocket ----

  private connect() {
    if (this.stopped || !this.api.token) return;
    this.sock.start();
  }

  private async probe() {
    try {
      await this.api.messages(undefined, 1);
      this.connect();
    } catch (e) {
      if (this.handleFatal(e)) return;
      if (e instanceof ApiError && e.status === 401) {
        await this.resetSession().catch(() => this.sock.retryLater());
        return;
      }
      this.sock.retryLater();
    }
  }

  /** The browser says the network is gone: close now, resume from the cursor when it is back. */
  goOffline() {
    this.sock.drop();
    this.set({ connection: 'offline' });
  }

  /** The browser says the network is back: reconnect and send at once. */
  goOnline() {
    if (this.stopped) return;
    this.sendAttempts = 0;
    if (this.api.token) this.sock.reconnectNow();
    if (this.outbox.length) void this.flush();
  }

  private setLive(live: boolean) {
    this.live = live;
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w();
  }

  /**
   * Waits (at most ms) until the socket is live, so that the events of what we are about to
   * do (the operator joining a new conversation) reach it. Offline, it does not wait.
   */
  private waitLive(ms: number): Promise<void> {
    if (this.live || !this.sock.hasSocket) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => done(), ms);
      const done = () => { clearTimeout(t); resolve(); };
      this.readyWaiters.push(done);
    });
  }

  private onFrame(f: ServerFrame) {
    switch (f.type) {
      case 'ready':
        if (this.needsHistory) {
          // Fresh start: what happened before this point comes over REST.
          this.needsHistory = false;
          void this.loadHistory(false);
          void this.refreshSession();
        } else {
          // Resumed: the replay brought the missed messages, but availability events are
          // live only, so ask whether anyone is online now.
          void this.refreshConfig(true);
        }
        this.setLive(true);
        if (this.outbox.length) void this.flush();
        break;
      case 'resync':
        this.setLive(true);
        this.needsHistory = false;
        void this.loadHistory(true);
        void this.refreshSession();
        if (this.outbox.length) void this.flush();
        break;
      case 'message.created':
        if (f.data?.message) this.addServerMessage(f.data.message, true);
        break;
      case 'operator.joined': {
        const d = f.data;
        if (!this.closedIds.has(d.conversation_id)) {
          this.set({ conversation: { id: d.conversation_id, state: 'assigned', visitor_closed: false, operator: d.operator }, closed: false });
        }
        break;
      }
      case 'conversation.queued':
        // The operator went offline and the conversation is back in the queue.
        if (this.state.conversation?.id === f.data.conversation_id) {
          this.set({ conversation: { id: f.data.conversation_id, state: 'queued', visitor_closed: false }, typing: null });
        }
        break;
      case 'conversation.closed':
        this.closedIds.add(f.data.conversation_id);
        if (this.state.conversation?.id === f.data.conversation_id) this.set({ conversation: null, closed: true, typing: null });
        if (f.data.rating_request) this.askRating(f.data.rating_request);
        break;
      case 'conversation.rated':
        // This visitor rated in another tab (or this one): show the thanks everywhere.
        if (this.state.rating?.request.conversation_id === f.data.conversation_id) this.rated(f.data.rating);
        break;
      case 'availability':
        // An operator came online (or the last one left): the offline form turns into the
        // chat, or back, at once.
        if (typeof f.data?.online === 'boolean') this.set({ online: f.data.online });
        break;
      case 'typing':
        if (f.data?.author === 'operator') {
          this.set({ typing: f.data.name || this.state.conversation?.operator?.name || '' });
          this.timer('typing', TYPING_SHOWN, () => this.set({ typing: null }));
        }
        break;
    }
  }

  private async refreshSession() {
    const version = this.convVersion;
    try {
      const s = await this.resume({});
      const patch: Partial<ChatState> = { visitor: s.visitor, online: s.online, appearance: s.contact_point.settings };
      // Events that arrived meanwhile are newer than this answer: keep what they said.
      if (version === this.convVersion) {
        const c = s.conversation ?? null;
        patch.conversation = c && this.closedIds.has(c.id) ? null : c;
        if (!patch.conversation && s.rating_request) this.askRating(s.rating_request);
      }
      this.set(patch);
    } catch { /* the next event or reconnect corrects it */ }
  }

  // ---- messages ----

  private addServerMessage(m: Message, live: boolean) {
    if (this.byId.has(m.id)) return;
    const own = m.author.type === 'visitor';
    if (own && m.client_id) {
      this.pending.delete(m.client_id);
      const i = this.outbox.findIndex((o) => o.clientId === m.client_id);
      if (i >= 0 && !(this.sending && i === 0)) {
        this.outbox.splice(i, 1);
        this.saveOutbox();
      }
    }
    this.byId.set(m.id, {
      key: 'm:' + m.id, id: m.id, clientId: m.client_id, conversationId: m.conversation_id, author: m.author.type,
      name: m.author.name, text: m.text, at: m.created_at, delivery: own ? 'sent' : undefined,
      sticker: m.sticker, attachments: m.attachments?.length ? m.attachments : undefined, quote: m.quote,
    });
    const extra: Partial<ChatState> = {};
    if (live) {
      const conv = this.state.conversation;
      if (m.conversation_id && conv?.id !== m.conversation_id && !this.closedIds.has(m.conversation_id)) {
        // A conversation the widget did not know yet: the visitor's first message opened it.
        extra.conversation = m.author.type === 'operator'
          ? { id: m.conversation_id, state: 'assigned', visitor_closed: false, operator: { id: m.author.id ?? '', name: m.author.name } }
          : { id: m.conversation_id, state: 'queued', visitor_closed: false };
        extra.closed = false;
      } else if (conv && m.author.type === 'operator' && !conv.operator) {
        extra.conversation = { ...conv, state: 'assigned', operator: { id: m.author.id ?? '', name: m.author.name } };
      }
      if (m.author.type === 'operator') {
        extra.typing = null;
        if (!this.state.open) extra.unread = this.state.unread + 1;
      }
    }
    this.rebuild(extra);
  }

  private async loadHistory(replace: boolean) {
    try {
      const page = await this.api.messages();
      if (replace) {
        // Keep what arrived live after the page was read; everything else comes from the page.
        const newest = page.items[0]?.id ?? '0';
        for (const [id] of this.byId) if (compareIds(id, newest) <= 0) this.byId.delete(id);
      }
      for (const m of page.items) this.addServerMessage(m, false);
      this.olderCursor = page.next_cursor;
      this.set({ hasOlder: !!page.next_cursor });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        await this.resetSession().catch(() => {});
      } else {
        this.needsHistory = true;
        this.sock.drop(); // reconnecting loads it again (needsHistory)
      }
    }
  }

  /** Loads the next older page of the history. */
  async loadOlder(): Promise<void> {
    if (!this.olderCursor) return;
    try {
      const page = await this.api.messages(this.olderCursor);
      for (const m of page.items) this.addServerMessage(m, false);
      this.olderCursor = page.next_cursor;
      this.set({ hasOlder: !!page.next_cursor });
    } catch { /* the button stays */ }
  }

  /** Queues a message of the visitor (text, a sticker or uploaded files) and sends it. */
  send(text: string, media: Media = {}) {
    text = text.trim();
    const attachments = media.attachments?.length ? media.attachments : undefined;
    if (!text && !media.sticker && !attachments) return;
    const clientId = newClientId(this.random);
    const at = new Date().toISOString();
    this.outbox.push({ clientId, text, at, sticker: media.sticker, attachments });
    this.saveOutbox();
    this.pending.set(clientId, {
      key: 'c:' + clientId, clientId, author: 'visitor', name: this.state.visitor?.display_name ?? '', text, at, delivery: 'sending',
      sticker: media.sticker, attachments,
    });
    if (!this.state.introDone) this.save('intro', '1');
    // A new message starts a new conversation: the card of the one that ended goes.
    this.rebuild({ introDone: true, closed: false, rating: null });
    void this.flush();
  }

  // ---- rating (docs/widget.md § Rating) ----

  /** Shows the rating card for a conversation that ended, unless the visitor set it aside. */
  private askRating(req: RatingRequest | null) {
    if (!req) return;
    const cur = this.state.rating;
    if (cur && cur.request.conversation_id === req.conversation_id && (cur.rating || cur.sending)) return;
    if (this.load('rating-skipped') === req.conversation_id && !req.rating) return;
    this.set({ rating: { request: req, rating: req.rating, changeUntil: req.change_until ? Date.parse(req.change_until) : 0, error: null, sending: false } });
  }

  private rated(r: Rating) {
    const cur = this.state.rating;
    if (!cur) return;
    const changeUntil = Date.parse(r.created_at) + RATING_CHANGE_MS;
    this.set({ rating: { ...cur, rating: r, changeUntil: Math.max(changeUntil, cur.changeUntil), error: null, sending: false } });
  }

  /** Sends the visitor's rating (or the changed one) of the conversation the card is for. */
  async rate(score: number, comment: string): Promise<void> {
    const cur = this.state.rating;
    if (!cur || cur.sending) return;
    this.set({ rating: { ...cur, sending: true, error: null } });
    try {
      await this.ensureSession();
      const r = await this.api.rate(cur.request.conversation_id, cur.request.scale, score, comment.trim());
      this.rated(r);
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, 'network', String(e));
      const reason = err.details.reason ?? '';
      const latest = this.state.rating ?? cur;
      this.set({ rating: { ...latest, sending: false, error: reason || (err.transient ? 'network' : 'failed') } });
    }
  }

  /** The visitor does not want to rate: the card goes, and stays away for this conversation. */
  skipRating() {
    const cur = this.state.rating;
    if (!cur) return;
    this.save('rating-skipped', cur.request.conversation_id);
    this.set({ rating: null });
  }

  // ---- media: stickers, pictures and files (the UI's ImageSource, uploads, downloads) ----

  /** The livedesk server's origin. */
  get base(): string {
    return this.api.base;
  }

  /** The sticker packs the visitor can send from. */
  async stickerPacks(): Promise<StickerPack[]> {
    await this.ensureSession();
    return (await this.api.stickerPacks()).items;
  }

  /** A picture of the API (sticker, preview) as a URL of the livedesk host with the visitor's token. */
  image = (path: string): Promise<string> => this.api.image(path);

  /** The inline URL of one of the visitor's files (a picture's preview). */
  fileURL = (id: string): string => this.api.authURL('/api/v1/widget/attachments/' + encodeURIComponent(id) + '/file?inline=1');

  /** Uploads one file for the next message (starting a session first if there is none). */
  upload = (file: File, onProgress: (p: number) => void): UploadHandle => {
    let inner: UploadHandle | null = null;
    let aborted = false;
    const promise = this.ensureSession().then(() => {
      if (aborted) throw { code: 'aborted' };
      inner = uploadFile(this.api.base + '/api/v1/widget/attachments', file, { Authorization: 'Bearer ' + this.api.token }, onProgress);
      return inner.promise;
    });
    return { promise, abort: () => { aborted = true; inner?.abort(); } };
  };

  /** Saves a file of the conversation to the visitor's computer under its name. */
  download = async (a: Attachment): Promise<void> => {
    const blob = await this.api.fetchBlob(a.url);
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = a.name;
    link.style.display = 'none';
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };

  /** Sends a failed message again, with the same client id (the server never stores it twice). */
  retry(clientId: string) {
    const p = this.pending.get(clientId);
    if (!p || p.delivery !== 'failed') return;
    this.outbox.push({ clientId, text: p.text, at: p.at, sticker: p.sticker, attachments: p.attachments });
    this.saveOutbox();
    this.setDelivery(clientId, 'sending');
    void this.flush();
  }

  private setDelivery(clientId: string, delivery: Delivery, error?: string) {
    const p = this.pending.get(clientId);
    if (!p || (p.delivery === delivery && p.error === error)) return;
    this.pending.set(clientId, { ...p, delivery, error });
    this.rebuild();
  }

  /** Sends the outbox in order; transient failures keep it for a later retry. */
  private async flush(): Promise<void> {
    if (this.sending) {
      this.flushAgain = true;
      return;
    }
    this.sending = true;
    let renewed = false;
    try {
      await this.ensureSession();
      await this.waitLive(5000);
      while (this.outbox.length && !this.stopped) {
        const item = this.outbox[0];
        if (!this.pending.has(item.clientId)) { // already arrived over the WebSocket
          this.outbox.shift();
          this.saveOutbox();
          continue;
        }
        this.setDelivery(item.clientId, 'sending');
        try {
          const media = item.sticker ? { sticker_id: item.sticker.id }
            : item.attachments?.length ? { attachment_ids: item.attachments.map((a) => a.id) } : {};
          const m = await this.api.send(item.clientId, item.text, media);
          this.sendAttempts = 0;
          if (this.outbox[0] === item) this.outbox.shift();
          this.saveOutbox();
          this.addServerMessage(m, true);
        } catch (e) {
          const err = e instanceof ApiError ? e : new ApiError(0, 'network', String(e));
          if (err.status === 401 && !renewed) {
            renewed = true;
            await this.resetSession();
            continue;
          }
          if (err.transient) throw err;
          if (this.handleFatal(err)) return;
          this.outbox.shift();
          this.saveOutbox();
          this.setDelivery(item.clientId, 'failed', err.message);
        }
      }
    } catch {
      for (const o of this.outbox) this.setDelivery(o.clientId, 'queued');
      if (!this.stopped) this.timer('retry', backoff(this.sendAttempts++ + 1, this.random), () => void this.flush());
    } finally {
      this.sending = false;
      if (this.flushAgain) {
        this.flushAgain = false;
        if (this.outbox.length) void this.flush();
      }
    }
  }

  /** Tells the operator the visitor is typing (at most every 3 seconds). */
  typing() {
    const now = Date.now();
    if (!this.sock.isOpen || !this.state.conversation || now - this.lastTypingSent < TYPING_EVERY) return;
    this.lastTypingSent = now;
    this.sock.send({ type: 'typing' });
  }

  /** The visitor closes the conversation; the next message starts a new one. */
  async closeConversation(): Promise<void> {
    const conv = this.state.conversation;
    if (!conv) return;
    await this.ensureSession();
    try {
      await this.api.close();
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) throw e;
    }
    this.closedIds.add(conv.id);
    this.set({ conversation: null, closed: true, typing: null });
  }

  /** Name, email, phone from the introduction form or the host page (Livedesk.identify). */
  async identify(p: Profile): Promise<void> {
    const clean: Profile = {};
    for (const k of ['name', 'email', 'phone'] as const) {
      const v = p[k];
      if (typeof v === 'string' && v.trim()) clean[k] = v.trim().slice(0, k === 'email' ? 254 : k === 'phone' ? 40 : 100);
    }
    if (!Object.keys(clean).length) return;
    if (clean.name) {
      this.save('intro', '1');
      this.set({ introDone: true });
    }
    if (!this.api.token && !this.load('token')) {
      // No session yet: it is created with these fields when the visitor first writes.
      this.profile = { ...this.profile, ...clean };
      if (!this.state.visitor?.id) {
        const v = { ...this.state.visitor, ...this.profile };
        this.set({ visitor: { id: '', ...v, name: v.name ?? '', display_name: v.name || this.state.visitor?.display_name || '' } });
      }
      return;
    }
    this.profile = { ...this.profile, ...clean };
    await this.ensureSession();
    if (!Object.keys(this.profile).length) return; // the new session took them
    const s = await this.resume(this.profile);
    this.profile = {};
    this.set({ visitor: s.visitor });
  }

  /** Sends the visitor's profile report (context.ts) when a session exists; false: none yet, nothing sent. */
  async reportProfile(report: unknown): Promise<boolean> {
    if (!this.api.token) return false;
    await this.api.profile(report);
    return true;
  }

  /** The visitor skipped the introduction. */
  skipIntro() {
    this.save('intro', '1');
    this.set({ introDone: true });
  }

  /**
   * The offline form: name, contact (an email if it has "@", else a phone) and the message.
   * Throws ApiError for the form to show; a retry reuses the client id.
   */
  async sendOffline(name: string, contact: string, text: string): Promise<void> {
    this.offlineClientId ||= newClientId(this.random);
    contact = contact.trim();
    const profile: Profile = contact.includes('@') ? { email: contact } : { phone: contact };
    if (name.trim()) profile.name = name.trim();
    await this.ensureSession();
    const m = await this.api.offline(this.offlineClientId, profile, text.trim());
    this.offlineClientId = '';
    this.save('intro', '1');
    this.set({
      offlineSent: true, introDone: true,
      visitor: this.state.visitor && profile.name ? { ...this.state.visitor, name: profile.name, display_name: profile.name } : this.state.visitor,
    });
    this.addServerMessage(m, true);
  }

  /** Opens the chat window. */
  open() {
    if (this.state.open) return;
    this.set({ open: true, unread: 0 });
    if (!this.state.conversation) void this.refreshConfig();
    // A visitor who opens the window while nobody is online gets a session, so that its
    // socket hears the moment an operator comes online.
    if ((this.load('token') || !this.state.online) && !this.api.token) void this.ensureSession().catch(() => {});
  }

  /** Closes the chat window (not the conversation). */
  close() {
    if (this.state.open) this.set({ open: false });
  }

  /** Re-reads whether anyone is online (the window polls while it shows the offline form). */
  pollOnline() {
    void this.refreshConfig();
  }
}
