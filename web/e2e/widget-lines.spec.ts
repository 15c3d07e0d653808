import { expect, test } from '@playwright/test';
import { api, createAccount, createOperator, createWebchatPoint, serveHostPage, widgetHostHTML, type HostPage } from './support';

// What the visitor reads in the widget: a reply that quotes their message shows the quote
// above it (DESIGN §2.5: both apps), and the visitor who ends the chat reads their own line.

let site: HostPage | null = null;
test.afterEach(async () => { await site?.close(); site = null; });

test('a quoted reply shows its quote; ending the chat reads «Вы завершили чат»', async ({ page }) => {
  const acc = await createAccount('Quotes');
  const cp = await createWebchatPoint(acc.adminToken);
  const op = await createOperator(acc, 'Марина', 'available');
  site = await serveHostPage(widgetHostHTML(cp.key, 'ru'));
  await page.goto(site.url);
  await page.getByRole('button', { name: 'Открыть чат поддержки' }).click();
  const chat = page.locator('.ld-window');
  const input = chat.getByRole('textbox', { name: 'Напишите сообщение…' });
  await input.fill('Когда придёт заказ 4512?');
  await input.press('Enter');
  await expect(chat.locator('.ld-msg-own', { hasText: 'Когда придёт заказ 4512?' })).toContainText('Отправлено');

  const convs = (await api<{ items: any[] }>('GET', '/api/v1/conversations?state=open', undefined, op.token)).items;
  const conv = convs[0]!;
  const history = (await api<{ items: any[] }>('GET', `/api/v1/conversations/${conv.id}/messages`, undefined, op.token)).items;
  const asked = history.find((m) => m.author.type === 'visitor')!;
  await api('POST', `/api/v1/conversations/${conv.id}/messages`, { client_id: `q-${Date.now()}`, text: 'Завтра до 18:00', reply_to: asked.id }, op.token);

  const reply = chat.locator('.ld-msg-operator', { hasText: 'Завтра до 18:00' });
  const quote = reply.getByTestId('widget-quote');
  await expect(quote).toContainText('Вы');
  await expect(quote).toContainText('Когда придёт заказ 4512?');
  await page.screenshot({ animations: 'disabled', path: test.info().outputPath('widget-quote.png') });

  await chat.getByRole('button', { name: 'Завершить чат' }).click();
  await chat.getByRole('alertdialog').getByRole('button', { name: 'Завершить' }).click();
  await expect(chat.locator('.ld-system', { hasText: 'Вы завершили чат' })).toBeVisible();
  await expect(chat.getByText('Посетитель закрыл обращение')).toHaveCount(0);
});

test('the offline form becomes the chat when an operator comes online (pushed, not polled)', async ({ page }) => {
  const acc = await createAccount('Availability');
  const cp = await createWebchatPoint(acc.adminToken);
  const op = await createOperator(acc, 'Марина', 'offline');
  const pushed: string[] = [];
  page.on('websocket', (ws) => ws.on('framereceived', (f) => { if (String(f.payload).includes('"availability"')) pushed.push(String(f.payload)); }));
  site = await serveHostPage(widgetHostHTML(cp.key, 'ru'));
  await page.goto(site.url);
  await page.getByRole('button', { name: 'Открыть чат поддержки' }).click();
  const chat = page.locator('.ld-window');
  await expect(chat.getByText('Сейчас нас нет в сети')).toBeVisible();
  await expect.poll(() => page.evaluate(() => !!localStorage.getItem('livedesk:' + document.querySelector('#livedesk-widget')!.getAttribute('data-livedesk-key') + ':token'))).toBe(true);

  await api('PUT', '/api/v1/me/status', { status: 'available' }, op.token);
  await expect.poll(() => pushed.length).toBeGreaterThan(0);
  await expect(chat.getByRole('textbox', { name: 'Напишите сообщение…' })).toBeVisible();
  await expect(chat.getByText('Сейчас нас нет в сети')).toHaveCount(0);
});
