// The visitor widget entry point. A site installs it with one tag:
//   <script src="https://HOST/widget.js?key=CONTACT_POINT_KEY" async></script>
// The script learns HOST and the key from its own src, renders into a shadow root attached
// to a <div id="livedesk-widget"> at the end of <body>, and exposes window.Livedesk
// (docs/widget.md).

import { h, render } from 'preact';
import { Chat } from './chat';
import { browserFacts, Profiler, watchNavigation } from './context';
import { pageLanguage, texts } from './i18n';
import { css } from './styles';
import { App } from './ui';

/** The host page's API (docs/widget.md). */
export interface LivedeskAPI {
  open(): void;
  close(): void;
  toggle(): void;
  isOpen(): boolean;
  /**
   * Who the visitor is: name, email, phone, and any custom attributes (strings, numbers,
   * booleans; null removes one); email_signature verifies the email (docs/visitor-profile.md).
   */
  identify(profile: { name?: string; email?: string; phone?: string; email_signature?: string; [key: string]: unknown }): Promise<void>;
  /** Runs a queued command: ['open'], ['identify', {...}]. Works before and after loading. */
  push(command: [string, ...unknown[]]): void;
}

/** The script element that loaded the widget (document.currentScript only exists now). */
const ownScript: HTMLScriptElement | null = (() => {
  const cur = document.currentScript as HTMLScriptElement | null;
  if (cur?.src) return cur;
  const all = Array.from(document.querySelectorAll<HTMLScriptElement>('script[src*="widget.js"]'));
  return all.find((s) => /[?&]key=/.test(s.src) || s.dataset.key) ?? null;
})();

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
}

function pageStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  try {
    const s = window.localStorage;
    const probe = '__livedesk_probe';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return memoryStorage(); // storage blocked: the visitor is remembered for this page only
  }
}

/** Black or white text, whichever reads better on the accent colour. */
function onAccent(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  const lin = (c: number) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const l = 0.2126 * lin((n >> 16) & 255) + 0.7152 * lin((n >> 8) & 255) + 0.0722 * lin(n & 255);
  return l > 0.45 ? '#111827' : '#ffffff';
}

function boot() {
  const w = window as any;
  if (w.Livedesk?.__livedesk || !ownScript) return; // installed twice, or no script to read
  const src = new URL(ownScript.src, location.href);
  const key = src.searchParams.get('key') || ownScript.dataset.key || '';
  if (!key) {
    console.warn('livedesk: the widget script needs ?key=CONTACT_POINT_KEY');
    return;
  }
  const langParam = src.searchParams.get('lang');
  const lang = langParam === 'ru' || langParam === 'en' ? langParam : pageLanguage(document, navigator);
  const chat = new Chat({
    base: src.origin, key, storage: pageStorage(),
    fetch: (u, init) => window.fetch(u, init),
    WebSocket: window.WebSocket,
  });

  const host = document.createElement('div');
  host.id = 'livedesk-widget';
  host.setAttribute('data-livedesk-key', key);
  const root = host.attachShadow({ mode: 'open' });
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet !== 'undefined' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css); // constructed sheets are not subject to the page's CSP style-src
    root.adoptedStyleSheets = [sheet];
  } else {
    const style = document.createElement('style');
    style.textContent = css;
    root.appendChild(style);
  }
  const mount = document.createElement('div');
  root.appendChild(mount);
  document.body.appendChild(host);

  let color = '';
  const paint = () => {
    const c = chat.state.appearance?.color;
    if (!c || c === color) return;
    color = c;
    host.style.setProperty('--ld-accent', c);
    host.style.setProperty('--ld-on-accent', onAccent(c));
  };
  chat.subscribe(paint);
  render(h(App, { chat, t: texts(lang), lang }), mount);

  window.addEventListener('online', () => chat.goOnline());
  window.addEventListener('offline', () => chat.goOffline());
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') chat.goOnline(); });

  const api: LivedeskAPI & { __livedesk: true } = {
    __livedesk: true,
    open: () => chat.open(),
    close: () => chat.close(),
    toggle: () => (chat.state.open ? chat.close() : chat.open()),
    isOpen: () => chat.state.open,
    identify: (p) => chat.identify(p ?? {}).catch((e) => console.warn('livedesk: identify failed', e)),
    push(command) {
      if (!Array.isArray(command)) return;
      const [name, ...args] = command;
      const fn = (api as any)[name];
      if (typeof fn === 'function' && name !== 'push') fn(...args);
    },
  };
  // The visitor profile (context.ts): identify's custom attributes, the pages of the visit.
  const profiler = new Profiler({
    key, storage: pageStorage(), send: (r) => chat.reportProfile(r), env: browserFacts,
    page: () => ({ url: location.href, title: document.title, referrer: document.referrer }),
  });
  const identifyChat = api.identify;
  api.identify = (p) => {
    profiler.identify((p ?? {}) as Record<string, unknown>);
    return identifyChat(p);
  };
  const queued: unknown[] = Array.isArray(w.Livedesk) ? w.Livedesk : [];
  w.Livedesk = api;
  for (const c of queued) api.push(c as [string]);
  void chat.start();
  profiler.pageView();
  watchNavigation(() => profiler.pageView());
  // The first report goes when the visitor gets a session (their first message, say).
  let visitorId = '';
  chat.subscribe(() => {
    const id = chat.state.visitor?.id ?? '';
    if (id && id !== visitorId) void profiler.flush();
    visitorId = id;
  });
  window.dispatchEvent(new CustomEvent('livedesk:ready'));
}

if (document.body) boot();
else document.addEventListener('DOMContentLoaded', boot);
