// Quick messages (DESIGN §2.8) on the client: the server's search semantics for local
// filtering, highlighting of matches, placeholder filling and the autocomplete's state.
// Everything here is pure, so it is unit-tested without a browser.
import type { QuickMessage } from '../api/types';

/** The shortest query that searches, in letters and digits (the server's quick.MinQueryRunes). */
export const MIN_QUERY = 2;

const WORD_CHAR = /[\p{L}\p{Nd}]/u;

/** One character as search compares it: lower case, ё → е; anything else than a letter or digit is a space. */
function foldChar(ch: string): string {
  if (ch === 'ё' || ch === 'Ё') return 'е';
  if (!WORD_CHAR.test(ch)) return ' ';
  const lower = ch.toLowerCase();
  // Keep one character per character, so positions map back to the original text.
  return [...lower].length === 1 ? lower : ch;
}

/**
 * The form search compares (as the server's quick.Fold): lower case, ё → е, every run of
 * characters other than letters and digits one space, trimmed.
 */
export function fold(s: string): string {
  let out = '';
  for (const ch of s) out += foldChar(ch);
  return out.replace(/ +/g, ' ').trim();
}

/** The words of a query, or null when it is too short to search (everything is shown then). */
export function queryWords(q: string): string[] | null {
  const f = fold(q);
  if ([...f.replace(/ /g, '')].length < MIN_QUERY) return null;
  return f.split(' ');
}

/** Whether every word occurs in the message's title or text, in any order. */
export function matchesWords(m: Pick<QuickMessage, 'title' | 'text'>, words: string[] | null): boolean {
  if (!words) return true;
  const f = fold(m.title + ' ' + m.text);
  return words.every((w) => f.includes(w));
}

/** The id of the category a message is listed in: `personal` or its category id. */
export function categoryOf(m: QuickMessage): string {
  return m.personal ? 'personal' : m.category_id ?? '';
}

/** The server's search done locally: category ('' = all), then every word of q, list order kept. */
export function filterQuick(items: QuickMessage[], q: string, category: string): QuickMessage[] {
  const words = queryWords(q);
  return items.filter((m) => (!category || categoryOf(m) === category) && matchesWords(m, words));
}

/** A piece of text, marked when it is part of a match. */
export interface Segment {
  text: string;
  hit: boolean;
}

/** Splits text into plain and matched pieces for the words of q (same folding as the search). */
export function highlight(text: string, q: string): Segment[] {
  const words = queryWords(q);
  const chars = [...text];
  if (!words || chars.length === 0) return [{ text, hit: false }];
  const folded = chars.map(foldChar).join('');
  const hit = new Array<boolean>(chars.length).fill(false);
  for (const w of words) {
    for (let i = folded.indexOf(w); i !== -1; i = folded.indexOf(w, i + 1)) {
      for (let j = i; j < i + w.length; j++) hit[j] = true;
    }
  }
  const out: Segment[] = [];
  for (let i = 0; i < chars.length; i++) {
    const last = out[out.length - 1];
    if (last && last.hit === hit[i]) last.text += chars[i];
    else out.push({ text: chars[i], hit: hit[i] });
  }
  return out;
}

/**
 * Fills `{visitor_name}` and `{operator_name}`. Without a visitor name the placeholder is left
 * out together with the comma or space that introduced it («Здравствуйте, {visitor_name}!» →
 * «Здравствуйте!»), and a sentence it started begins with a capital: an operator addressing a
 * visitor as «Гость» reads like a form letter.
 */
