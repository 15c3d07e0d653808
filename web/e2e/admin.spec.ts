import { type Browser, type Page, expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Visitor } from './operator-helpers';
import { type Account, api, createAccount, createOperator, createWebchatPoint, login } from './support';

// The admin cabinet (/admin/) against the real server: each test builds its own account.

async function shot(page: Page, name: string) {
  await page.screenshot({ path: fileURLToPath(new URL(`./screenshots/admin-${name}.png`, import.meta.url)) });
}

async function cabinet(browser: Browser, email: string, password: string, path = '/admin/'): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  await page.goto(path);
  await page.getByLabel('Эл. почта').fill(email);
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
  return page;
}

async function adminPage(browser: Browser, acc: Account, path = '/admin/'): Promise<Page> {
  const page = await cabinet(browser, acc.adminEmail, acc.password, path);
  await expect(page.getByRole('navigation', { name: 'Разделы' })).toBeVisible();
  return page;
}

function nav(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name });
}

test('admin signs in, creates an operator who can then sign in; a reload keeps the section', async ({ browser }) => {
  const acc = await createAccount('Admin UI');
  const page = await adminPage(browser, acc);
  await expect(page).toHaveURL(/\/admin\/monitor$/);
  await expect(page.getByRole('heading', { name: 'Мониторинг' })).toBeVisible();
  for (const s of ['Мониторинг', 'Отчёты', 'Операторы', 'Точки контакта', 'Категории обращений', 'Быстрые сообщения', 'Стикеры', 'Словарь', 'Настройки']) {
    await expect(nav(page, s)).toBeVisible();
  }

  await nav(page, 'Операторы').click();
  await expect(page).toHaveURL(/\/admin\/operators$/);
  await page.getByTestId('operator-new').click();
  const dialog = page.getByTestId('operator-dialog');
  // Client-side checks first: nothing is sent.
  await dialog.getByTestId('operator-save').click();
  await expect(dialog.locator('#op-name-error')).toHaveText('Заполните это поле');
  const email = `new-op-${Date.now()}@e2e.test`;
  await dialog.getByLabel('Имя').fill('Галина Новикова');
  await dialog.getByLabel('Эл. почта').fill(email);
  await dialog.getByLabel('Пароль').fill('galina-password');
  await dialog.getByLabel('Роль', { exact: true }).selectOption('supervisor');
  await dialog.getByLabel('Лимит обращений').fill('7');
  await dialog.getByTestId('operator-save').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('toast').filter({ hasText: 'Галина Новикова' })).toBeVisible();
  const row = page.locator(`[data-testid=operator-row][data-email="${email}"]`);
  await expect(row).toContainText('Супервизор');
  await expect(row).toContainText('0 / 7');

  // The new operator can sign in (the API the operator app uses).
  const token = await login(email, 'galina-password');
  const me = await api('GET', '/api/v1/me', undefined, token);
  expect(me).toMatchObject({ name: 'Галина Новикова', role: 'supervisor', limit: 7 });

  // A duplicate email is refused next to the field, and what was typed stays.
  await page.getByTestId('operator-new').click();
  await dialog.getByLabel('Имя').fill('Дубль');
  await dialog.getByLabel('Эл. почта').fill(email);
  await dialog.getByLabel('Пароль').fill('another-password');
  await dialog.getByTestId('operator-save').click();
  await expect(dialog.getByText('Оператор с таким адресом уже есть')).toBeVisible();
  await expect(dialog.getByLabel('Имя')).toHaveValue('Дубль');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // Deactivate: the operator can no longer sign in.
  await row.getByTestId('operator-toggle').click();
  await page.getByTestId('confirm').getByRole('button', { name: 'Отключить' }).click();
  await expect(row).toContainText('Отключена');
  await expect(login(email, 'galina-password')).rejects.toThrow(/401|403/);
  await shot(page, 'operators');

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Операторы' })).toBeVisible();
  await expect(nav(page, 'Операторы')).toHaveAttribute('aria-current', 'page');
});

