// What the widget tells livedesk about the visitor (docs/visitor-profile.md): the pages of
// this visit (full page loads and SPA navigation: history.pushState/replaceState, popstate,
// hashchange), the first visit (referrer and landing page, once ever), the language, time
// zone and screen, and what the site passes with Livedesk.identify beyond name, email and
// phone (custom attributes, the email's signature). Nothing is sent before the visitor has
// a session (no visitor is created on page load); the pages seen until then go with the
// first report.

/** A page of the visit. */
export interface PageSeen {
  url: string;
  title: string;
  at: string;
}

/** The report of POST /api/v1/widget/profile (VisitorReport in docs/openapi.yaml). */
export interface ProfileReport {
  pages: PageSeen[];
  visit_id: string;
  first_visit?: { at: string; referrer: string; landing: string };
  language?: string;
  time_zone?: string;
  utc_offset_minutes?: number;
  screen?: { width: number; height: number };
  attributes?: Record<string, string | number | boolean | null>;
  email_signature?: string;
}

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** A visit ends after this long without a page (as web analytics count visits). */
export const VISIT_IDLE_MS = 30 * 60_000;
/** The most pages of a visit kept and sent (the server's limit). */
export const MAX_PAGES = 50;
/** Limits of what is sent, as the server checks them (a longer address or title is cut). */
const MAX_URL = 2048;
const MAX_TITLE = 300;

interface VisitRecord {
  id: string;
  last: number;
  pages: PageSeen[];
}

function cut(s: string, n: number): string {
  return s.length > n ? s.slice(0, n) : s;
}

function webAddress(u: string): boolean {
  return /^https?:\/\//i.test(u) && u.length <= MAX_URL;
}

function randomId(random: () => number): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += Math.floor(random() * 36).toString(36);
  return s;
}

/** The custom attributes of an identify call: every key but name, email, phone and the signature. */
export function customAttributes(p: Record<string, unknown>): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(p ?? {})) {
    if (k === 'name' || k === 'email' || k === 'phone' || k === 'email_signature') continue;
    if (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) out[k] = v;
  }
  return out;
}

export interface ProfilerDeps {
  key: string;
  storage: Store;
  now?: () => number;
  random?: () => number;
  /** Sends a report; resolves false when there is no session yet (nothing was sent). */
  send: (r: ProfileReport) => Promise<boolean>;
  /** The page as it is now. */
  page: () => { url: string; title: string; referrer: string };
  /** The browser's facts. */
  env: () => Pick<ProfileReport, 'language' | 'time_zone' | 'utc_offset_minutes' | 'screen'>;
}

/**
 * The visit's pages and the site's attributes, kept in the page's storage (per site and
 * contact point key, shared by its tabs) and reported to livedesk.
 */
export class Profiler {
  private readonly now: () => number;
  private readonly random: () => number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sending = false;
  private again = false;

  constructor(private readonly d: ProfilerDeps) {
    this.now = d.now ?? Date.now;
    this.random = d.random ?? Math.random;
  }

  private k(name: string): string {
    return 'livedesk:' + this.d.key + ':' + name;
  }

  private read<T>(name: string): T | null {
    try {
      const v = this.d.storage.getItem(this.k(name));
      return v ? (JSON.parse(v) as T) : null;
    } catch {
      return null;
    }
  }

  private write(name: string, v: unknown) {
    try {
      if (v === null) this.d.storage.removeItem(this.k(name));
      else this.d.storage.setItem(this.k(name), JSON.stringify(v));
    } catch { /* storage full or blocked: this page still reports */ }
  }

  /** The current visit (a new one after VISIT_IDLE_MS without a page). */
  visit(): VisitRecord {
    const v = this.read<VisitRecord>('visit');
    if (v && Array.isArray(v.pages) && typeof v.id === 'string' && this.now() - v.last < VISIT_IDLE_MS) return v;
    return { id: randomId(this.random), last: this.now(), pages: [] };
  }

  /**
   * Records the page the visitor is on (a page load or an SPA navigation); the same address
   * again only refreshes its title. The first page ever is the first visit. Reports it.
   */
  pageView() {
    const p = this.d.page();
    if (!webAddress(p.url)) return;
    const at = new Date(this.now()).toISOString();
    if (!this.read('first')) {
      this.write('first', { at, referrer: webAddress(p.referrer) ? p.referrer : '', landing: p.url });
    }
    const v = this.visit();
    const last = v.pages[v.pages.length - 1];
    const title = cut(p.title.trim(), MAX_TITLE);
    if (last && last.url === p.url) {
      if (last.title === title) return;
      last.title = title;
    } else {
      v.pages.push({ url: p.url, title, at });
      if (v.pages.length > MAX_PAGES) v.pages = v.pages.slice(-MAX_PAGES);
    }
    v.last = this.now();
    this.write('visit', v);
    this.schedule();
  }

