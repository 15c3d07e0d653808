import type { Message } from '../api/types';

/** A message in the history; the operator's own sends are shown before the server confirms them. */
export type HistoryMessage = Message & { delivery?: 'pending' | 'failed' };

/** The loaded part of one conversation's history, oldest first. */
export interface History {
  messages: HistoryMessage[];
  /** Cursor for the next older page; null when the oldest message is loaded. */
  before: string | null;
  /** The first (newest) page has been loaded. */
  loaded: boolean;
}

export const emptyHistory: History = { messages: [], before: null, loaded: false };

const isPending = (m: HistoryMessage) => m.delivery !== undefined;

function byId(a: HistoryMessage, b: HistoryMessage): number {
  if (isPending(a) !== isPending(b)) return isPending(a) ? 1 : -1;
  if (isPending(a)) return 0;
  return Number(a.id) - Number(b.id);
}

/** Adds one message: replaces the optimistic copy with the same client_id, ignores duplicates. */
export function addMessage(h: History, m: HistoryMessage): History {
  const msgs = h.messages;
  if (m.client_id) {
    const i = msgs.findIndex((x) => x.client_id === m.client_id && x.author.type === m.author.type);
    if (i >= 0) {
      if (!isPending(msgs[i])) return h; // the server's copy is already here
      const rest = msgs.slice(0, i).concat(msgs.slice(i + 1));
      return addMessage({ ...h, messages: rest }, m);
    }
  }
  if (!isPending(m) && msgs.some((x) => x.id === m.id)) return h;
  // Confirmed messages go before the pending ones, in id order (nearly always at the end).
  let at = msgs.length;
  while (at > 0 && byId(msgs[at - 1], m) > 0) at--;
  const messages = msgs.slice();
  messages.splice(at, 0, m);
  return { ...h, messages };
}

/** Adds a page from the server (newest first, as the API sends it). */
export function addPage(h: History, page: Message[], before: string | null): History {
  const seen = new Set(h.messages.map((m) => m.id));
  const fresh = page.filter((m) => !seen.has(m.id)).reverse();
  const messages = fresh.concat(h.messages).sort(byId);
  return { messages, before, loaded: true };
}

/** Marks the optimistic copy of a send as failed (it stays, with a retry). */
export function markFailed(h: History, clientId: string): History {
  return {
    ...h,
    messages: h.messages.map((m) => (m.client_id === clientId && isPending(m) ? { ...m, delivery: 'failed' } : m)),
  };
}


/** Replaces a stored message with its newer state (message.updated); unknown ids are ignored. */
export function replaceMessage(h: History, m: Message): History {
  const i = h.messages.findIndex((x) => x.id === m.id && !isPending(x));
  if (i < 0) return h;
  const messages = h.messages.slice();
  messages[i] = m;
  return { ...h, messages };
}
