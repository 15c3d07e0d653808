import type { ID, QuickCategory, QuickList, QuickMessage } from '../api/types';
import { categoryOf, filterQuick } from './quick';

/** The part of the REST client the cache needs (the real `api`, or a fake in tests). */
export interface QuickApi {
  quickMessages(q?: string, category?: string, limit?: number): Promise<QuickList>;
  createQuick(title: string, text: string): Promise<QuickMessage>;
  updateQuick(id: ID, title: string, text: string): Promise<QuickMessage>;
  deleteQuick(id: ID): Promise<void>;
  setQuickHotkey(id: ID, hotkey: string | null): Promise<QuickMessage>;
}

/** The most one request returns (GET /quick-messages?limit=). */
const PAGE = 500;
/** Several changes in a row (an admin importing, say) cause one reload. */
const RELOAD_DELAY_MS = 250;

/**
 * The quick messages this operator sees, cached for the window, the autocomplete and the
 * hotkeys, and reloaded on `quick_messages.changed`. A request returns at most 500; a bigger
 * account is loaded category by category. Only when some category alone has more than 500
 * is the cache incomplete: searches then go to the server (`search`), and hotkeys of messages
 * beyond the first 500 of such a category are not known to this tab.
 */
export class QuickCache {
  categories: QuickCategory[] = [];
  items: QuickMessage[] = [];
  /** Whether `items` holds every message (local search has the server's answer). */
  complete = false;
  loaded = false;
  private listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private seq = 0;

  constructor(private readonly api: QuickApi, private readonly page = PAGE) {}

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed() {
    this.listeners.forEach((fn) => fn());
  }

  /** Loads everything (again); a newer load wins over an older one still on its way. */
  async load(): Promise<void> {
    const seq = ++this.seq;
    const all = await this.api.quickMessages('', '', this.page);
    let items = all.items;
    let complete = items.length < this.page;
    if (!complete) {
      const parts = await Promise.all(all.categories.map((c) => this.api.quickMessages('', c.id, this.page)));
      items = parts.flatMap((p) => p.items);
      complete = parts.every((p) => p.items.length < this.page);
    }
    if (seq !== this.seq) return;
    this.categories = all.categories;
    this.items = items;
    this.complete = complete;
    this.loaded = true;
    this.changed();
  }

  /** The list changed on the server: reload soon (several changes in a row, once). */
  invalidate() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.load().catch(() => {});
    }, RELOAD_DELAY_MS);
  }

  stop() {
    if (this.timer) clearTimeout(this.timer);
    this.listeners.clear();
  }

  /** The answer when the cache has it, without waiting (null: ask `search`). */
  searchLocal(q: string, category: string): QuickMessage[] | null {
    return this.complete ? filterQuick(this.items, q, category) : null;
  }

  /** Search with the server's semantics: locally when the cache is complete, else on the server. */
  async search(q: string, category: string): Promise<QuickMessage[]> {
    const local = this.searchLocal(q, category);
    if (local) return local;
    return (await this.api.quickMessages(q, category, this.page)).items;
  }

  /** The message this operator bound to a hotkey. */
  byHotkey(hotkey: string): QuickMessage | undefined {
    return this.items.find((m) => m.hotkey === hotkey);
  }

  byId(id: ID): QuickMessage | undefined {
    return this.items.find((m) => m.id === id);
  }

  categoryName(m: QuickMessage): string {
    const id = categoryOf(m);
    return this.categories.find((c) => c.id === id)?.name ?? '';
  }

  /** Puts a message the server returned into the cache (the event's reload confirms it). */
  private put(m: QuickMessage) {
    const i = this.items.findIndex((x) => x.id === m.id);
    if (i >= 0) this.items = this.items.map((x) => (x.id === m.id ? m : x));
    // A new personal message goes last among the personal ones (the server's order).
    else {
      const after = this.items.filter((x) => x.personal).length;
      this.items = [...this.items.slice(0, after), m, ...this.items.slice(after)];
    }
    this.changed();
  }

  async create(title: string, text: string): Promise<QuickMessage> {
    const m = await this.api.createQuick(title, text);
    this.put(m);
    return m;
  }

  async update(id: ID, title: string, text: string): Promise<QuickMessage> {
    const m = await this.api.updateQuick(id, title, text);
    const hotkey = m.hotkey ?? this.byId(id)?.hotkey;
    this.put({ ...m, ...(hotkey ? { hotkey } : {}) });
    return this.byId(id)!;
  }

  async remove(id: ID): Promise<void> {
    await this.api.deleteQuick(id);
    this.items = this.items.filter((m) => m.id !== id);
    this.changed();
  }

  async setHotkey(id: ID, hotkey: string | null): Promise<QuickMessage> {
    const m = await this.api.setQuickHotkey(id, hotkey);
    const fixed = { ...m };
    if (!hotkey) delete fixed.hotkey;
    this.put(fixed);
    return fixed;
  }
}
