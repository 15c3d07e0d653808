import { type Page, test } from '@playwright/test';
import { Visitor, closeApi, createDesk, expect, listItem, shot, signIn } from './operator-helpers';
import { BASE, api, createAccount, createWebchatPoint } from './support';

// The visitor profile panel (issue 17, docs/visitor-profile.md): a visitor walks the demo
// shop — a page load to «Доставка», then the catalogue and a tea opened without a page load
// (history.pushState) — and the operator's panel follows live: the current page, the pages
// of the visit, the browser, language and local time, the site's attributes; the earlier
// conversation opens read-only beside the current one; an edit of the name writes an
// internal line; the panel's state is remembered; on a phone the panel is a sheet.

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

/** The visitor's page of the demo shop with the desk's widget. */
async function shopPage(browser: import('@playwright/test').Browser, key: string) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ru-RU', timezoneId: 'Asia/Yekaterinburg' });
  const page = await ctx.newPage();
  await page.goto(`${BASE}/demo?key=${encodeURIComponent(key)}`);
  return page;
}

async function panelOf(page: Page) {
  const panel = page.getByTestId('visitor-panel');
  await expect(panel).toBeVisible();
  return panel;
}

test('the panel follows the visitor through the demo shop', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна Смирнова': 5 }, categories: ['Доставка'] });
  const anna = desk.ops['Анна Смирнова'];
  await api('PUT', '/api/v1/me/status', { status: 'available' }, anna.token);

  // An earlier conversation of another visitor stays out of this one's panel; the visitor's
  // own earlier one (from the same browser, closed) is listed.
  const shop = await shopPage(browser, desk.key);
  await shop.evaluate(() => (window as any).Livedesk.push(['identify', { name: 'Мария', email: 'maria@example.com', plan: 'Постоянный покупатель', orders: 7 }]));
  await shop.getByRole('button', { name: 'Задать вопрос' }).click();
  const chat = shop.getByRole('dialog');
  const input = chat.getByRole('textbox', { name: 'Напишите сообщение…' });
  await input.fill('Здравствуйте! Сколько идёт доставка в Екатеринбург?');
  await input.press('Enter');
  await expect(chat.getByText('Отправлено').first()).toBeVisible();
  const first = (await api('GET', '/api/v1/conversations?state=open', undefined, anna.token)).items[0];
  await closeApi(anna, first.id, desk.categories[0].id);
  await input.fill('И ещё вопрос про пуэр');
  await input.press('Enter');
  await expect(chat.getByText('Отправлено').last()).toBeVisible();

  const op = await browser.newContext({ viewport: DESKTOP });
  const desk1 = await op.newPage();
  await signIn(desk1, anna);
  await listItem(desk1, 'Мария').click();
  const panel = await panelOf(desk1);
  await expect(panel.getByTestId('vp-name')).toHaveText('Мария');
  await expect(panel.getByTestId('vp-current-title')).toHaveText('Чайная лавка «Самовар» — демо livedesk');
  await expect(panel.getByTestId('vp-browser')).toContainText('Chrome');
  await expect(panel.getByTestId('vp-language')).toHaveText('ru-RU');
  await expect(panel.getByTestId('vp-local-time')).toContainText('UTC+5');
  await expect(panel.getByTestId('vp-attributes')).toContainText('Постоянный покупатель');
  await expect(panel.getByTestId('vp-earlier-item')).toHaveCount(1);
  await expect(panel.getByTestId('vp-earlier-item')).toContainText('Сколько идёт доставка');

  // A page load: «Доставка». The panel follows without a reload.
  await shop.getByRole('link', { name: 'Доставка', exact: true }).click();
  await expect(shop.getByRole('heading', { name: 'Доставка и оплата' })).toBeVisible();
  await expect(panel.getByTestId('vp-current-title')).toHaveText('Доставка и оплата — Чайная лавка «Самовар»');
  await expect(panel.getByTestId('vp-pages').locator('li')).toHaveCount(2);
  await shot(desk1, 'visitor-profile-delivery');

  // The catalogue (a page load), then a tea opened by history.pushState: no page load.
  await shop.getByRole('link', { name: 'Каталог', exact: true }).click();
  await expect(panel.getByTestId('vp-current-title')).toHaveText('Каталог — Чайная лавка «Самовар»');
  const loads = await shop.evaluate(() => performance.getEntriesByType('navigation').length);
  await shop.locator('a[data-tea="Шу пуэр 2015"]').click();
  await expect(shop.getByRole('heading', { name: 'Шу пуэр 2015', level: 2 })).toBeVisible();
  expect(await shop.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(loads);
  await expect(panel.getByTestId('vp-current-title')).toHaveText('Шу пуэр 2015 — Каталог «Самовар»');
  await expect(panel.getByTestId('vp-pages').locator('li')).toHaveCount(4);
  await expect(panel.getByTestId('vp-pages').locator('li').first()).toContainText('Шу пуэр 2015');
  await shot(desk1, 'visitor-profile-spa');

  // The earlier conversation opens read-only beside the current one.
  await panel.getByTestId('vp-earlier-item').click();
  const earlier = panel.getByTestId('vp-earlier-history');
  await expect(earlier).toContainText('Сколько идёт доставка в Екатеринбург?');
  await expect(desk1.getByTestId('chat')).toContainText('И ещё вопрос про пуэр');
  await shot(desk1, 'visitor-profile-earlier');
  await panel.getByTestId('vp-back').click();

  // Anna renames the visitor and leaves a note: the history gets an internal line.
  await panel.getByTestId('vp-edit').click();
  await panel.getByTestId('vp-edit-name').fill('Мария Петрова');
  await panel.getByTestId('vp-edit-save').click();
  await expect(panel.getByTestId('vp-name')).toHaveText('Мария Петрова');
  await expect(desk1.getByTestId('chat-visitor')).toHaveText('Мария Петрова');
  await expect(desk1.getByTestId('chat')).toContainText('изменяет данные посетителя — имя: Мария → Мария Петрова');
  await panel.getByTestId('vp-note').fill('Любит пуэры, заказывает к праздникам');
  await panel.getByTestId('vp-note-save').click();
  await expect(panel.getByText('Сохранено')).toBeVisible();

  // Collapsed, it stays collapsed after a reload (remembered for Анна); opened again.
  await panel.getByTestId('vp-close').click();
  await expect(desk1.getByTestId('visitor-panel')).toHaveCount(0);
  await desk1.reload();
  await listItem(desk1, 'Мария Петрова').click();
  await expect(desk1.getByTestId('chat-visitor')).toHaveText('Мария Петрова');
  await expect(desk1.getByTestId('visitor-panel')).toHaveCount(0);
  await desk1.getByTestId('profile-toggle').click();
  const again = await panelOf(desk1);
  await expect(again.getByTestId('vp-note')).toHaveValue('Любит пуэры, заказывает к праздникам');
  await shot(desk1, 'visitor-profile');

  // On a phone the panel is a sheet over the conversation, opened from the header.
  const phoneCtx = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const phone = await phoneCtx.newPage();
  await signIn(phone, anna);
  await listItem(phone, 'Мария Петрова').click();
  await expect(phone.getByTestId('visitor-panel')).toHaveCount(0);
  await expect(phone.getByTestId('profile-toggle')).toBeVisible();
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await shot(phone, 'visitor-profile-phone-chat');
  await phone.getByTestId('profile-toggle').click();
  const sheet = await panelOf(phone);
  await expect(sheet.getByTestId('vp-current-title')).toHaveText('Шу пуэр 2015 — Каталог «Самовар»');
  const box = await sheet.boundingBox();
  expect(box && box.width).toBeLessThanOrEqual(PHONE.width);
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await shot(phone, 'visitor-profile-phone');
  await sheet.getByTestId('vp-close').click();
  await expect(phone.getByTestId('visitor-panel')).toHaveCount(0);
  await expect(phone.locator('#composer-input')).toBeVisible();

  // The other visitor never shows up in this panel.
  await (await Visitor.start(desk.key, 'Другой')).send('Я другой');
  await expect(again.getByTestId('vp-earlier-item')).toHaveCount(1);
});

