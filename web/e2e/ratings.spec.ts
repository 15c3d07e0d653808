import { type Browser, type Page, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { type Desk, createDesk, createSupervisor, expect, listItem, signIn } from './operator-helpers';
import { api, serveHostPage, widgetHostHTML, type HostPage } from './support';

// Ratings (CSAT, issue 17) end to end: the visitor rates a conversation that ended in the
// widget on a customer's site, the operator sees the rating arrive in the app without a
// reload, and the supervisor's report counts it with the comment.

const shot = (page: Page, name: string) =>
  page.screenshot({ animations: 'disabled', path: fileURLToPath(new URL(`./screenshots/rating-${name}.png`, import.meta.url)) });

let hosts: HostPage[] = [];
test.afterEach(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  hosts = [];
});

async function site(desk: Desk): Promise<HostPage> {
  const h = await serveHostPage(widgetHostHTML(desk.key, 'ru'));
  hosts.push(h);
  return h;
}

async function pageAt(browser: Browser, width: number, height: number, mobile = false): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width, height }, ...(mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
  return ctx.newPage();
}

/** The visitor's first message through the widget on the site; returns the chat window. */
async function visitorWrites(page: Page, url: string, text: string) {
  await page.goto(url);
  await page.getByRole('button', { name: 'Открыть чат поддержки' }).click();
  const chat = page.getByRole('dialog');
  const skip = chat.getByRole('button', { name: 'Пропустить' });
  if (await skip.isVisible()) await skip.click();
  const input = chat.getByRole('textbox', { name: 'Напишите сообщение…' });
  await input.fill(text);
  await input.press('Enter');
  await expect(chat.locator('.ld-msg-own', { hasText: text })).toContainText('Отправлено');
  return chat;
}

