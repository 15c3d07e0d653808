// Emoji data for the pickers, prepared at build time from emojibase-data (Emoji 17, English
// and Russian annotations and tags) into one compact JSON file that the apps fetch only when
// the picker first opens (see vite-plugin.ts). Searching and skin tones are pure functions.

/** One emoji: the character, its category, English and Russian label and tags, skin variants. */
export interface Emoji {
  /** The emoji (default, yellow). */
  u: string;
  /** Index into EmojiData.groups. */
  g: number;
  /** English label. */
  n: string;
  /** English tags, space-separated. */
  t: string;
  /** Russian label. */
  r: string;
  /** Russian tags, space-separated. */
  q: string;
  /** The five skin-tone variants (light … dark), when the emoji has them. */
  s?: string[];
}

export interface EmojiGroup {
  key: string;
  en: string;
  ru: string;
}

export interface EmojiData {
  version: string;
  groups: EmojiGroup[];
  emoji: Emoji[];
}

/** The shape of emojibase-data's compact.json entries (what we read of it). */
export interface CompactEmoji {
  unicode: string;
  label: string;
  group?: number;
  order?: number;
  tags?: string[];
  skins?: { unicode: string }[];
}

export interface GroupMessages {
  groups: { key: string; message: string; order: number }[];
}

const COMPONENT_GROUP = 2; // skin tone and hair swatches: not emoji to send

/** Builds the picker's data from emojibase-data's English and Russian compact sets. */
export function buildEmojiData(en: CompactEmoji[], ru: CompactEmoji[], enMsg: GroupMessages, ruMsg: GroupMessages, version: string): EmojiData {
  const ruBy = new Map(ru.map((e) => [e.unicode, e]));
  const used = [...new Set(en.filter((e) => e.group !== undefined && e.group !== COMPONENT_GROUP).map((e) => e.group!))].sort((a, b) => a - b);
  const index = new Map(used.map((g, i) => [g, i]));
  const groups = used.map((g) => {
    const ek = enMsg.groups.find((x) => x.order === g);
    const rk = ruMsg.groups.find((x) => x.order === g);
    return { key: ek?.key ?? String(g), en: ek?.message ?? '', ru: rk?.message ?? ek?.message ?? '' };
  });
  const emoji: Emoji[] = [];
  for (const e of [...en].sort((a, b) => (a.order ?? 0) - (b.order ?? 0))) {
    if (e.group === undefined || e.group === COMPONENT_GROUP) continue;
    const r = ruBy.get(e.unicode);
    const item: Emoji = { u: e.unicode, g: index.get(e.group)!, n: e.label, t: (e.tags ?? []).join(' '), r: r?.label ?? '', q: (r?.tags ?? []).join(' ') };
    if (e.skins && e.skins.length >= 5) item.s = e.skins.slice(0, 5).map((s) => s.unicode);
    emoji.push(item);
  }
  return { version, groups, emoji };
}

/** Lower case, ё as е, trimmed: how queries and annotations are compared. */
export function fold(s: string): string {
  return s.toLowerCase().replace(/ё/g, 'е').trim();
}

/** The emoji support chats use most; they win ties in search. */
const POPULAR = new Set(['❤️', '👍', '🙏', '😊', '🙂', '😀', '😂', '🔥', '👌', '✅', '🎉', '😉', '😍', '🤝', '👋', '😢', '😔', '🤔', '👏', '⭐']);

/**
 * Finds emoji by a query in Russian or English: every word of the query must start a word of
 * the emoji's labels or tags (in either language). Results rank exact tag or label words
 * first, then label matches, then the rest; ties go to popular emoji, then the standard order.
 */
export function searchEmoji(data: EmojiData, query: string, limit = 200): Emoji[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  const scored: { e: Emoji; score: number; i: number }[] = [];
  data.emoji.forEach((e, i) => {
    const label = ' ' + fold(e.n + ' ' + e.r).replace(/[:,]/g, ' ') + ' ';
    const all = label + fold(e.t + ' ' + e.q) + ' ';
    let score = 0;
    for (const w of words) {
      if (all.includes(' ' + w + ' ')) score += label.includes(' ' + w + ' ') ? 4 : 3;
      else if (label.includes(' ' + w)) score += 2;
      else if (all.includes(' ' + w)) score += 1;
      else return;
    }
    // Among equal matches the emoji people send most come first (❤️ for «сердце»).
    scored.push({ e, score: score + (POPULAR.has(e.u) ? 0.5 : 0), i });
  });
  scored.sort((a, b) => b.score - a.score || a.i - b.i);
  return scored.slice(0, limit).map((x) => x.e);
}

/** Skin tones: 0 is the default yellow, 1–5 light to dark. */
export type SkinTone = 0 | 1 | 2 | 3 | 4 | 5;

/** The emoji in the chosen skin tone (itself when it has no variants). */
export function withSkin(e: Emoji, tone: SkinTone): string {
  return tone > 0 && e.s ? e.s[tone - 1] ?? e.u : e.u;
}