export function fillPlaceholders(text: string, names: { visitor: string; operator: string }): string {
  let s = text.replace(/\{operator_name\}/g, names.operator);
  const visitor = names.visitor.trim();
  if (visitor) return s.replace(/\{visitor_name\}/g, visitor);
  const P = '\\{visitor_name\\}';
  // «Спасибо, {visitor_name}, за ожидание» → «Спасибо за ожидание»
  s = s.replace(new RegExp(`[ \\t]*,[ \\t]*${P}[ \\t]*,[ \\t]*`, 'g'), ' ');
  // «{visitor_name}, добрый день» (at the start of the text or of a line) → «Добрый день»
  s = s.replace(new RegExp(`(^|\\n)[ \\t]*${P}[ \\t]*[,!]?[ \\t]*(\\S?)`, 'g'), (_m, start: string, next: string) => start + next.toUpperCase());
  // «Здравствуйте, {visitor_name}!» → «Здравствуйте!»
  s = s.replace(new RegExp(`[ \\t]*,?[ \\t]*${P}`, 'g'), '');
  return s;
}

/** Inserts text into value in place of [start, end); returns the new value and the caret after it. */
export function insertAt(value: string, start: number, end: number, text: string): { value: string; caret: number } {
  const a = Math.max(0, Math.min(start, value.length));
  const b = Math.max(a, Math.min(end, value.length));
  return { value: value.slice(0, a) + text + value.slice(b), caret: a + text.length };
}

// ---- autocomplete ----

/** At most this many suggestions are shown above the composer. */
export const SUGGEST_MAX = 5;

/**
 * The autocomplete's state. `index` is the highlighted suggestion, -1 for none: a suggestion
 * is highlighted only after ↓/↑, so Enter keeps sending the reply until the operator has
 * deliberately moved into the list (Tab accepts the highlighted one, or the first).
 */
export interface Suggest {
  /** The words typed: the current line of the composer up to the caret. */
  query: string;
  /** Where that query starts in the composer's text (accepting replaces from here to the caret). */
  from: number;
  items: QuickMessage[];
  index: number;
  /** The query Esc was pressed for: hidden while the query still starts with it. */
  dismissed: string | null;
}

export const emptySuggest: Suggest = { query: '', from: 0, items: [], index: -1, dismissed: null };

/** The query autocomplete uses for a composer text and caret: the current line up to the caret. */
export function suggestQuery(text: string, caret: number): { query: string; from: number } {
  const before = text.slice(0, caret);
  const from = before.lastIndexOf('\n') + 1;
  return { query: before.slice(from), from };
}

/** New suggestions after the composer's text changed; keeps the highlight on the same message. */
export function suggestUpdate(s: Suggest, query: string, from: number, found: QuickMessage[]): Suggest {
  const words = queryWords(query);
  let dismissed = s.dismissed;
  if (dismissed !== null && !fold(query).startsWith(fold(dismissed))) dismissed = null;
  if (!words || dismissed !== null) return { query, from, items: [], index: -1, dismissed };
  // A message whose text is already what was typed has nothing to add.
  const f = fold(query);
  const items = found.filter((m) => fold(m.text) !== f).slice(0, SUGGEST_MAX);
  const keep = s.index >= 0 ? items.findIndex((m) => m.id === s.items[s.index]?.id) : -1;
  return { query, from, items, index: keep, dismissed };
}

/** Whether suggestions are on screen. */
export const suggestOpen = (s: Suggest) => s.items.length > 0;

/** ↓ (+1) / ↑ (-1): moves the highlight, wrapping; from nothing ↓ goes to the first, ↑ to the last. */
export function suggestMove(s: Suggest, delta: 1 | -1): Suggest {
  const n = s.items.length;
  if (!n) return s;
  const index = s.index < 0 ? (delta > 0 ? 0 : n - 1) : (s.index + delta + n) % n;
  return { ...s, index };
}

/** Esc: hides the list until the query no longer starts with what is typed now. */
export function suggestDismiss(s: Suggest): Suggest {
  return { ...s, items: [], index: -1, dismissed: s.query };
}

/** The message a key accepts, or null when the key must keep its usual meaning. */
export function suggestPick(s: Suggest, key: 'Enter' | 'Tab'): QuickMessage | null {
  if (!s.items.length) return null;
  if (s.index >= 0) return s.items[s.index];
  // Nothing highlighted: Tab takes the first, Enter is never stolen (it sends the reply).
  return key === 'Tab' ? s.items[0] : null;
}