test('conversation category, quick message category and message reach the operators', async ({ browser }) => {
  const acc = await createAccount('Admin quick');
  const op = await createOperator(acc, 'Анна');
  const page = await adminPage(browser, acc, '/admin/categories');
  await expect(page.getByRole('heading', { name: 'Категории обращений' })).toBeVisible();
  await expect(page.getByTestId('empty')).toBeVisible();
  const addCat = page.getByTestId('category-add');
  await addCat.getByRole('textbox').fill('Оплата');
  await addCat.getByRole('button', { name: 'Добавить' }).click();
  await expect(page.locator('[data-testid=name-row][data-name="Оплата"]')).toBeVisible();
  await addCat.getByRole('textbox').fill('Доставка');
  await addCat.getByRole('button', { name: 'Добавить' }).click();
  await expect(page.getByTestId('name-row')).toHaveCount(2);
  // Move «Доставка» up: the operators' list follows.
  await page.getByRole('button', { name: 'Переместить выше: Доставка' }).click();
  await expect(page.getByTestId('name-row').first()).toHaveAttribute('data-name', 'Доставка');
  await expect.poll(async () => (await api('GET', '/api/v1/conversation-categories', undefined, op.token)).items.map((c: any) => c.name))
    .toEqual(['Доставка', 'Оплата']);
  // Rename in place.
  await page.getByRole('button', { name: 'Переименовать: Оплата' }).click();
  await page.getByTestId('rename-input').fill('Оплата и возвраты');
  await page.getByTestId('rename-input').press('Enter');
  await expect(page.locator('[data-testid=name-row][data-name="Оплата и возвраты"]')).toBeVisible();
  await shot(page, 'categories');

  await page.getByRole('link', { name: 'Быстрые сообщения' }).click();
  await expect(page).toHaveURL(/\/admin\/quick-messages$/);
  const addQc = page.getByTestId('quick-category-add');
  await addQc.getByRole('textbox').fill('Приветствия');
  await addQc.getByRole('button', { name: 'Добавить' }).click();
  await expect(page.getByTestId('quick-messages').getByRole('heading', { name: /Приветствия/ })).toBeVisible();
  const form = page.getByTestId('quick-add');
  await form.getByLabel('Заголовок').fill('Привет');
  await form.getByLabel('Текст').fill('Здравствуйте, {visitor_name}! Меня зовут {operator_name}.');
  await form.getByRole('button', { name: 'Добавить сообщение' }).click();
  await expect(page.locator('[data-testid=quick-message][data-title="Привет"]')).toBeVisible();
  await expect(form.getByLabel('Текст')).toHaveValue('');
  await shot(page, 'quick-messages');

  const list = await api('GET', '/api/v1/quick-messages', undefined, op.token);
  expect(list.categories.map((c: any) => c.name)).toContain('Приветствия');
  expect(list.items).toEqual(expect.arrayContaining([
    expect.objectContaining({ title: 'Привет', text: 'Здравствуйте, {visitor_name}! Меня зовут {operator_name}.', personal: false }),
  ]));
});

