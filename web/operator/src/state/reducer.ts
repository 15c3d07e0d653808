import type { Category, Conversation, EventFrame, ID, Message, Operator, OperatorBrief, Transfer, TypingData } from '../api/types';
import type { LinkState } from '../../../shared/realtime/resume';
import * as archive from './archive';
import * as list from './conversationList';
import * as hist from './history';
import type { HistoryMessage } from './history';

/** A transfer offered to this operator, waiting for Принять / Отклонить. */
export interface Offer {
  transfer: Transfer;
  conversation: Conversation;
  /** The server's refusal of the last answer (e.g. limit_reached). */
  error?: string;
}

/** A message for the operator; `key` and `params` are looked up in the dictionary when shown. */
export interface Notice {
  id: number;
  tone: 'info' | 'success' | 'error';
  key: string;
  params?: Record<string, string> | undefined;
}

export interface AppState {
  me: Operator;
  /** The work list: for operators their own open conversations, for staff the whole account's. */
  open: list.ConversationList;
  /** Conversations waiting for an operator (staff only). */
  queue: list.ConversationList;
  /** Closed conversations (the Архив tab), loaded when the tab is first opened. */
  archive: archive.Archive;
  /** The account's conversation categories by id, for the archive (loaded with it). */
  categories: Record<ID, Category>;
  histories: Record<ID, hist.History>;
  operators: Record<ID, OperatorBrief>;
  offers: Offer[];
  /** Conversations whose visitor is typing, with the time (ms) the indicator goes out. */
  typing: Record<ID, number>;
  selectedId: ID | null;
  /** Conversations opened from the search that no list holds (another's, an old one). */
  found: Record<ID, Conversation>;
  /** The message a search result opened the history at (highlighted once). */
  focus: { conversation: ID; message: ID; seq: number } | null;
  link: LinkState;
  notices: Notice[];
}

export type Action =
  | { type: 'me'; me: Operator }
  | { type: 'list.page'; which: 'open' | 'queue'; items: Conversation[]; cursor: string | null; reset: boolean }
  | { type: 'archive.page'; items: Conversation[]; cursor: string | null; reset: boolean }
  | { type: 'categories'; items: Category[] }
  | { type: 'history.page'; id: ID; items: Message[]; before: string | null }
  /** Forget every loaded history (after a resync they are reloaded on demand). */
  | { type: 'history.clear' }
  | { type: 'operators'; items: OperatorBrief[] }
  | { type: 'event'; frame: EventFrame }
  | { type: 'typing'; data: TypingData; now: number }
  | { type: 'select'; id: ID | null }
  /** A search result is opened: its conversation, and the message to show. */
  | { type: 'found'; conversation: Conversation }
  | { type: 'focus'; conversation: ID; message: ID }
  | { type: 'message.local'; message: HistoryMessage }
  | { type: 'message.failed'; conversationId: ID; clientId: string }
  | { type: 'read'; id: ID }
  /** This operator closed it; `conversation` is the server's answer (closed, with its category). */
  | { type: 'closed'; id: ID; conversation?: Conversation }
  | { type: 'link'; state: LinkState }
  | { type: 'offers'; offers: Offer[] }
  | { type: 'offer.error'; transferId: ID; error: string }
  | { type: 'notice'; tone: Notice['tone']; key: string; params?: Record<string, string> }
  | { type: 'notice.dismiss'; id: number };

const TYPING_MS = 6000;
let noticeSeq = 0;

export function initialState(me: Operator): AppState {
  return {
    me, open: list.emptyList, queue: list.emptyList, archive: archive.emptyArchive, categories: {}, histories: {}, operators: {}, offers: [], typing: {},
    selectedId: null, found: {}, focus: null, link: 'connecting', notices: [],
  };
}

export const isStaff = (me: Operator) => me.role === 'supervisor' || me.role === 'admin';

/**
 * The visitor's rating stays on a conversation: events other than conversation.rated and
 * conversation.closed carry the conversation without it.
 */
function keepRating(s: AppState, c: Conversation): Conversation {
  const known = (s.open.byId[c.id] ?? s.archive.byId[c.id])?.rating;
  return known && !c.rating ? { ...c, rating: known } : c;
}

/** Puts a conversation where it belongs for this operator: the work list, the queue, or neither. */
function place(s: AppState, c: Conversation): AppState {
  c = keepRating(s, c);
  const mine = c.assignee_id === s.me.id;
  if (c.state === 'assigned' && (mine || isStaff(s.me))) {
    return { ...s, open: list.upsert(s.open, c), queue: list.remove(s.queue, c.id) };
  }
  if (c.state === 'queued' && isStaff(s.me)) {
    return { ...s, queue: list.upsert(s.queue, c), open: list.remove(s.open, c.id) };
  }
  return { ...s, open: list.remove(s.open, c.id), queue: list.remove(s.queue, c.id) };
}

