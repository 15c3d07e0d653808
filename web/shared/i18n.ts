// The language core of the operator app and the admin cabinet: the current language (Russian
// by default, remembered per browser under one key, so both apps follow the same choice),
// change listeners and `t`. Each app keeps its own dictionaries and builds its i18n with
// createI18n(ru, en).

export type Lang = 'ru' | 'en';

const STORAGE_KEY = 'livedesk.lang';

function stored(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'ru';
  } catch {
    return 'ru';
  }
}

export interface I18n<K extends string> {
  getLang(): Lang;
  /** Switches the language everywhere and remembers the choice in this browser. */
  setLang(l: Lang): void;
  onLangChange(fn: (l: Lang) => void): () => void;
  /**
   * The text for `key` in the current language with {name} placeholders filled in; a key
   * missing in English falls back to Russian, an unknown key shows itself.
   */
  t(key: K | string, params?: Record<string, string | number>): string;
  /** Whether the dictionary has a text for key (for optional texts). */
  has(key: string): boolean;
}

/** The i18n of one app over its dictionaries; ru is the default and the fallback. */
export function createI18n<K extends string>(ru: Record<K, string>, en: Partial<Record<K, string>>): I18n<K> {
  const dictionaries: Record<Lang, Record<string, string>> = { ru, en: en as Record<string, string> };
  let lang: Lang = stored();
  const listeners = new Set<(l: Lang) => void>();
  return {
    getLang: () => lang,
    setLang(l: Lang) {
      if (l === lang) return;
      lang = l;
      try {
        localStorage.setItem(STORAGE_KEY, l);
      } catch { /* not persisted */ }
      document.documentElement.lang = l;
      listeners.forEach((fn) => fn(l));
    },
    onLangChange(fn: (l: Lang) => void) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    t(key: K | string, params?: Record<string, string | number>): string {
      let s = dictionaries[lang][key] ?? dictionaries.ru[key] ?? key;
      if (params) s = s.replace(/\{(\w+)\}/g, (m, p) => (p in params ? String(params[p]) : m));
      return s;
    },
    has: (key: string) => key in ru,
  };
}