/** The operator's open conversation with a guest, found through the API. */
async function openConversation(desk: Desk, name: string): Promise<string> {
  for (;;) {
    const page = await api<{ items: any[] }>('GET', '/api/v1/conversations?state=open', undefined, desk.ops[name].token);
    if (page.items.length) return page.items[0].id;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('the visitor rates 5 with a comment; the operator sees it live in the archive; the supervisor\'s report shows it', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна': 5 }, categories: ['Доставка'] });
  const vera = await createSupervisor(desk, 'Вера Супервизор');
  const host = await site(desk);

  const anna = await pageAt(browser, 1366, 820);
  await signIn(anna, desk.ops['Анна']);
  await api('PUT', '/api/v1/me/status', { status: 'available' }, desk.ops['Анна'].token);

  const visitor = await pageAt(browser, 1280, 820);
  const chat = await visitorWrites(visitor, host.url, 'Здравствуйте, где мой заказ 4512?');
  const conv = await openConversation(desk, 'Анна');

  // Анна answers and closes with the category in the app.
  const item = listItem(anna, /^Гость #\d{4}$/);
  await item.click();
  const composer = anna.locator('#composer-input');
  await composer.fill('Заказ 4512 передан в доставку, будет завтра.');
  await composer.press('Enter');
  await expect(chat.getByText('Заказ 4512 передан в доставку, будет завтра.')).toBeVisible();
  await anna.getByTestId('close-button').click();
  await anna.getByTestId('close-dialog').getByText('Доставка').click();
  await anna.getByTestId('close-submit').click();

  // The widget asks at once.
  const card = chat.getByTestId('rating-card');
  await expect(card).toContainText('Оцените, пожалуйста, консультацию');
  // Анна keeps the conversation open in the archive meanwhile: no rating yet.
  await anna.getByRole('tab', { name: /Архив/ }).click();
  await anna.getByTestId('list-archive').getByTestId('conv-item').first().click();
  await expect(anna.getByTestId('chat-closed')).toBeVisible();
  await expect(anna.getByTestId('chat-rating')).toHaveCount(0);

  await card.getByTestId('rating-star-4').hover();
  await shot(visitor, 'widget-stars');
  await card.getByTestId('rating-star-5').click();
  await card.getByTestId('rating-comment').fill('Спасибо, всё понятно и быстро!');
  await card.getByTestId('rating-send').click();
  await expect(card.getByTestId('rating-thanks')).toHaveText('Спасибо за оценку!');
  await expect(card).toContainText('«Спасибо, всё понятно и быстро!»');
  await expect(card.getByTestId('rating-change')).toBeVisible();
  await shot(visitor, 'widget-thanks');

  // The operator's app shows it without a reload: in the history's banner and the archive list.
  const banner = anna.getByTestId('chat-rating');
  await expect(banner).toHaveAttribute('data-score', '5');
  await expect(banner.getByTestId('chat-rating-comment')).toHaveText('Спасибо, всё понятно и быстро!');
  await expect(banner.getByRole('img', { name: '5 из 5' })).toBeVisible();
  await expect(anna.getByTestId('list-archive').getByTestId('conv-rating')).toHaveAttribute('data-score', '5');
  await shot(anna, 'operator-archive');

  // A reload keeps it (the list and the conversation read carry the rating).
  const stored = await api('GET', `/api/v1/conversations/${conv}`, undefined, desk.ops['Анна'].token);
  expect(stored.rating).toMatchObject({ score: 5, comment: 'Спасибо, всё понятно и быстро!', source: 'widget' });

  // The supervisor's reports: CSAT 100 %, 5.0 stars, Анна's row, the comment.
  const sup = await pageAt(browser, 1280, 900);
  await sup.goto('/admin/reports');
  await sup.getByLabel('Эл. почта').fill(vera.email);
  await sup.getByLabel('Пароль').fill(vera.password);
  await sup.getByRole('button', { name: 'Войти' }).click();
  const section = sup.getByTestId('report-csat');
  await expect(section.getByTestId('csat-total-percent')).toContainText('100%');
  await expect(section.getByTestId('csat-total-stars')).toContainText('5,0 ★');
  await expect(section.getByTestId('csat-operator')).toContainText('Анна');
  await expect(section.getByTestId('csat-category')).toContainText('Доставка');
  const comment = section.getByTestId('csat-comment');
  await expect(comment).toContainText('Спасибо, всё понятно и быстро!');
  await expect(comment).toContainText('Анна');
  await section.scrollIntoViewIfNeeded();
  await shot(sup, 'report');
  // The monitor's card counts today's rating.
  await sup.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Мониторинг' }).click();
  await expect(sup.getByTestId('stat-csat')).toContainText('100%');
  await shot(sup, 'monitor');
});

test('on a phone: thumbs, set in the cabinet; the visitor ends the chat and rates; the operator sees it in the open conversation', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Борис': 5 } });
  const host = await site(desk);
  // The admin picks thumbs in the cabinet's settings.
  const admin = await pageAt(browser, 1280, 1000);
  const me = await api('GET', '/api/v1/me', undefined, desk.adminToken);
  await admin.goto('/admin/settings');
  await admin.getByLabel('Эл. почта').fill(me.email);
  await admin.getByLabel('Пароль').fill('e2e-password');
  await admin.getByRole('button', { name: 'Войти' }).click();
  const form = admin.getByTestId('rating-settings');
  await expect(form.getByTestId('ratings-stars')).toBeChecked();
  await form.getByTestId('ratings-thumbs').check();
  await form.getByTestId('rating-settings-save').click();
  await expect(admin.getByTestId('toast').filter({ hasText: 'Настройки сохранены' })).toBeVisible();
  await form.scrollIntoViewIfNeeded();
  await shot(admin, 'settings');
  expect((await api('GET', '/api/v1/admin/settings', undefined, desk.adminToken)).ratings).toBe('thumbs');

  const boris = await pageAt(browser, 390, 844, true);
  await signIn(boris, desk.ops['Борис']);
  await api('PUT', '/api/v1/me/status', { status: 'available' }, desk.ops['Борис'].token);
  // (The customer's test page has no viewport meta tag: a phone-sized window, not phone emulation.)
  const visitor = await pageAt(browser, 390, 844);
  const chat = await visitorWrites(visitor, host.url, 'Подскажите размер, пожалуйста');
  const conv = await openConversation(desk, 'Борис');
  await api('POST', `/api/v1/conversations/${conv}/messages`, { client_id: 'r-' + Date.now(), text: 'Конечно! Какой у вас рост?' }, desk.ops['Борис'].token);
  await expect(chat.getByText('Конечно! Какой у вас рост?')).toBeVisible();
  await listItem(boris, /^Гость #\d{4}$/).click();
  await expect(boris.getByTestId('chat')).toBeVisible();

  // The visitor ends the chat: the card asks with thumbs.
  await chat.getByRole('button', { name: 'Завершить чат' }).click();
  await chat.getByRole('alertdialog').getByRole('button', { name: 'Завершить' }).click();
  const card = chat.getByTestId('rating-card');
  await expect(card.getByTestId('rating-thumb-up')).toBeVisible();
  await expect(card.getByTestId('rating-star-1')).toHaveCount(0);
  await card.getByTestId('rating-thumb-up').click();
  await card.getByTestId('rating-comment').fill('Помогли выбрать');
  await shot(visitor, 'widget-thumbs-phone');
  await card.getByTestId('rating-send').click();
  await expect(card.getByTestId('rating-thanks')).toBeVisible();
  await shot(visitor, 'widget-thanks-phone');

  // Борис still holds it (the visitor ended it; he closes it with a category later) and sees the thumb now.
  await expect(boris.getByTestId('visitor-closed-banner')).toBeVisible();
  const banner = boris.getByTestId('chat-rating');
  await expect(banner.getByRole('img', { name: 'Хорошо' })).toBeVisible();
  await expect(banner).toContainText('Помогли выбрать');
  await shot(boris, 'operator-phone');
});
