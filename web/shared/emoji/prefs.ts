// What the emoji picker remembers on this device: recently used emoji and the skin tone.

import type { SkinTone } from './data';

/** How many recent emoji are kept. */
export const RECENT_MAX = 24;

export interface EmojiPrefs {
  recent: string[];
  tone: SkinTone;
}

type Store = Pick<Storage, 'getItem' | 'setItem'>;

const KEY = 'livedesk.emoji';

/** Puts an emoji first in the recent list (once), keeping at most RECENT_MAX. */
export function pushRecent(recent: string[], emoji: string, max = RECENT_MAX): string[] {
  return [emoji, ...recent.filter((x) => x !== emoji)].slice(0, max);
}

/** Reads the preferences; anything unreadable gives the defaults. */
export function loadPrefs(store: Store | null): EmojiPrefs {
  try {
    const raw = JSON.parse(store?.getItem(KEY) ?? 'null');
    const recent = Array.isArray(raw?.recent) ? raw.recent.filter((x: unknown) => typeof x === 'string' && x.length <= 32).slice(0, RECENT_MAX) : [];
    const tone = Number.isInteger(raw?.tone) && raw.tone >= 0 && raw.tone <= 5 ? raw.tone as SkinTone : 0;
    return { recent, tone };
  } catch {
    return { recent: [], tone: 0 };
  }
}

export function savePrefs(store: Store | null, p: EmojiPrefs) {
  try {
    store?.setItem(KEY, JSON.stringify(p));
  } catch { /* storage full or blocked: remembered for this page only */ }
}
