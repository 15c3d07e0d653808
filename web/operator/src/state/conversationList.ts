import type { Conversation, ID } from '../api/types';

/**
 * A conversation list kept in the order of the seed: the newest last message first (ties by
 * id, newest first). Items are kept by id; `order` is re-sorted only around the item that
 * changed, so a new message in a list of hundreds costs a binary search, not a sort.
 */
export interface ConversationList {
  byId: Record<ID, Conversation>;
  order: ID[];
  /** next_cursor of the last page loaded; null when every page is loaded. */
  cursor: string | null;
  /** At least one page was loaded. */
  loaded: boolean;
}

export const emptyList: ConversationList = { byId: {}, order: [], cursor: null, loaded: false };

/** Is a before b in the list? */
export function newerFirst(a: Conversation, b: Conversation): number {
  const ta = Date.parse(a.last_message_at), tb = Date.parse(b.last_message_at);
  if (ta !== tb) return tb - ta;
  return Number(b.id) - Number(a.id);
}

function insertionIndex(list: ConversationList, c: Conversation, order: ID[]): number {
  let lo = 0, hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (newerFirst(list.byId[order[mid]], c) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Adds or replaces a conversation, keeping the order. */
export function upsert(list: ConversationList, c: Conversation): ConversationList {
  const order = list.byId[c.id] ? list.order.filter((id) => id !== c.id) : list.order.slice();
  const byId = { ...list.byId, [c.id]: c };
  const at = insertionIndex({ ...list, byId }, c, order);
  // An item older than everything loaded while more pages remain belongs to a page not yet
  // loaded: it will arrive with that page, in its place.
  if (at === order.length && list.cursor !== null && !list.byId[c.id]) return list;
  order.splice(at, 0, c.id);
  return { ...list, byId, order };
}

export function remove(list: ConversationList, id: ID): ConversationList {
  if (!list.byId[id]) return list;
  const byId = { ...list.byId };
  delete byId[id];
  return { ...list, byId, order: list.order.filter((x) => x !== id) };
}

/** Changes one item in place if it is there (its position does not depend on the change). */
export function patch(list: ConversationList, id: ID, fn: (c: Conversation) => Conversation): ConversationList {
  const c = list.byId[id];
  if (!c) return list;
  return { ...list, byId: { ...list.byId, [id]: fn(c) } };
}

/** Appends a page from the server (or replaces everything when `reset`). */
export function addPage(list: ConversationList, items: Conversation[], cursor: string | null, reset: boolean): ConversationList {
  const out: ConversationList = reset ? { ...emptyList } : list;
  const byId = { ...out.byId };
  for (const c of items) byId[c.id] = c;
  const order = Object.values(byId).sort(newerFirst).map((c) => c.id);
  return { byId, order, cursor, loaded: true };
}

/** Items in list order. */
export function items(list: ConversationList): Conversation[] {
  return list.order.map((id) => list.byId[id]);
}