  /** Keeps what Livedesk.identify passed beyond name, email and phone, and reports it. */
  identify(p: Record<string, unknown>) {
    const attrs = customAttributes(p);
    const pending = { ...(this.read<Record<string, unknown>>('attrs') ?? {}), ...attrs };
    this.write('attrs', pending);
    if (typeof p.email_signature === 'string' && p.email_signature) this.write('signature', p.email_signature);
    this.schedule();
  }

  /** The report as it would be sent now. */
  report(): ProfileReport {
    const v = this.visit();
    const r: ProfileReport = { pages: v.pages, visit_id: v.id, ...this.d.env() };
    const first = this.read<ProfileReport['first_visit']>('first');
    if (first) r.first_visit = first;
    const attrs = this.read<ProfileReport['attributes']>('attrs');
    if (attrs && Object.keys(attrs).length) r.attributes = attrs;
    const sig = this.read<string>('signature');
    if (sig) r.email_signature = sig;
    return r;
  }

  /** Sends soon (changes that come together go in one report). */
  schedule(ms = 150) {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; void this.flush(); }, ms);
  }

  /**
   * Sends the report now (a session just started, or a change). The attributes and the
   * signature, once livedesk has them, are not sent again.
   */
  async flush(): Promise<void> {
    if (this.sending) {
      this.again = true;
      return;
    }
    this.sending = true;
    try {
      const r = this.report();
      const sent = await this.d.send(r).catch(() => false);
      if (sent) {
        const attrs = this.read<Record<string, unknown>>('attrs') ?? {};
        const left: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(attrs)) if (r.attributes?.[k] !== v) left[k] = v; // changed meanwhile
        this.write('attrs', Object.keys(left).length ? left : null);
        if (this.read<string>('signature') === r.email_signature) this.write('signature', null);
      }
    } finally {
      this.sending = false;
      if (this.again) {
        this.again = false;
        void this.flush();
      }
    }
  }

  stop() {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** The browser's language, time zone, offset and screen. */
export function browserFacts(): Pick<ProfileReport, 'language' | 'time_zone' | 'utc_offset_minutes' | 'screen'> {
  const out: Pick<ProfileReport, 'language' | 'time_zone' | 'utc_offset_minutes' | 'screen'> = {};
  const lang = navigator.language;
  if (lang && /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(lang) && lang.length <= 35) out.language = lang;
  try {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (tz && /^[A-Za-z0-9_+\-/]{1,64}$/.test(tz)) out.time_zone = tz;
  } catch { /* no Intl zone */ }
  out.utc_offset_minutes = -new Date().getTimezoneOffset();
  if (screen?.width > 0 && screen?.height > 0) out.screen = { width: Math.round(screen.width), height: Math.round(screen.height) };
  return out;
}

/**
 * Calls onChange after every navigation of the page: history.pushState and replaceState
 * (SPA routers), popstate (back and forward), hashchange; and when the document's title
 * changes (routers often set it after the address). Returns the function that stops it.
 */
export function watchNavigation(onChange: () => void): () => void {
  const h = history;
  const push = h.pushState;
  const replace = h.replaceState;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const soon = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => { timer = undefined; onChange(); }, 50);
  };
  h.pushState = function (this: History, ...args: Parameters<History['pushState']>) {
    const r = push.apply(this, args);
    soon();
    return r;
  };
  h.replaceState = function (this: History, ...args: Parameters<History['replaceState']>) {
    const r = replace.apply(this, args);
    soon();
    return r;
  };
  addEventListener('popstate', soon);
  addEventListener('hashchange', soon);
  let titles: MutationObserver | null = null;
  if (typeof MutationObserver !== 'undefined' && document.head) {
    titles = new MutationObserver(soon);
    titles.observe(document.head, { subtree: true, childList: true, characterData: true });
  }
  return () => {
    h.pushState = push;
    h.replaceState = replace;
    removeEventListener('popstate', soon);
    removeEventListener('hashchange', soon);
    titles?.disconnect();
    if (timer !== undefined) clearTimeout(timer);
  };
}
