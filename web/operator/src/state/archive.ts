import type { Conversation, ID } from '../api/types';
import { type ConversationList, emptyList } from './conversationList';

/**
 * The archive: closed conversations, the most recently closed first (ties by id, newest
 * first). It has the shape of the work list (so the same list view shows it), but its own
 * order. The server pages closed conversations by their last message, so a later page may
 * hold a conversation closed more recently than some already shown; merging re-sorts, and
 * an id is never there twice.
 */
export type Archive = ConversationList;

export const emptyArchive: Archive = emptyList;

const closedAt = (c: Conversation) => Date.parse(c.closed_at ?? c.last_message_at);

/** Is a before b in the archive? */
export function closedFirst(a: Conversation, b: Conversation): number {
  const ta = closedAt(a), tb = closedAt(b);
  if (ta !== tb) return tb - ta;
  return Number(b.id) - Number(a.id);
}

/** Merges a page from the server (or replaces everything when `reset`); duplicates are replaced. */
export function addArchivePage(a: Archive, items: Conversation[], cursor: string | null, reset: boolean): Archive {
  const byId: Record<ID, Conversation> = reset ? {} : { ...a.byId };
  for (const c of items) if (c.state === 'closed') byId[c.id] = c;
  // A reset keeps what was closed live after the page was asked for (newer than its first item).
  if (reset && items.length) {
    const newest = items.reduce((x, c) => (closedFirst(x, c) <= 0 ? x : c));
    for (const id of a.order) {
      const c = a.byId[id];
      if (!byId[id] && closedFirst(c, newest) < 0) byId[id] = c;
    }
  }
  const order = Object.values(byId).sort(closedFirst).map((c) => c.id);
  return { byId, order, cursor, loaded: true };
}

/** A conversation just closed: it goes in its place (the top, normally), replacing an older copy. */
export function addClosed(a: Archive, c: Conversation): Archive {
  if (c.state !== 'closed') return a;
  const order = a.byId[c.id] ? a.order.filter((id) => id !== c.id) : a.order.slice();
  const byId = { ...a.byId, [c.id]: c };
  let lo = 0, hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (closedFirst(byId[order[mid]], c) <= 0) lo = mid + 1;
    else hi = mid;
  }
  order.splice(lo, 0, c.id);
  return { ...a, byId, order };
}

/** Whether this operator's archive lists the conversation: staff see the account's, operators their own. */
export function inArchiveOf(c: Conversation, meId: ID, staff: boolean): boolean {
  return c.state === 'closed' && (staff || c.assignee_id === meId);
}