test('contact point colour reaches the widget; the snippet carries the key', async ({ browser }) => {
  const acc = await createAccount('Admin widget');
  const cp = await createWebchatPoint(acc.adminToken);
  const page = await adminPage(browser, acc, '/admin/contact-points');
  await page.getByTestId('cp-item').first().click();
  await expect(page).toHaveURL(new RegExp(`/admin/contact-points/${cp.id}$`));
  await expect(page.getByTestId('cp-snippet')).toHaveValue(`<script src="${new URL(page.url()).origin}/widget.js?key=${cp.key}" async></script>`);
  await page.getByTestId('cp-color-text').fill('#e4572e');
  await expect(page.getByTestId('cp-launcher')).toHaveCSS('background-color', 'rgb(228, 87, 46)');
  await page.getByLabel('Слева').check();
  await expect(page.getByTestId('cp-preview')).toHaveAttribute('data-position', 'left');
  await page.getByLabel('Заголовок окна').fill('Помощь магазина');
  await page.getByLabel('Телефон').check();
  // A malformed origin is caught before saving and the form keeps its values.
  await page.getByLabel('Разрешённые сайты').fill('shop.example');
  await page.getByTestId('cp-save').click();
  await expect(page.getByText('Не похоже на адрес сайта: shop.example')).toBeVisible();
  await page.getByLabel('Разрешённые сайты').fill('');
  await page.getByTestId('cp-save').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Сохранено' })).toBeVisible();

  const conf = await api('GET', `/api/v1/widget/${cp.key}/config`);
  expect(conf.contact_point.settings).toMatchObject({ color: '#e4572e', position: 'left', title: 'Помощь магазина', ask_phone: true });
  // A reload keeps the selected contact point and shows the saved values.
  await page.reload();
  await expect(page.getByTestId('cp-color-text')).toHaveValue('#e4572e');
  await shot(page, 'contact-points');
  // Usable at 1024 wide: no horizontal scrolling of the page.
  await page.setViewportSize({ width: 1024, height: 768 });
  await expect(page.getByTestId('cp-save')).toBeVisible();
  expect(await page.evaluate(() => document.querySelector('main')!.scrollWidth <= document.querySelector('main')!.clientWidth)).toBe(true);
  await shot(page, 'contact-points-1024');
});

test('email contact point: created with an address, a taken address is refused at the field, the address can be changed', async ({ browser }) => {
  const acc = await createAccount('Admin email');
  const stamp = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const address = `Support-${stamp}@Shop.E2E.test`;
  const page = await adminPage(browser, acc, '/admin/contact-points');
  await expect(page.getByTestId('empty')).toBeVisible();

  await page.getByTestId('cp-new').click();
  const dialog = page.getByTestId('cp-dialog');
  await dialog.getByRole('radio', { name: 'Почта' }).check();
  await dialog.getByLabel('Название').fill('Поддержка по почте');
  // The address is checked before anything is sent.
  await dialog.getByTestId('cp-create').click();
  await expect(dialog.locator('#cp-new-address-error')).toHaveText('Укажите адрес почтового ящика');
  await dialog.getByRole('textbox', { name: 'Адрес ящика' }).fill(address);
  await dialog.getByTestId('cp-create').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('toast').filter({ hasText: 'Поддержка по почте' })).toBeVisible();
  const editor = page.getByTestId('cp-email');
  await expect(editor.getByRole('textbox', { name: 'Адрес ящика' })).toHaveValue(address.toLowerCase());
  await expect(page.getByTestId('cp-mail-how')).toContainText('--smtp-listen');
  await expect(page.getByTestId('cp-item').locator('[data-icon=mail]')).toHaveCount(1);
  await expect(page.getByTestId('cp-snippet')).toHaveCount(0);

  const listed = (await api('GET', '/api/v1/admin/contact-points', undefined, acc.adminToken)).items;
  expect(listed).toEqual([expect.objectContaining({ name: 'Поддержка по почте', channel: 'email', settings: expect.objectContaining({ address: address.toLowerCase() }) })]);
  await expect(page).toHaveURL(new RegExp(`/admin/contact-points/${listed[0].id}$`));

  // The same address again (in other letters' case): the conflict is shown under the address field.
  await page.getByTestId('cp-new').click();
  await dialog.getByRole('radio', { name: 'Почта' }).check();
  await dialog.getByLabel('Название').fill('Дубль');
  await dialog.getByRole('textbox', { name: 'Адрес ящика' }).fill(address.toUpperCase());
  await dialog.getByTestId('cp-create').click();
  await expect(dialog.locator('#cp-new-address-error')).toHaveText('Этот адрес уже занят другой точкой контакта');
  await expect(dialog.getByRole('textbox', { name: 'Адрес ящика' })).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByLabel('Название')).toHaveValue('Дубль');
  await shot(page, 'email-point-conflict');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // Change the name and the address.
  const next = `help-${stamp}@shop.e2e.test`;
  await editor.getByLabel('Название').fill('Почта магазина');
  await editor.getByRole('textbox', { name: 'Адрес ящика' }).fill(next);
  await editor.getByTestId('cp-save').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Сохранено: Почта магазина' })).toBeVisible();
  await expect(page.getByTestId('cp-item')).toContainText(next);
  const after = await api('GET', `/api/v1/admin/contact-points/${listed[0].id}`, undefined, acc.adminToken);
  expect(after).toMatchObject({ name: 'Почта магазина', channel: 'email', settings: { address: next } });
  // The old address is free again: an email point of another account may take it.
  const other = await createAccount('Admin email 2');
  const taken = await api('POST', '/api/v1/admin/contact-points', { name: 'Другой', channel: 'email', settings: { address: address.toLowerCase() } }, other.adminToken);
  expect(taken.settings.address).toBe(address.toLowerCase());
  await page.reload();
  await expect(editor.getByRole('textbox', { name: 'Адрес ящика' })).toHaveValue(next);
  await shot(page, 'email-point');
});

