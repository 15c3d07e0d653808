import { afterEach, describe, expect, it, vi } from 'vitest';
import { customAttributes, MAX_PAGES, type ProfileReport, Profiler, VISIT_IDLE_MS, watchNavigation } from './context';

function memory() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

function setup() {
  let now = Date.parse('2026-12-04T10:00:00Z');
  const page = { url: 'https://shop.example/', title: 'Главная', referrer: 'https://yandex.ru/search?text=чай' };
  const sent: ProfileReport[] = [];
  let session = false;
  const storage = memory();
  const p = new Profiler({
    key: 'k', storage, now: () => now, random: () => 0.5,
    send: async (r) => { if (!session) return false; sent.push(JSON.parse(JSON.stringify(r))); return true; },
    page: () => ({ ...page }),
    env: () => ({ language: 'ru-RU', time_zone: 'Europe/Moscow', utc_offset_minutes: 180, screen: { width: 1920, height: 1080 } }),
  });
  return {
    p, page, sent, storage,
    advance: (ms: number) => { now += ms; },
    startSession: () => { session = true; },
  };
}

afterEach(() => vi.useRealTimers());

describe('Profiler', () => {
  it('keeps the pages of the visit until there is a session, then reports them with the first visit', async () => {
    const s = setup();
    s.p.pageView();
    s.page.url = 'https://shop.example/delivery';
    s.page.title = 'Доставка';
    s.advance(1000);
    s.p.pageView();
    await s.p.flush();
    expect(s.sent).toHaveLength(0); // no session: nothing sent, nothing lost
    s.startSession();
    await s.p.flush();
    expect(s.sent).toHaveLength(1);
    const r = s.sent[0];
    expect(r.pages.map((x) => x.title)).toEqual(['Главная', 'Доставка']);
    expect(r.first_visit).toMatchObject({ landing: 'https://shop.example/', referrer: 'https://yandex.ru/search?text=чай' });
    expect(r).toMatchObject({ language: 'ru-RU', time_zone: 'Europe/Moscow', utc_offset_minutes: 180, screen: { width: 1920, height: 1080 } });
  });

  it('refreshes the title of the same address instead of adding a page', async () => {
    const s = setup();
    s.startSession();
    s.p.pageView();
    s.page.title = 'Главная — Самовар';
    s.p.pageView();
    await s.p.flush();
    expect(s.sent[0].pages).toEqual([expect.objectContaining({ url: 'https://shop.example/', title: 'Главная — Самовар' })]);
  });

  it('starts a new visit after 30 minutes without a page, and keeps the first visit', async () => {
    const s = setup();
    s.startSession();
    s.p.pageView();
    const first = s.p.report();
    s.advance(VISIT_IDLE_MS + 1);
    s.page.url = 'https://shop.example/catalog';
    s.page.referrer = '';
    s.p.pageView();
    const r = s.p.report();
    expect(r.visit_id).not.toBe('');
    expect(r.pages.map((x) => x.url)).toEqual(['https://shop.example/catalog']);
    expect(r.first_visit).toEqual(first.first_visit);
  });

  it('sends at most the newest 50 pages, and never a non-web address', () => {
    const s = setup();
    for (let i = 0; i < MAX_PAGES + 7; i++) {
      s.page.url = 'https://shop.example/p' + i;
      s.p.pageView();
    }
    s.page.url = 'about:blank';
    s.p.pageView();
    const pages = s.p.report().pages;
    expect(pages).toHaveLength(MAX_PAGES);
    expect(pages[0].url).toBe('https://shop.example/p7');
    expect(pages[MAX_PAGES - 1].url).toBe('https://shop.example/p56');
  });

  it('sends identify attributes and the signature once livedesk has them', async () => {
    const s = setup();
    s.p.identify({ name: 'Мария', email: 'm@example.com', plan: 'gold', orders: 12, vip: true, bad: { x: 1 }, email_signature: 'abc' });
    await s.p.flush();
    expect(s.sent).toHaveLength(0);
    s.startSession();
    await s.p.flush();
    expect(s.sent[0].attributes).toEqual({ plan: 'gold', orders: 12, vip: true });
    expect(s.sent[0].email_signature).toBe('abc');
    await s.p.flush();
    expect(s.sent[1].attributes).toBeUndefined();
    expect(s.sent[1].email_signature).toBeUndefined();
  });
});

describe('customAttributes', () => {
  it('leaves out name, email, phone, the signature and values that are not scalars', () => {
    expect(customAttributes({ name: 'a', email: 'b', phone: 'c', email_signature: 'd', plan: 'x', n: 1, off: null, f: () => 1, nan: NaN }))
      .toEqual({ plan: 'x', n: 1, off: null });
  });
});

describe('watchNavigation', () => {
  it('hears pushState, replaceState, popstate and hashchange, and stops', () => {
    vi.useFakeTimers();
    const seen: string[] = [];
    const stop = watchNavigation(() => seen.push(location.href));
    history.pushState({}, '', '/catalog');
    vi.advanceTimersByTime(60);
    history.replaceState({}, '', '/catalog?tea=puer');
    vi.advanceTimersByTime(60);
    dispatchEvent(new Event('popstate'));
    vi.advanceTimersByTime(60);
    expect(seen.length).toBe(3);
    expect(seen[1]).toContain('/catalog?tea=puer');
    stop();
    history.pushState({}, '', '/after');
    vi.advanceTimersByTime(60);
    expect(seen.length).toBe(3);
  });
});
