import { expect, test } from '@playwright/test';
import { BASE } from './support';

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
