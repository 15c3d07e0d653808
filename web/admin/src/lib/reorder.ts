// Moving an item of a positioned list up or down, as the few PATCHes that do it.

export interface Positioned {
  id: string;
  position: number;
}

/** Sorted as the server sorts: by position, then by id (numerically). */
export function sortByPosition<T extends Positioned>(items: T[]): T[] {
  return [...items].sort((a, b) => a.position - b.position || Number(a.id) - Number(b.id) || a.id.localeCompare(b.id));
}

/**
 * The new positions after moving the item `id` one place in `dir` (-1 up, +1 down): the
 * list is renumbered 0, 1, 2… in its new order and only the items whose position changes
 * are returned. Equal positions (the server's default is 0) are handled by renumbering.
 * Returns [] when the move is impossible (first item up, last item down, unknown id).
 */
export function moveUpdates<T extends Positioned>(items: T[], id: string, dir: -1 | 1): { id: string; position: number }[] {
  const list = sortByPosition(items);
  const i = list.findIndex((x) => x.id === id);
  const j = i + dir;
  if (i < 0 || j < 0 || j >= list.length) return [];
  [list[i], list[j]] = [list[j], list[i]];
  const out: { id: string; position: number }[] = [];
  list.forEach((x, n) => {
    if (x.position !== n) out.push({ id: x.id, position: n });
  });
  return out;
}

/** Applies position updates to a list (a copy), sorted again. */
export function applyPositions<T extends Positioned>(items: T[], updates: { id: string; position: number }[]): T[] {
  const by = new Map(updates.map((u) => [u.id, u.position]));
  return sortByPosition(items.map((x) => (by.has(x.id) ? { ...x, position: by.get(x.id)! } : x)));
}

/** The position for an item added at the end. */
export function nextPosition(items: Positioned[]): number {
  return items.reduce((m, x) => Math.max(m, x.position + 1), 0);
}