test('an admin deletes a visitor from the panel and every app drops the conversation', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна Смирнова': 5 } });
  const anna = desk.ops['Анна Смирнова'];
  await api('PUT', '/api/v1/me/status', { status: 'available' }, anna.token);
  const v = await Visitor.start(desk.key, 'Удаляемый');
  await v.send('Прошу удалить мои данные');

  const acc = await api('GET', '/api/v1/me', undefined, desk.adminToken);
  await api('PUT', '/api/v1/me/status', { status: 'pause' }, desk.adminToken);
  const adminCtx = await browser.newContext({ viewport: DESKTOP });
  const admin = await adminCtx.newPage();
  await signIn(admin, { id: acc.id, name: acc.name, email: acc.email, password: 'e2e-password', token: desk.adminToken });
  const annaPage = await (await browser.newContext({ viewport: DESKTOP })).newPage();
  await signIn(annaPage, anna);
  await expect(listItem(annaPage, 'Удаляемый')).toBeVisible();

  await listItem(admin, 'Удаляемый').click();
  const panel = await panelOf(admin);
  await panel.getByTestId('vp-delete').click();
  const dialog = admin.getByTestId('vp-delete-dialog');
  await expect(dialog).toContainText('Удалить посетителя и все его данные?');
  await shot(admin, 'visitor-profile-delete');
  await dialog.getByTestId('vp-delete-confirm').click();
  await expect(admin.getByText('Данные посетителя удалены: обращений 1')).toBeVisible();
  await expect(listItem(admin, 'Удаляемый')).toHaveCount(0);
  await expect(listItem(annaPage, 'Удаляемый')).toHaveCount(0);
  await expect(admin.getByTestId('visitor-panel')).toHaveCount(0);
});

