import { expect, test } from '@playwright/test';
import { api, BASE, createAccount, createOperator, createWebchatPoint, serveHostPage, type HostPage } from './support';

// The launcher appears on every load of the demo site, each in a fresh browser context (no
// cached config, no stored visitor): before the fix, 3 to 7 of 20 loads showed nothing.
test('the launcher appears on 20 fresh loads of the demo site', async ({ browser }) => {
  test.setTimeout(120_000);
  const missing: number[] = [];
  for (let i = 0; i < 20; i++) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(BASE + '/demo');
    const launcher = page.locator('#livedesk-widget .ld-launcher');
    try {
      await expect(launcher).toBeVisible({ timeout: 10_000 });
    } catch {
      missing.push(i);
    }
    await ctx.close();
  }
  expect(missing, 'loads without a launcher').toEqual([]);
});

// A returning visitor (stored token) and a page script that calls the API at once, before
// the widget is ready: the launcher still appears and the window opens.
test('a page that calls Livedesk.open() before the widget is ready gets the open chat', async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.addInitScript(() => {
    (window as any).Livedesk = [['open']];
  });
  await page.goto(BASE + '/demo');
  await expect(page.getByRole('dialog', { name: 'Чайная лавка «Самовар»' })).toBeVisible();
  await page.reload(); // now a returning visitor
  await expect(page.locator('#livedesk-widget .ld-launcher')).toBeVisible();
  await ctx.close();
});

// However a page loads the script and whatever its own code does first, the launcher appears,
// and calls the page made before the widget was ready (queued before the script, or made at
// livedesk:ready while the config is still on its way) take effect: the window is open and
// the visitor's name reaches the operator.
test.describe('start-up on a customer site', () => {
  let site: HostPage | null = null;
  test.afterEach(async () => { await site?.close(); site = null; });

  const queue = `<script>window.Livedesk = window.Livedesk || [];
Livedesk.push(['identify', {name: 'Мария'}]); Livedesk.push(['open']);</script>`;
  const onReady = `<script>window.addEventListener('livedesk:ready', function () {
Livedesk.identify({name: 'Мария'}); Livedesk.open(); });</script>`;
  type Variant = { name: string; page: (src: string) => string; config?: 'slow' | 'instant'; session?: 'slow' };
  const variants: Variant[] = [
    { name: 'script async in <head>', page: (src) => `<head>${queue}<script src="${src}" async></script></head><body><h1>Магазин</h1></body>` },
    { name: 'script blocking in <head> (no body yet)', page: (src) => `<head>${queue}<script src="${src}"></script></head><body><h1>Магазин</h1></body>` },
    { name: 'script deferred in <head>', page: (src) => `<head>${queue}<script src="${src}" defer></script></head><body><h1>Магазин</h1></body>` },
    { name: 'script inserted after the load event', page: (src) => `<head>${onReady}</head><body><h1>Магазин</h1><script>
window.addEventListener('load', function () { setTimeout(function () {
var s = document.createElement('script'); s.src = ${JSON.stringify(src)}; document.body.appendChild(s); }, 50); });</script></body>` },
    { name: 'a slow config answer', config: 'slow', page: (src) => `<head>${onReady}</head><body><h1>Магазин</h1><script src="${src}" async></script></body>` },
    { name: 'the config answered at once (cached)', config: 'instant', page: (src) => `<head>${queue}</head><body><h1>Магазин</h1><script src="${src}" async></script></body>` },
    { name: 'a slow session answer', session: 'slow', page: (src) => `<head>${onReady}</head><body><h1>Магазин</h1><script src="${src}" async></script></body>` },
  ];

  for (const v of variants) {
    test(`${v.name}: launcher, open window, the name given before ready`, async ({ browser }) => {
      const acc = await createAccount('Startup');
      const cp = await createWebchatPoint(acc.adminToken);
      const op = await createOperator(acc, 'Марина', 'available');
      const src = `${BASE}/widget.js?key=${encodeURIComponent(cp.key)}`;
      site = await serveHostPage(`<!doctype html><html lang="ru">${v.page(src)}</html>`);
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      if (v.config) {
        const cached = v.config === 'instant' ? await (await fetch(`${BASE}/api/v1/widget/${cp.key}/config`)).text() : '';
        await page.route('**/api/v1/widget/*/config', async (route) => {
          if (cached) return route.fulfill({ status: 200, contentType: 'application/json', body: cached, headers: { 'access-control-allow-origin': '*' } });
          await new Promise((res) => setTimeout(res, 1500));
          return route.continue();
        });
      }
      if (v.session) {
        await page.route('**/api/v1/widget/*/session', async (route) => {
          await new Promise((res) => setTimeout(res, 1500));
          return route.continue();
        });
      }
      await page.goto(site.url);
      await expect(page.locator('#livedesk-widget .ld-launcher')).toBeVisible();
      const chat = page.getByRole('dialog', { name: 'Чат поддержки' });
      await expect(chat).toBeVisible();
      const input = chat.getByRole('textbox', { name: 'Напишите сообщение…' });
      await input.fill('Здравствуйте');
      await input.press('Enter');
      await expect(chat.locator('.ld-msg-own', { hasText: 'Здравствуйте' })).toContainText('Отправлено');
      const convs = (await api<{ items: any[] }>('GET', '/api/v1/conversations?state=open', undefined, op.token)).items;
      expect(convs.map((c) => c.visitor?.name)).toEqual(['Мария']);
      await ctx.close();
    });
  }
});
