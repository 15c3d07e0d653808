// What spell check keeps for the page's lifetime, shared by every conversation's composer:
// the per-line answers, the words skipped («Пропустить», this session only) and the words
// just added to the personal dictionary (hidden at once, before any re-check), and the
// on/off setting of this browser.
import { SpellCache, foldWord } from './spell';

const SETTING_KEY = 'livedesk.spellcheck';

class SpellSession {
  readonly cache = new SpellCache();
  private hiddenWords = new Set<string>();
  private listeners = new Set<() => void>();
  private on: boolean;

  constructor() {
    let v: string | null = null;
    try { v = localStorage.getItem(SETTING_KEY); } catch { /* no storage */ }
    this.on = v !== 'off';
  }

  hidden = () => this.hiddenWords;

  /** «Пропустить» or «Добавить в словарь»: the word is no longer underlined anywhere. */
  hide(word: string) {
    this.hiddenWords.add(foldWord(word));
    this.cache.dropWord(word);
    this.emit();
  }

  /** Undoes hide (adding to the dictionary failed). */
  unhide(word: string) {
    this.hiddenWords.delete(foldWord(word));
    this.cache.clear();
    this.emit();
  }

  get enabled() { return this.on; }

  setEnabled(on: boolean) {
    this.on = on;
    try { localStorage.setItem(SETTING_KEY, on ? 'on' : 'off'); } catch { /* not persisted */ }
    this.emit();
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit() { this.listeners.forEach((fn) => fn()); }
}

export const spellSession = new SpellSession();