test('the cabinet: keep IP addresses, and a label and a hidden key for the site\'s attributes', async ({ browser }) => {
  const acc = await createAccount('Profile settings');
  const cp = await createWebchatPoint(acc.adminToken);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await page.goto('/admin/settings');
  await page.getByLabel('Эл. почта').fill(acc.adminEmail);
  await page.getByLabel('Пароль').fill(acc.password);
  await page.getByRole('button', { name: 'Войти' }).click();

  const keep = page.getByTestId('keep-visitor-ips');
  await expect(keep).not.toBeChecked();
  await keep.check();
  await expect(page.getByTestId('toast').filter({ hasText: 'Сохранено' })).toBeVisible();
  expect((await api('GET', '/api/v1/admin/settings', undefined, acc.adminToken)).keep_visitor_ips).toBe(true);
  await page.reload();
  await expect(page.getByTestId('keep-visitor-ips')).toBeChecked();

  await page.goto(`/admin/contact-points/${cp.id}`);
  const form = page.getByTestId('cp-profile-fields');
  await form.getByTestId('attr-add').click();
  await form.getByTestId('attr-key').last().fill('plan');
  await form.getByTestId('attr-label').last().fill('Тариф');
  await form.getByTestId('attr-add').click();
  await form.getByTestId('attr-key').last().fill('internal id');
  await form.getByTestId('attr-hidden').last().check();
  await form.getByTestId('cp-identity-secret').fill('short');
  await form.getByTestId('cp-profile-save').click();
  await expect(form.getByText('Ключ: 1–64 латинских буквы, цифры, _ . -')).toBeVisible();
  await expect(form.getByText('От 16 до 128 символов')).toBeVisible();
  await form.getByTestId('attr-key').last().fill('internal_id');
  await form.getByRole('button', { name: 'Создать секрет' }).click();
  await form.getByTestId('cp-profile-save').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Сохранено' }).last()).toBeVisible();
  const saved = await api('GET', `/api/v1/admin/contact-points/${cp.id}`, undefined, acc.adminToken);
  expect(saved.settings.attributes).toEqual({ plan: { label: 'Тариф' }, internal_id: { hidden: true } });
  expect(saved.settings.identity_secret).toMatch(/^[0-9a-f]{32}$/);
  await form.scrollIntoViewIfNeeded();
  await page.screenshot({ path: new URL('./screenshots/admin-visitor-profile-fields.png', import.meta.url).pathname, fullPage: true });
});
