import { ApiError, api } from './api/client';
import type { Attachment, Category, Conversation, EventFrame, ID, Operator, Quote, ServerFrame, Status, StickerRef } from './api/types';
import type { StartEmailRequest } from '../../shared/api/types.gen';
import { t } from './i18n';
import { chime, desktopNotify, setTitleCount } from './lib/alerts';
import { clientId, guestNumber } from './lib/format';
import { ResumingSocket } from '../../shared/realtime/resume';
import { DraftStore } from './state/drafts';
import { ProfileStore } from './state/profile';
import { profileApi } from './api/profile';
import { QuickCache } from './state/quickStore';
import { type Action, type AppState, type Offer, attentionCount, initialState, isStaff } from './state/reducer';
import { spellSession } from './state/spellSession';
import { Store } from './state/store';

const PAGE = 50;
const TYPING_EVERY_MS = 3000;

/** The dictionary key for a server refusal, and the parameters to show it with. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const key = `error.${err.code}`;
    const known = t(key, { message: err.message });
    return known === key ? t('error.generic', { message: err.message }) : known;
  }
  return t('error.generic', { message: String(err) });
}

/**
 * The running app after login: owns the store, the realtime link and the drafts, loads state
 * over REST, applies live events, and performs the operator's actions against the API.
 */
export class Controller {
  readonly store: Store;
  readonly drafts: DraftStore;
  /** The visitor profile panel's state (docs/visitor-profile.md). */
  readonly profiles: ProfileStore;
  /** The quick messages this operator sees (window, autocomplete, hotkeys). */
  readonly quick = new QuickCache(api);
  /** The account's default of the autocomplete setting (readable by admins; true otherwise, as on the server). */
  private autocompleteDefault = true;
  private readonly link: ResumingSocket<ServerFrame>;
  private loadedOnce = false;
  private loading = false;
  private buffered: EventFrame[] = [];
  private inFlight = new Set<string>();
  private lastTyping = new Map<ID, number>();
  private acceptedNow = new Set<ID>();
  /** Sends that met no network: sent again, with the same client id, once the socket is back. */
  private unsent = new Map<string, () => void>();
  private reloadAgain = false;
  private unsubscribe: () => void;

  constructor(me: Operator, private readonly onLogout: () => void) {
    this.store = new Store(initialState(me));
    this.drafts = new DraftStore(me.id);
    this.profiles = new ProfileStore(profileApi, me.id, typeof localStorage === 'undefined' ? null : localStorage);
    const proto = location.protocol === 'https:' ? 'wss://' : 'ws://';
    this.link = new ResumingSocket<ServerFrame>({
      url: (cursor) => `${proto}${location.host}/api/v1/ws${cursor ? '?cursor=' + encodeURIComponent(cursor) : ''}`,
      onFrame: (f) => this.onFrame(f),
      onState: (state) => {
        this.dispatch({ type: 'link', state });
        // A handshake that keeps failing may be an expired session: /me answers 401 then.
        if (state === 'offline' && this.link.failures >= 2) api.me().catch(() => {});
      },
    });
    let lastCount = -1;
    this.unsubscribe = this.store.subscribe(() => {
      const s = this.store.get();
      const n = attentionCount(s);
      if (n !== lastCount) setTitleCount((lastCount = n));
    });
  }

  get state(): AppState {
    return this.store.get();
  }

  dispatch = (a: Action) => this.store.dispatch(a);

  start() {
    this.link.start();
    void this.loadQuick();
    addEventListener('online', this.onOnline);
    addEventListener('offline', this.onOffline);
    document.addEventListener('visibilitychange', this.onVisible);
  }

  stop() {
    this.link.stop();
    this.quick.stop();
    this.unsubscribe();
    removeEventListener('online', this.onOnline);
    removeEventListener('offline', this.onOffline);
    document.removeEventListener('visibilitychange', this.onVisible);
    setTitleCount(0);
  }

  private onOnline = () => this.link.reconnectNow();
  private onOffline = () => this.link.drop();
  private onVisible = () => {
    if (document.visibilityState === 'visible' && this.state.selectedId) this.markRead(this.state.selectedId);
  };

  // ---- realtime ----

  private onFrame(f: ServerFrame) {
    switch (f.type) {
      case 'ready':
        if (!this.loadedOnce) void this.reload();
        this.resendUnsent();
        return;
      case 'resync':
        void this.reload();
        this.profiles.forget();
        this.quick.invalidate();
        this.resendUnsent();
        return;
      case 'quick_messages.changed':
        this.quick.invalidate();
        return;
      case 'typing':
        this.dispatch({ type: 'typing', data: f.data, now: Date.now() });
        return;
      case 'pong':
      case 'error':
        return;
      default:
        if (this.loading) this.buffered.push(f);
        else this.apply(f);
    }
  }