/**
 * Takes a closed conversation out of the work lists (and out of view, if it was open there)
 * and into the archive, when this operator's archive lists it.
 */
function forget(s: AppState, id: ID, closed?: Conversation): AppState {
  const wasOpen = !!(s.open.byId[id] || s.queue.byId[id]);
  const arch = closed && archive.inArchiveOf(closed, s.me.id, isStaff(s.me)) ? archive.addClosed(s.archive, closed) : s.archive;
  return {
    ...s, open: list.remove(s.open, id), queue: list.remove(s.queue, id), archive: arch,
    selectedId: s.selectedId === id && wasOpen ? null : s.selectedId,
  };
}

function notice(s: AppState, tone: Notice['tone'], key: string, params?: Record<string, string>): AppState {
  return { ...s, notices: [...s.notices.slice(-4), { id: ++noticeSeq, tone, key, params }] };
}

function operatorName(s: AppState, id: ID | null | undefined): string {
  return (id && s.operators[id]?.name) || '—';
}

function withHistory(s: AppState, id: ID, fn: (h: hist.History) => hist.History): AppState {
  const h = s.histories[id];
  if (!h) return s;
  return { ...s, histories: { ...s.histories, [id]: fn(h) } };
}

/** The outcome of a resolved transfer, told to the sender and to the receiver. */
function transferOutcome(s: AppState, type: EventFrame['type'], t: Transfer, reason: string): AppState {
  const visitor = (s.open.byId[t.conversation_id] ?? s.offers.find((o) => o.transfer.id === t.id)?.conversation)
    ?.visitor.display_name ?? '';
  const params = { from: operatorName(s, t.from_operator_id), to: operatorName(s, t.to_operator_id), visitor };
  const outcome = type.slice('transfer.'.length);
  if (t.from_operator_id === s.me.id) {
    const key = outcome === 'cancelled' ? `transfer.sender.cancelled.${reason}` : `transfer.sender.${outcome}`;
    return notice(s, outcome === 'accepted' ? 'success' : 'info', key, params);
  }
  if (t.to_operator_id === s.me.id) {
    const key = outcome === 'cancelled' ? `transfer.receiver.cancelled.${reason}` : `transfer.receiver.${outcome}`;
    return notice(s, outcome === 'accepted' ? 'success' : 'info', key, params);
  }
  return s;
}

/** Drops conversations everywhere (their visitor was deleted): lists, histories, the view. */
function withoutConversations(s: AppState, ids: ID[]): AppState {
  let out = s;
  for (const id of ids) {
    const { [id]: _gone, ...histories } = out.histories;
    out = {
      ...out, open: list.remove(out.open, id), queue: list.remove(out.queue, id), archive: list.remove(out.archive, id), histories,
      offers: out.offers.filter((o) => o.conversation.id !== id), selectedId: out.selectedId === id ? null : out.selectedId,
    };
  }
  return out;
}