test('email contact point: the address is shown unconfirmed until the code mailed to it is entered; wrong and missing codes are refused at the field', async ({ browser }) => {
  const acc = await createAccount('Admin mailbox');
  const address = `confirm-${Date.now()}@shop.e2e.test`;
  const cp = await api('POST', '/api/v1/admin/contact-points', { name: 'Почта', channel: 'email', settings: { address } }, acc.adminToken);
  const page = await adminPage(browser, acc, `/admin/contact-points/${cp.id}`);
  const state = page.getByTestId('mailbox-state');
  await expect(state).toHaveAttribute('data-state', 'unverified');
  await expect(state).toContainText('Адрес не подтверждён');
  // No relay in this run: the mail with the code waits.
  await expect(page.getByTestId('mailbox-sent')).toContainText('ждёт отправки');
  await page.getByTestId('mailbox-confirm').click();
  await expect(state.getByRole('alert')).toHaveText('Введите код из письма');
  await state.getByLabel('Код из письма').fill('1234-5678');
  await state.getByLabel('Код из письма').press('Enter');
  await expect(state.getByRole('alert')).toHaveText('Этот код больше не действует: отправьте новый');
  await expect(state.getByLabel('Код из письма')).toHaveAttribute('aria-invalid', 'true');
  const st = await api('GET', `/api/v1/admin/contact-points/${cp.id}/mailbox`, undefined, acc.adminToken);
  expect(st).toMatchObject({ address, verified_at: null });
  await shot(page, 'email-point-unconfirmed');
});