  /**
   * What the visitor last wrote in a conversation, for the notification of a new assignment.
   * The list preview is the last message of anyone: after a requeue it is the previous
   * operator's reply, which says nothing to the new one; then the history is asked.
   */
  private async visitorsLastWords(c: Conversation): Promise<string> {
    if (!c.last_message || c.last_message.author === 'visitor') return c.last_message?.text ?? '';
    try {
      const page = await api.messages(c.id, null, 30);
      const m = page.items.find((x) => x.author.type === 'visitor');
      if (!m) return '';
      return m.text || (m.attachments?.length ? '📎 ' + m.attachments.map((a) => a.name).join(', ') : m.sticker ? '🖼' : '');
    } catch {
      return '';
    }
  }

  private apply(f: EventFrame) {
    const before = this.state;
    this.dispatch({ type: 'event', frame: f });
    if (f.type === 'visitor.updated') this.profiles.setProfile(f.data.conversation_id, f.data.profile);
    else if (f.type === 'visitor.deleted') this.profiles.forget(f.data.conversation_ids);
    const me = before.me.id;
    if (f.type === 'conversation.assigned') {
      const c = f.data.conversation;
      // A conversation the operator just accepted needs no chime: they are looking at it.
      const accepted = this.acceptedNow.delete(c.id);
      if (c.assignee_id === me && !before.open.byId[c.id] && !accepted) {
        chime('assigned');
        void this.visitorsLastWords(c).then((text) =>
          desktopNotify(t('notify.assigned'), `${this.visitorName(c.visitor.display_name, c.visitor.name, c.visitor.id)}: ${text}`,
            'conv-' + c.id, () => this.select(c.id)));
      }
    } else if (f.type === 'transfer.accept_refused' && f.data.transfer.from_operator_id === me) {
      // The receiver is at their limit: the offer stays pending, the sender learns why.
      const c = before.open.byId[f.data.transfer.conversation_id];
      this.dispatch({ type: 'notice', tone: 'info', key: 'transfer.sender.refused', params: {
        to: before.operators[f.data.transfer.to_operator_id]?.name ?? '',
        visitor: c ? this.visitorName(c.visitor.display_name, c.visitor.name, c.visitor.id) : '' } });
    } else if (f.type === 'transfer.accepted' && f.data.transfer.to_operator_id === me) {
      this.acceptedNow.add(f.data.transfer.conversation_id);
    } else if (f.type === 'transfer.offered' && f.data.transfer.to_operator_id === me) {
      chime('offer');
      const from = this.state.operators[f.data.transfer.from_operator_id]?.name ?? '';
      desktopNotify(t('notify.offer', { from }), f.data.transfer.comment || this.visitorName(
        f.data.conversation.visitor.display_name, f.data.conversation.visitor.name, f.data.conversation.visitor.id), 'offer-' + f.data.transfer.id, () => {});
    } else if (f.type === 'message.created') {
      const m = f.data.message;
      if (m.conversation_id === this.state.selectedId && m.author.type === 'visitor') this.markRead(m.conversation_id);
    } else if (f.type === 'conversation.closed' || f.type === 'conversation.removed') {
      const id = f.type === 'conversation.closed' ? f.data.conversation.id : f.data.conversation_id;
      if (!this.state.open.byId[id]) this.drafts.clear(id);
      if (f.type === 'conversation.closed') this.knowCategory(f.data.conversation.category_id);
    }
  }