/** Applies one stored event. Events are applied idempotently: a replay changes nothing twice. */
function applyEvent(s: AppState, f: EventFrame): AppState {
  switch (f.type) {
    case 'transfer.accept_refused':
      return s; // informational; the controller tells the sender (the offer stays pending)
    case 'quick_messages.changed':
      return s; // the controller reloads the quick messages
    case 'conversation.rated': {
      // The visitor rated it: the archive's item, the open one (they ended it), the history's head.
      const { conversation_id: id, rating } = f.data;
      const rate = (c: Conversation) => ({ ...c, rating });
      return { ...s, open: list.patch(s.open, id, rate), archive: list.patch(s.archive, id, rate) };
    }
    case 'visitor.updated':
      return s; // the profile panel's (state/profile.ts), kept by the controller
    case 'visitor.deleted':
      return withoutConversations(s, f.data.conversation_ids);
    case 'conversation.assigned':
    case 'conversation.updated':
    case 'conversation.queued':
      return place(s, f.data.conversation);
    case 'conversation.closed': {
      return forget(s, f.data.conversation.id, f.data.conversation);
    }
    case 'conversation.removed': {
      const { conversation_id: id, reason, to_operator_id } = f.data;
      const c = s.open.byId[id];
      if (!c) return s;
      const out: AppState = { ...s, open: list.remove(s.open, id), selectedId: s.selectedId === id ? null : s.selectedId };
      return notice(out, reason === 'transferred' ? 'success' : 'info', reason === 'transferred' ? 'conversation.transferredAway' : 'conversation.requeued',
        { visitor: c.visitor.display_name, to: operatorName(s, to_operator_id) });
    }
    case 'message.created': {
      const { message: m, conversation: c } = f.data;
      let out = place(s, c);
      out = withHistory(out, c.id, (h) => hist.addMessage(h, m));
      if (m.author.type === 'visitor' && out.typing[c.id]) {
        const typing = { ...out.typing };
        delete typing[c.id];
        out = { ...out, typing };
      }
      return out;
    }
    case 'message.updated':
      return withHistory(s, f.data.conversation_id, (h) => hist.replaceMessage(h, f.data.message));
    case 'transfer.offered': {
      const { transfer: t, conversation: c } = f.data;
      let out = place(s, c);
      if (t.to_operator_id === s.me.id && !s.offers.some((o) => o.transfer.id === t.id)) {
        out = { ...out, offers: [...out.offers, { transfer: t, conversation: c }] };
      }
      return out;
    }
    case 'transfer.accepted':
    case 'transfer.declined':
    case 'transfer.cancelled':
    case 'transfer.expired': {
      const t = f.data.transfer;
      // The sender of an accepted transfer hears of it from conversation.removed, next in the group.
      const told = f.type === 'transfer.accepted' && t.from_operator_id === s.me.id;
      let out = told ? s : transferOutcome(s, f.type, t, f.data.reason ?? '');
      out = { ...out, offers: out.offers.filter((o) => o.transfer.id !== t.id) };
      out = {
        ...out,
        open: list.patch(out.open, t.conversation_id, (c) =>
          c.pending_transfer?.id === t.id ? withoutPending(c) : c),
      };
      return out;
    }
    case 'operator.status': {
      const o = f.data.operator;
      const out = { ...s, operators: { ...s.operators, [o.id]: o } };
      if (o.id !== s.me.id) return out;
      return { ...out, me: { ...s.me, status: o.status, open_count: o.open_count, limit: o.limit, name: o.name, role: o.role } };
    }
  }
}

export function reduce(s: AppState, a: Action): AppState {
  switch (a.type) {
    case 'me':
      return { ...s, me: a.me };
    case 'list.page': {
      const which = a.which;
      return { ...s, [which]: list.addPage(s[which], a.items, a.cursor, a.reset) };
    }
    case 'archive.page':
      return { ...s, archive: archive.addArchivePage(s.archive, a.items, a.cursor, a.reset) };
    case 'categories':
      return { ...s, categories: Object.fromEntries(a.items.map((c) => [c.id, c])) };
    case 'history.page': {
      const h = s.histories[a.id] ?? hist.emptyHistory;
      return { ...s, histories: { ...s.histories, [a.id]: hist.addPage(h, a.items, a.before) } };
    }
    case 'history.clear':
      return { ...s, histories: {} };
    case 'operators':
      return { ...s, operators: Object.fromEntries(a.items.map((o) => [o.id, o])) };
    case 'event':
      return applyEvent(s, a.frame);
    case 'typing':
      if (a.data.author !== 'visitor') return s;
      return { ...s, typing: { ...s.typing, [a.data.conversation_id]: a.now + TYPING_MS } };
    case 'select':
      return { ...s, selectedId: a.id };
    case 'found':
      return { ...s, found: { ...s.found, [a.conversation.id]: a.conversation } };
    case 'focus':
      return { ...s, focus: { conversation: a.conversation, message: a.message, seq: (s.focus?.seq ?? 0) + 1 } };
    case 'message.local':
      return withHistory(s, a.message.conversation_id, (h) => hist.addMessage(h, a.message));
    case 'message.failed':
      return withHistory(s, a.conversationId, (h) => hist.markFailed(h, a.clientId));
    case 'read':
      return { ...s, open: list.patch(s.open, a.id, (c) => ({ ...c, unread_count: 0 })) };
    case 'closed':
      return forget(s, a.id, a.conversation);
    case 'link':
      return { ...s, link: a.state };
    case 'offers':
      return { ...s, offers: a.offers };
    case 'offer.error':
      return { ...s, offers: s.offers.map((o) => (o.transfer.id === a.transferId ? { ...o, error: a.error } : o)) };
    case 'notice':
      return notice(s, a.tone, a.key, a.params);
    case 'notice.dismiss':
      return { ...s, notices: s.notices.filter((n) => n.id !== a.id) };
  }
}

/** The number in the title bar: own conversations with unread messages, plus offers waiting. */
export function attentionCount(s: AppState): number {
  let n = s.offers.length;
  for (const id of s.open.order) {
    const c = s.open.byId[id];
    if (c.assignee_id === s.me.id && c.unread_count > 0) n++;
  }
  return n;
}

/** The conversation without its pending transfer (the offer ended). */
function withoutPending(c: Conversation): Conversation {
  const { pending_transfer: _gone, ...rest } = c;
  return rest;
}