test('monitor shows operators in their colours and the queue; reports render totals, tables and the chart', async ({ browser }) => {
  const acc = await createAccount('Admin monitor');
  const boris = await createOperator(acc, 'Борис Доступный', 'available');
  await createOperator(acc, 'Вера На паузе', 'pause');
  const cp = await createWebchatPoint(acc.adminToken);
  const cat = await api('POST', '/api/v1/admin/conversation-categories', { name: 'Оплата' }, acc.adminToken);
  // One conversation answered and closed by Boris…
  const ivan = await Visitor.start(cp.key, 'Иван');
  const first = await ivan.send('Не проходит оплата');
  await expect.poll(async () => (await api('GET', `/api/v1/conversations/${first.conversation_id}`, undefined, acc.adminToken)).assignee_id)
    .toBe(boris.id);
  await api('POST', `/api/v1/conversations/${first.conversation_id}/messages`, { client_id: 'r-1', text: 'Сейчас проверим' }, boris.token);
  await api('POST', `/api/v1/conversations/${first.conversation_id}/close`, { category_id: cat.id }, boris.token);
  // …and a second one, started while nobody was available.
  await api('PUT', '/api/v1/me/status', { status: 'pause' }, boris.token);
  const olga = await Visitor.start(cp.key, 'Ольга Ждущая');
  await olga.send('Есть кто-нибудь?');
  await api('PUT', '/api/v1/me/status', { status: 'available' }, boris.token);
  const page = await adminPage(browser, acc);
  const row = page.getByTestId('monitor-operator').filter({ hasText: 'Борис Доступный' });
  await expect(row).toHaveAttribute('data-status', 'available');
  await expect(row.getByTestId('status-badge')).toHaveText('Доступен');
  await expect(row.locator('.status-dot')).toHaveCSS('background-color', 'rgb(31, 157, 85)');
  await expect(page.getByTestId('monitor-operator').filter({ hasText: 'Вера На паузе' }).locator('.status-dot'))
    .toHaveCSS('background-color', 'rgb(224, 161, 0)');
  await expect(page.getByTestId('stat-online')).toContainText('2');
  await shot(page, 'monitor');

  await nav(page, 'Отчёты').click();
  await expect(page.getByTestId('report')).toBeVisible();
  for (const id of ['created', 'closed', 'visitor_closed', 'queued_now', 'open_now']) {
    await expect(page.getByTestId('total-' + id)).toBeVisible();
  }
  await expect(page.getByTestId('total-created')).toContainText('2');
  await expect(page.getByTestId('total-closed')).toContainText('1');
  await expect(page.getByTestId('report-categories')).toContainText('Оплата');
  await expect(page.getByTestId('report-operators')).toContainText('Борис Доступный');
  await expect(page.getByTestId('day-chart')).toBeVisible();
  await page.locator('[data-preset=today]').click();
  await expect(page.locator('[data-preset=today]')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('total-created')).toContainText('2');
  await page.locator('[data-preset="30d"]').click();
  await expect(page.locator('[data-preset="30d"]')).toHaveAttribute('aria-pressed', 'true');
  // The report on screen downloads as CSV: BOM, `;` in Russian, CRLF, sections with header rows.
  const button = page.getByRole('button', { name: 'Скачать CSV' });
  await expect(button).toBeEnabled();
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const from = await page.getByTestId('report-from').inputValue();
  const to = await page.getByTestId('report-to').inputValue();
  expect(download.suggestedFilename()).toBe(`livedesk-report-${from}-${to}.csv`);
  const bytes = await readFile(await download.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.toString('utf8').slice(1).split('\r\n');
  expect(lines[0]).toBe('С;По;Часовой пояс');
  expect(lines[1]).toMatch(new RegExp(`^${from};${to};`));
  expect(lines).toContain('Создано;Завершено;Закрыто посетителем;В очереди сейчас;Открыто сейчас');
  const cats = lines.indexOf('Категория;Завершено');
  expect(cats).toBeGreaterThan(0);
  expect(lines.slice(cats + 1, lines.indexOf('', cats))).toEqual(['Оплата;1']);
  expect(lines).toContain('Оператор;Завершено;Первый ответ, среднее, с');
  expect(lines.some((l) => /^Борис Доступный;1;\d+$/.test(l))).toBe(true);
  await shot(page, 'reports');
});

test('the monitor lists the queue', async ({ browser }) => {
  const acc = await createAccount('Admin queue');
  await createOperator(acc, 'Анна На паузе', 'pause');
  const cp = await createWebchatPoint(acc.adminToken);
  const olga = await Visitor.start(cp.key, 'Ольга Ждущая');
  await olga.send('Есть кто-нибудь?');
  const page = await adminPage(browser, acc);
  const item = page.getByTestId('queue-item').filter({ hasText: 'Ольга Ждущая' });
  await expect(item).toContainText('Сайт e2e');
  await expect(page.getByTestId('stat-queue')).toHaveText('1');
  await shot(page, 'monitor-queue');
});

test('the supervisor sees live conversations: who waits for an answer, with which operator', async ({ browser }) => {
  const acc = await createAccount('Admin live');
  const boris = await createOperator(acc, 'Борис Оператор', 'available');
  const cp = await createWebchatPoint(acc.adminToken);
  const assigned = async (conversationId: string) => expect.poll(async () =>
    (await api('GET', `/api/v1/conversations/${conversationId}`, undefined, acc.adminToken)).assignee_id).toBe(boris.id);
  // A guest Boris already answered, a visitor who left, and Piotr still waiting for an answer.
  const guest = await Visitor.start(cp.key);
  const g = await guest.send('Здравствуйте, какие у вас часы работы?');
  await assigned(g.conversation_id);
  await api('POST', `/api/v1/conversations/${g.conversation_id}/messages`, { client_id: 'live-1', text: 'С 9 до 21 ежедневно' }, boris.token);
  const anna = await Visitor.start(cp.key, 'Анна Ушедшая');
  const a = await anna.send('Уже не нужно, спасибо');
  await assigned(a.conversation_id);
  await anna.close();
  const piotr = await Visitor.start(cp.key, 'Пётр Ждущий');
  const p = await piotr.send('Где мой заказ 1042? Обещали доставить вчера, а его всё нет');
  await assigned(p.conversation_id);

  const svEmail = `sv-live-${Date.now()}@e2e.test`;
  await api('POST', '/api/v1/admin/operators', { name: 'Вера Супервизор', email: svEmail, password: 'e2e-password', role: 'supervisor', limit: 3 }, acc.adminToken);
  const page = await cabinet(browser, svEmail, 'e2e-password');
  const card = page.getByTestId('monitor-live');
  await expect(card.getByRole('heading', { name: /Открытые обращения/ })).toBeVisible();
  await expect(card.getByTestId('live-count')).toHaveText('3');
  const items = card.getByTestId('live-item');
  // Waiting first, then the rest by last message.
  await expect(items.getByTestId('live-visitor')).toHaveText(['Пётр Ждущий', 'Анна Ушедшая', /^Гость #\d{4}$/]);
  const row = items.filter({ hasText: 'Пётр Ждущий' });
  await expect(row).toHaveAttribute('data-waiting', 'yes');
  await expect(row.getByTestId('live-operator')).toHaveText('Борис Оператор');
  await expect(row.getByTestId('live-wait')).toContainText('ждёт ответа');
  await expect(row).toContainText('Где мой заказ 1042?');
  await expect(row).toContainText('Сайт e2e');
  await expect(row.getByTestId('live-unread')).toHaveText('1');
  const left = items.filter({ hasText: 'Анна Ушедшая' });
  await expect(left.getByTestId('live-visitor-closed')).toHaveText('закрыто посетителем');
  await expect(left).toHaveAttribute('data-waiting', 'no');
  const answered = items.filter({ hasText: 'Гость' });
  await expect(answered).toHaveAttribute('data-waiting', 'no');
  await expect(answered).toContainText('Оператор: С 9 до 21 ежедневно');

  // Seen six minutes later, the wait is highlighted.
  await page.clock.setFixedTime(Date.now() + 6 * 60_000);
  await expect(row).toHaveAttribute('data-waiting', 'long', { timeout: 15_000 });
  await expect(row.locator('.wait-long')).toContainText('6 мин');
  await card.scrollIntoViewIfNeeded();
  await shot(page, 'monitor-live');
  // Usable at 1024 wide: the page does not scroll sideways, the message preview stays visible.
  await page.setViewportSize({ width: 1024, height: 768 });
  await expect(row.locator('.live-preview')).toBeVisible();
  expect(await page.evaluate(() => document.querySelector('main')!.scrollWidth <= document.querySelector('main')!.clientWidth)).toBe(true);
  await card.scrollIntoViewIfNeeded();
  await shot(page, 'monitor-live-1024');

  // Boris answers: with the next refresh Piotr no longer waits and the newest message comes first.
  await api('POST', `/api/v1/conversations/${p.conversation_id}/messages`, { client_id: 'live-2', text: 'Проверяю, минуту' }, boris.token);
  await expect(row).toHaveAttribute('data-waiting', 'no', { timeout: 15_000 });
  await expect(row.getByTestId('live-wait')).not.toContainText('ждёт ответа');
  await expect(row).toContainText('Оператор: Проверяю, минуту');
  await expect(items.getByTestId('live-visitor')).toHaveText(['Пётр Ждущий', 'Анна Ушедшая', /^Гость #\d{4}$/]);
});

test('an operator sees the no-access page; a supervisor sees only monitoring and reports', async ({ browser }) => {
  const acc = await createAccount('Admin roles');
  const email = `plain-${Date.now()}@e2e.test`;
  await api('POST', '/api/v1/admin/operators', { name: 'Простой Оператор', email, password: 'e2e-password', role: 'operator', limit: 3 }, acc.adminToken);
  const page = await cabinet(browser, email, 'e2e-password');
  await expect(page.getByTestId('no-access')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Нет доступа к личному кабинету' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Приложение оператора' })).toHaveAttribute('href', '/');
  await shot(page, 'no-access');

  const svEmail = `sv-${Date.now()}@e2e.test`;
  await api('POST', '/api/v1/admin/operators', { name: 'Вера Супервизор', email: svEmail, password: 'e2e-password', role: 'supervisor', limit: 3 }, acc.adminToken);
  const sv = await cabinet(browser, svEmail, 'e2e-password', '/admin/settings');
  await expect(sv.getByRole('navigation', { name: 'Разделы' }).getByRole('link')).toHaveText([/Мониторинг$/, /Отчёты$/]);
  // A forbidden section falls back to monitoring.
  await expect(sv).toHaveURL(/\/admin\/monitor$/);
  await expect(sv.getByTestId('monitor-operators')).toBeVisible();
  // Time in status comes with the monitor itself, for supervisors too.
  await expect(sv.getByTestId('monitor-operator').first().getByTestId('status-since')).toHaveText(/\d/);
});

test('stickers, dictionary and settings screens; English is switchable and remembered', async ({ browser }) => {
  const acc = await createAccount('Admin misc');
  const page = await adminPage(browser, acc, '/admin/stickers');
  await expect(page.getByTestId('builtin-pack')).toBeVisible();
  const addPack = page.getByTestId('pack-add');
  await addPack.getByRole('textbox').fill('Котики');
  await addPack.getByRole('button', { name: 'Добавить' }).click();
  const pack = page.locator('[data-testid=sticker-pack][data-name="Котики"]');
  await expect(pack).toBeVisible();
  // A 1×1 PNG.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  await pack.getByTestId('sticker-file').setInputFiles({ name: 'мяу.png', mimeType: 'image/png', buffer: png });
  await expect(pack.locator('.sticker')).toHaveCount(1);
  await expect(pack).toContainText('мяу');
  await shot(page, 'stickers');

  await nav(page, 'Словарь').click();
  const addWord = page.getByTestId('word-add');
  for (const w of ['livedesk', 'Бублик']) {
    await addWord.getByRole('textbox').fill(w);
    await addWord.getByRole('button', { name: 'Добавить' }).click();
    await expect(page.getByTestId('word').filter({ hasText: w })).toBeVisible();
  }
  expect((await api('GET', '/api/v1/admin/dictionary', undefined, acc.adminToken)).items.map((i: any) => i.word).sort()).toEqual(['livedesk', 'Бублик']);
  await page.getByLabel('Найти слово').fill('бубл');
  await expect(page.getByTestId('word')).toHaveCount(1);
  await shot(page, 'dictionary');
  await page.getByRole('button', { name: 'Удалить слово «Бублик»' }).click();
  await expect(page.getByTestId('word')).toHaveCount(0);

  await nav(page, 'Настройки').click();
  const limit = page.getByLabel('Лимит обращений для новых операторов');
  await limit.fill('0');
  await page.getByTestId('settings-save').click();
  await expect(page.getByText('Целое число от 1 до 1000')).toBeVisible();
  await limit.fill('9');
  await page.getByLabel('Автоподстановка быстрых сообщений').uncheck();
  await page.getByTestId('settings-save').click();
  await expect(page.getByText('Сохранено ✓')).toBeVisible();
  expect(await api('GET', '/api/v1/admin/settings', undefined, acc.adminToken)).toMatchObject({ default_limit: 9, autocomplete_quick_messages: false });
  await shot(page, 'settings');

  await page.locator('[data-lang=en]').first().click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Reports' })).toBeVisible();
  await shot(page, 'settings-en');
  await page.getByTestId('logout').click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await shot(page, 'login-en');
});