  /** Loads (or reloads after a resync) everything the screen shows, then applies held events. */
  private async reload() {
    if (this.loading) {
      // A resync during a load: what is being loaded may already be stale.
      this.reloadAgain = true;
      return;
    }
    this.loading = true;
    this.reloadAgain = false;
    try {
      const staff = isStaff(this.state.me);
      // The archive is loaded when its tab is first opened; after a resync it is reloaded if it was.
      const archived = this.state.archive.loaded;
      const [me, open, queue, ops, closed] = await Promise.all([
        api.me(),
        api.conversations('open', null, PAGE),
        staff ? api.conversations('queued', null, PAGE) : Promise.resolve(null),
        api.operators(),
        archived ? api.conversations('closed', null, PAGE) : Promise.resolve(null),
      ]);
      this.dispatch({ type: 'me', me });
      if (me.settings.spellcheck !== undefined) spellSession.setEnabled(me.settings.spellcheck);
      this.dispatch({ type: 'operators', items: ops.items });
      this.dispatch({ type: 'list.page', which: 'open', items: open.items, cursor: open.next_cursor, reset: true });
      if (queue) this.dispatch({ type: 'list.page', which: 'queue', items: queue.items, cursor: queue.next_cursor, reset: true });
      if (closed) this.dispatch({ type: 'archive.page', items: closed.items, cursor: closed.next_cursor, reset: true });
      this.dispatch({ type: 'history.clear' });
      await this.restoreOffers();
      this.loadedOnce = true;
      const sel = this.state.selectedId;
      if (sel) void this.loadHistory(sel);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) setTimeout(() => void this.reload(), 3000);
    } finally {
      this.loading = false;
      const held = this.buffered;
      this.buffered = [];
      held.forEach((f) => this.apply(f));
    }
    if (this.reloadAgain) await this.reload();
  }

  // ---- transfer offers survive a reload: the server lists the pending ones ----

  private async restoreOffers() {
    let live: Offer[] = [];
    try {
      live = (await api.pendingTransfers()).incoming;
    } catch { /* shown again by the next event */ }
    const current = this.state.offers.filter((o) => !live.some((l) => l.transfer.id === o.transfer.id));
    this.dispatch({ type: 'offers', offers: [...live, ...current] });
  }

  // ---- lists and histories ----

  async loadMore(which: 'open' | 'queue' | 'archive') {
    if (which === 'archive') return this.loadArchive();
    const l = this.state[which];
    const key = 'list-' + which;
    if (!l.cursor || this.inFlight.has(key)) return;
    this.inFlight.add(key);
    try {
      const page = await api.conversations(which === 'open' ? 'open' : 'queued', l.cursor, PAGE);
      this.dispatch({ type: 'list.page', which, items: page.items, cursor: page.next_cursor, reset: false });
    } catch (err) {
      this.fail(err);
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** The archive's first page (when its tab is first opened) or its next page; and the category names. */
  async loadArchive() {
    const a = this.state.archive;
    const key = 'list-archive';
    if ((a.loaded && !a.cursor) || this.inFlight.has(key)) return;
    this.inFlight.add(key);
    if (!a.loaded) void this.loadCategories();
    try {
      const page = await api.conversations('closed', a.loaded ? a.cursor : null, PAGE);
      this.dispatch({ type: 'archive.page', items: page.items, cursor: page.next_cursor, reset: false });
    } catch (err) {
      this.fail(err);
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** The category names the archive shows (reloaded when an unknown one turns up). */
  async loadCategories() {
    const key = 'categories';
    if (this.inFlight.has(key)) return;
    this.inFlight.add(key);
    try {
      this.dispatch({ type: 'categories', items: (await api.categories()).items });
    } catch { /* the archive shows no category name until the next try */ } finally {
      this.inFlight.delete(key);
    }
  }

  select(id: ID | null) {
    this.dispatch({ type: 'select', id });
    if (!id) return;
    if (!this.state.histories[id]) void this.loadHistory(id);
    this.markRead(id);
  }

  private async loadHistory(id: ID) {
    const key = 'hist-' + id;
    if (this.inFlight.has(key)) return;
    this.inFlight.add(key);
    try {
      const page = await api.messages(id, null, PAGE);
      this.dispatch({ type: 'history.page', id, items: page.items, before: page.next_cursor });
    } catch (err) {
      this.fail(err);
    } finally {
      this.inFlight.delete(key);
    }
  }

  /**
   * Opens a search result: its conversation (kept aside when no list holds it) with the
   * history loaded back to the message it was found by, which the history then shows and
   * highlights. Gives up going back after 50 pages and shows the newest.
   */
  async openFound(c: Conversation, messageId?: ID) {
    const id = c.id;
    this.dispatch({ type: 'found', conversation: c });
    this.dispatch({ type: 'select', id });
    this.markRead(id);
    if (c.category_id && !this.state.categories[c.category_id]) void this.loadCategories();
    if (!this.state.histories[id]) await this.loadHistory(id);
    if (!messageId) return;
    for (let pages = 0; pages < 50; pages++) {
      const h = this.state.histories[id];
      if (!h || this.state.selectedId !== id) return;
      if (h.messages.some((m) => m.id === messageId) || !h.before) break;
      await this.loadOlder(id);
    }
    if (this.state.selectedId === id) this.dispatch({ type: 'focus', conversation: id, message: messageId });
  }

  /** Loads the next older page of a history; resolves when it is in the state. */
  async loadOlder(id: ID): Promise<void> {
    const h = this.state.histories[id];
    const key = 'older-' + id;
    if (!h?.before || this.inFlight.has(key)) return;
    this.inFlight.add(key);
    try {
      const page = await api.messages(id, h.before, 100);
      this.dispatch({ type: 'history.page', id, items: page.items, before: page.next_cursor });
    } catch (err) {
      this.fail(err);
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** Tells the server the operator has seen the conversation (only their own, only when looking). */
  markRead(id: ID) {
    const c = this.state.open.byId[id];
    const key = 'read-' + id;
    if (!c || c.unread_count === 0 || c.assignee_id !== this.state.me.id || this.inFlight.has(key)) return;
    if (document.visibilityState !== 'visible' || this.state.me.status === 'offline') return;
    this.inFlight.add(key);
    this.dispatch({ type: 'read', id });
    api.markRead(id).catch(() => {}).finally(() => this.inFlight.delete(key));
  }

  // ---- writing ----

  /**
   * Sends a reply (with its quote, uploaded files or a sticker) or an internal comment; it
   * shows at once as pending.
   */
  async send(id: ID, text: string, opts: { comment: boolean; quote?: Quote | undefined; sticker?: StickerRef | undefined; attachments?: Attachment[] | undefined }, cid = clientId()) {
    const me = this.state.me;
    const attachments = opts.attachments ?? [];
    this.dispatch({
      type: 'message.local',
      message: {
        id: 'local-' + cid, conversation_id: id, client_id: cid, author: { type: 'operator', id: me.id, name: me.name },
        kind: opts.comment ? 'comment' : opts.sticker ? 'sticker' : 'text', text, attachments, created_at: new Date().toISOString(),
        ...(opts.quote ? { reply_to: opts.quote.id, quote: opts.quote } : {}),
        ...(opts.sticker ? { sticker_id: opts.sticker.id, sticker: opts.sticker } : {}), delivery: 'pending',
      },
    });
    const media = opts.sticker ? { sticker_id: opts.sticker.id } : attachments.length ? { attachment_ids: attachments.map((a) => a.id) } : {};
    try {
      const m = opts.comment ? await api.addComment(id, cid, text) : await api.sendMessage(id, cid, text, opts.quote?.id, media);
      this.dispatch({ type: 'message.local', message: m });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'network') {
        // No answer: it may or may not have been stored. It stays pending and goes again
        // when the connection is back; the same client_id makes a second arrival impossible.
        this.unsent.set(cid, () => void this.send(id, text, opts, cid));
        setTimeout(() => this.resendUnsent(), 15_000); // the socket may never have dropped
        return;
      }
      // The server refused it: «Повторить» is the operator's call.
      this.dispatch({ type: 'message.failed', conversationId: id, clientId: cid });
      this.fail(err);
    }
  }

  /** Sends again what met no network, now that the socket is back. */
  private resendUnsent() {
    const again = [...this.unsent.values()];
    this.unsent.clear();
    for (const send of again) send();
  }

  /** Sends a failed message again with the same client id, so it can never arrive twice. */
  retry(id: ID, cid: string) {
    const m = this.state.histories[id]?.messages.find((x) => x.client_id === cid && x.delivery === 'failed');
    if (m) void this.send(id, m.text, { comment: m.kind === 'comment', quote: m.quote, sticker: m.sticker, attachments: m.attachments }, cid);
  }

  /** Tells the visitor the operator is typing, at most every few seconds. */
  typing(id: ID) {
    const now = Date.now();
    if (now - (this.lastTyping.get(id) ?? 0) < TYPING_EVERY_MS) return;
    this.lastTyping.set(id, now);
    this.link.send({ type: 'typing', conversation_id: id });
  }

  async setStatus(status: Status) {
    try {
      const me = await api.setStatus(status);
      this.dispatch({ type: 'me', me });
    } catch (err) {
      this.fail(err);
    }
  }

  async saveLanguage(language: 'ru' | 'en') {
    try {
      const me = await api.updateSettings({ language });
      this.dispatch({ type: 'me', me });
    } catch (err) {
      this.fail(err);
    }
  }

  private async loadQuick() {
    if (this.state.me.role === 'admin') {
      api.adminSettings().then((s) => { this.autocompleteDefault = s.autocomplete_quick_messages; this.store.dispatch({ type: 'me', me: { ...this.state.me } }); }, () => {});
    }
    try {
      await this.quick.load();
    } catch {
      this.quick.invalidate(); // try again shortly
    }
  }

  /** Whether the composer suggests quick messages: the operator's setting, else the account's default. */
  autocomplete(me = this.state.me): boolean {
    return me.settings.autocomplete_quick_messages ?? this.autocompleteDefault;
  }

  async saveAutocomplete(on: boolean) {
    try {
      const me = await api.updateSettings({ autocomplete_quick_messages: on });
      this.dispatch({ type: 'me', me });
    } catch (err) {
      this.fail(err);
    }
  }

  async categories(): Promise<Category[]> {
    const r = await api.categories();
    return r.items.slice().sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
  }

  async refreshOperators() {
    try {
      const r = await api.operators();
      this.dispatch({ type: 'operators', items: r.items });
    } catch { /* keep the live list */ }
  }

  /** A category the archive does not know by name yet (new since it was loaded): reload the names. */
  private knowCategory(id: ID | undefined) {
    if (id && this.state.archive.loaded && !this.state.categories[id]) void this.loadCategories();
  }

  /** Closes a conversation; throws the server's refusal for the dialog to show. */
  async close(id: ID, categoryId: ID | null) {
    const c = this.state.open.byId[id];
    const closed = await api.close(id, categoryId);
    this.dispatch({ type: 'closed', id, conversation: closed });
    this.knowCategory(closed.category_id);
    this.drafts.clear(id);
    if (c) this.dispatch({ type: 'notice', tone: 'success', key: 'close.done', params: { visitor: this.visitorName(c.visitor.display_name, c.visitor.name, c.visitor.id) } });
  }

  /** Takes a queued conversation (to: none) or gives it to an operator; throws the refusal. */
  async assignQueued(id: ID, to?: ID) {
    const c = await api.assignQueued(id, to);
    this.dispatch({ type: 'event', frame: { type: 'conversation.assigned', data: { conversation: c } } as EventFrame });
  }

  /**
   * Writes a new mail to a customer address (the «Написать письмо» dialog) and opens the
   * conversation it starts; throws the server's refusal for the dialog to show.
   */
  async startEmail(body: StartEmailRequest): Promise<ID> {
    const r = await api.startEmail(body);
    // The same as the events that follow over the socket (applying them twice changes nothing).
    this.dispatch({ type: 'event', frame: { type: 'conversation.assigned', data: { conversation: r.conversation } } as EventFrame });
    this.dispatch({ type: 'event', frame: { type: 'message.created', data: { conversation: r.conversation, message: r.message } } as EventFrame });
    this.select(r.conversation.id);
    return r.conversation.id;
  }

  /** Offers a conversation to a colleague; throws the server's refusal for the dialog to show. */
  async offerTransfer(id: ID, to: ID, comment: string) {
    const t = await api.offerTransfer(id, to, comment);
    // Email moves at once (state accepted; conversation.removed tells it); webchat waits for Принять.
    if (t.state === 'pending') {
      this.dispatch({ type: 'notice', tone: 'info', key: 'transfer.offered', params: { to: this.state.operators[to]?.name ?? '' } });
    }
  }

  async cancelTransfer(transferId: ID) {
    try {
      await api.cancelTransfer(transferId);
    } catch (err) {
      this.fail(err);
    }
  }

  async answerOffer(transferId: ID, accept: boolean) {
    // Taken now: the transfer's event may remove the offer before the answer returns.
    const offer = this.state.offers.find((o) => o.transfer.id === transferId);
    try {
      if (accept) await api.acceptTransfer(transferId);
      else await api.declineTransfer(transferId);
      this.dispatch({ type: 'offers', offers: this.state.offers.filter((o) => o.transfer.id !== transferId) });
      if (accept && offer) this.select(offer.conversation.id);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'transfer_not_pending') {
        this.dispatch({ type: 'offers', offers: this.state.offers.filter((o) => o.transfer.id !== transferId) });
      }
      this.dispatch({ type: 'offer.error', transferId, error: errorText(err) });
    }
  }

  async logout() {
    try {
      await api.logout();
    } catch { /* the session is gone either way */ }
    this.stop();
    this.onLogout();
  }

  /** «Гость» is the server's word; in English it reads «Guest». */
  visitorName(display: string, name: string, id?: ID): string {
    return name ? display : id ? t('list.guestN', { n: String(guestNumber(id)) }) : t('list.guest');
  }

  /** Shows a server refusal that no dialog is waiting for. */
  fail(err: unknown) {
    this.dispatch({ type: 'notice', tone: 'error', key: 'raw', params: { text: errorText(err) } });
  }
}
