import { type Page, test } from '@playwright/test';
import { Visitor, chooseStatus, createDesk, expect, listItem, operatorPage } from './operator-helpers';
import { createAccount } from './support';

// The operator app and the admin cabinet run under their strict Content-Security-Policy
// (no inline script, own origin only): nothing they do is refused by it.

/** Records every CSP violation of the page (the browser's event, reported to the test). */
async function watchCSP(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.exposeFunction('__cspViolation', (v: string) => seen.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as any).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('console', (m) => {
    if (m.text().includes('Content Security Policy')) seen.push(m.text());
  });
  return seen;
}

test('operator app and cabinet work under their CSP with nothing refused', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Ольга Ким': 5 } });
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 820 } });
  const page = await ctx.newPage();
  const violations = await watchCSP(page);
  const resp = await page.goto('/');
  expect(resp?.headers()['content-security-policy']).toContain("script-src 'self'");
  expect(resp?.headers()['referrer-policy']).toBe('no-referrer');
  await ctx.close();

  const op = await operatorPage(browser, desk, 'Ольга Ким');
  const opViolations = await watchCSP(op);
  await op.reload();
  await chooseStatus(op, 'available');
  const v = await Visitor.start(desk.key, 'Пётр');
  await v.send('Здравствуйте, где мой заказ?');
  await listItem(op, 'Пётр').click();
  await expect(op.getByText('Здравствуйте, где мой заказ?').last()).toBeVisible();
  // A picture chosen for sending is previewed (a blob: URL, allowed for images).
  await op.locator('input[type=file]').first().setInputFiles({
    name: 'dot.png', mimeType: 'image/png',
    buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
  });
  await expect(op.getByText('dot.png').first()).toBeVisible();

  const acc = await createAccount('CSP');
  const admin = await browser.newPage();
  const adminViolations = await watchCSP(admin);
  await admin.goto('/admin/');
  await admin.getByLabel('Эл. почта').fill(acc.adminEmail);
  await admin.getByLabel('Пароль').fill(acc.password);
  await admin.getByRole('button', { name: 'Войти' }).click();
  const sections = admin.getByRole('navigation', { name: 'Разделы' });
  for (const name of ['Мониторинг', 'Отчёты', 'Операторы', 'Точки контакта', 'Категории обращений', 'Быстрые сообщения', 'Стикеры', 'Словарь', 'Настройки']) {
    await sections.getByRole('link', { name }).click();
    await expect(admin.getByRole('heading', { name }).first()).toBeVisible();
  }

  expect(opViolations).toEqual([]);
  expect(adminViolations).toEqual([]);
  expect(violations).toEqual([]);
});
