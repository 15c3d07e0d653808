import { en } from './en';
import { ru } from './ru';
import type { Lang } from '../lib/format';

export type { Lang };
export type Key = keyof typeof ru;

const dictionaries: Record<Lang, Partial<Record<Key, string>>> = { ru, en };
// The same key as the operator app: one language choice per browser.
const STORAGE_KEY = 'livedesk.lang';

function stored(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'ru';
  } catch {
    return 'ru';
  }
}

let lang: Lang = stored();
const listeners = new Set<(l: Lang) => void>();

export function getLang(): Lang {
  return lang;
}

/** Switches the language everywhere and remembers the choice in this browser. */
export function setLang(l: Lang) {
  if (l === lang) return;
  lang = l;
  try {
    localStorage.setItem(STORAGE_KEY, l);
  } catch { /* not persisted */ }
  document.documentElement.lang = l;
  listeners.forEach((fn) => fn(l));
}

export function onLangChange(fn: (l: Lang) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * The text for `key` in the current language with {name} placeholders filled in; a key
 * missing in English falls back to Russian, an unknown key shows itself.
 */
export function t(key: Key | string, params?: Record<string, string | number>): string {
  const dict = dictionaries[lang] as Record<string, string>;
  let s = dict[key] ?? (ru as Record<string, string>)[key] ?? key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, p) => (p in params ? String(params[p]) : m));
  return s;
}

/** Whether the dictionary has a text for key (for optional error texts). */
export function has(key: string): boolean {
  return key in ru;
}
