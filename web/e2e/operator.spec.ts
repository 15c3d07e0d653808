import { test } from '@playwright/test';
import { Visitor, chooseStatus, createDesk, expect, listItem, operatorPage, setStatusApi, shot, signIn, GUEST } from './operator-helpers';
import { api } from './support';
import { sendMail } from './mail';

// The operator app against the real server: each test builds its own account.

test('status: the avatar menu changes the status at once; offline forbids settings and replies', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна Смирнова': 5 } });
  const page = await operatorPage(browser, desk, 'Анна Смирнова');
  const anna = desk.ops['Анна Смирнова'];

  // Logging in does not make anyone available.
  await expect(page.getByTestId('status-button')).toHaveAttribute('data-status', 'offline');
  await page.getByTestId('status-button').click();
  const menu = page.getByRole('menu');
  for (const label of ['Доступен', 'Пауза', 'Нет на месте', 'Не в сети']) {
    await expect(menu.getByRole('menuitemradio', { name: label })).toBeVisible();
  }
  // Settings (the language) are disabled while offline, with the reason shown.
  await expect(menu.locator('[data-lang=en]')).toBeDisabled();
  await expect(menu.getByText('В статусе «Не в сети» настройки недоступны')).toBeVisible();
  await shot(page, 'status-menu');
  await page.keyboard.press('Escape');

  await chooseStatus(page, 'available');
  expect((await api('GET', '/api/v1/me', undefined, anna.token)).status).toBe('available');
  await chooseStatus(page, 'pause');
  expect((await api('GET', '/api/v1/me', undefined, anna.token)).status).toBe('pause');
  await chooseStatus(page, 'away');
  expect((await api('GET', '/api/v1/me', undefined, anna.token)).status).toBe('away');

  // A status change made elsewhere (another tab) arrives live.
  await setStatusApi(anna, 'available');
  await expect(page.getByTestId('status-button')).toHaveAttribute('data-status', 'available');

  // English is switchable and remembered.
  await page.getByTestId('status-button').click();
  await page.locator('[data-lang=en]').click();
  await expect(page.getByTestId('status-button')).toContainText('Available');
  await page.reload();
  await expect(page.getByTestId('status-button')).toContainText('Available');
  await page.getByTestId('status-button').click();
  await page.locator('[data-lang=ru]').click();
  await expect(page.getByTestId('status-button')).toContainText('Доступен');

  // Sign out: back to the sign-in screen, and the session is gone.
  await page.getByTestId('status-button').click();
  await page.getByTestId('logout').click();
  await expect(page.getByRole('button', { name: 'Войти' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Войти' })).toBeVisible();
});

test('a visitor message reaches the right operator with all six fields; the list re-orders live', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна': 5, 'Борис': 5 } });
  const anna = await operatorPage(browser, desk, 'Анна');
  const boris = await operatorPage(browser, desk, 'Борис');
  await chooseStatus(anna, 'available');
  await chooseStatus(boris, 'pause'); // pause: routing skips Boris

  const ivan = await Visitor.start(desk.key, 'Иван Петров');
  await ivan.send('Здравствуйте, не проходит оплата картой');
  const item = listItem(anna, 'Иван Петров');
  await expect(item).toBeVisible();
  await expect(item.getByTestId('conv-channel')).toHaveAttribute('data-channel', 'webchat');
  await expect(item.getByTestId('conv-preview')).toHaveText('Здравствуйте, не проходит оплата картой');
  await expect(item.getByTestId('conv-contact-point')).toHaveText(desk.contactPoint);
  await expect(item.getByTestId('conv-time')).toHaveText(/^\d{2}:\d{2}$/); // today: the time
  await expect(item.getByTestId('conv-unread')).toHaveText('1');
  await expect(item.getByTestId('conv-visitor-closed')).toHaveCount(0);

  const guest = await Visitor.start(desk.key);
  await guest.send('Есть кто-нибудь?');
  await expect(listItem(anna, GUEST)).toBeVisible();
  // Newest first, and a new message moves its conversation to the top.
  await expect(anna.getByTestId('conv-name')).toHaveText([/^Гость #\d{4}$/, 'Иван Петров']);
  await ivan.send('Алло?');
  await expect(anna.getByTestId('conv-name')).toHaveText(['Иван Петров', /^Гость #\d{4}$/]);
  await expect(listItem(anna, 'Иван Петров').getByTestId('conv-unread')).toHaveText('2');
  await expect(anna).toHaveTitle('(2) livedesk');

  // Boris (pause) got nothing.
  await expect(boris.getByTestId('conv-item')).toHaveCount(0);
  await expect(boris.getByText('Открытых обращений нет')).toBeVisible();
  await shot(anna, 'list');

  // Opening it reads it.
  await listItem(anna, 'Иван Петров').click();
  await expect(listItem(anna, 'Иван Петров').getByTestId('conv-unread')).toHaveCount(0);
  await expect(anna).toHaveTitle('(1) livedesk');
});

test('reply with a quote reaches the visitor; a comment never does; drafts survive a reload', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна': 5 } });
  const page = await operatorPage(browser, desk, 'Анна');
  await chooseStatus(page, 'available');
  const v = await Visitor.start(desk.key, 'Мария');
  const first = await v.send('Где мой заказ №1042?');
  await v.send('Оплатила вчера');

  await listItem(page, 'Мария').click();
  const history = page.getByTestId('history');
  await expect(history.getByTestId('msg-visitor')).toHaveCount(2);
  await expect(history.getByTestId('day-separator').first()).toHaveText('Сегодня');

  // Quote by hover: the quote button on the visitor message.
  const quoted = history.getByTestId('msg-visitor').filter({ hasText: 'Где мой заказ' });
  await quoted.hover();
  await quoted.getByTestId('quote-button').click();
  await expect(page.getByTestId('composer-quote')).toContainText('Где мой заказ №1042?');
  // It can be removed, and set again by right click → «Цитировать».
  await page.getByTestId('remove-quote').click();
  await expect(page.getByTestId('composer-quote')).toHaveCount(0);
  await quoted.click({ button: 'right' });
  await page.getByTestId('ctx-quote').click();
  await expect(page.getByTestId('composer-quote')).toBeVisible();
  await shot(page, 'quote');

  const input = page.locator('#composer-input');
  await input.fill('Заказ передан в доставку');
  await input.press('Shift+Enter');
  await input.pressSequentially('Курьер позвонит заранее');
  await expect(input).toHaveValue('Заказ передан в доставку\nКурьер позвонит заранее');
  await input.press('Enter');
  const reply = history.getByTestId('msg-operator').filter({ hasText: 'Курьер позвонит заранее' });
  await expect(reply.getByTestId('msg-quote')).toContainText('Где мой заказ №1042?');
  await expect(input).toHaveValue('');
  await expect(page.getByTestId('composer-quote')).toHaveCount(0);

  await expect.poll(async () => (await v.messages()).map((m) => m.text))
    .toContain('Заказ передан в доставку\nКурьер позвонит заранее');
  const sent = (await v.messages()).find((m) => m.text.startsWith('Заказ передан'));
  expect(sent.reply_to).toBe(first.id);
  expect(sent.quote.text).toBe('Где мой заказ №1042?');

  // An internal comment: visibly different, never sent to the visitor.
  await page.getByTestId('mode-comment').click();
  await input.fill('Клиент VIP, проверить скидку');
  await input.press('Enter');
  await expect(history.getByTestId('msg-comment')).toContainText('Клиент VIP, проверить скидку');
  await expect(history.getByTestId('msg-comment')).toContainText('Внутренний комментарий');
  await page.getByTestId('mode-reply').click();
  await input.fill('Что-нибудь ещё?');
  await input.press('Enter');
  await expect.poll(async () => (await v.messages()).map((m) => m.text)).toContain('Что-нибудь ещё?');
  expect((await v.messages()).map((m) => m.text)).not.toContain('Клиент VIP, проверить скидку');

  // The visitor typing shows in the history (the visitor's socket, opened from a page on the same server).
  const vp = await page.context().newPage();
  await vp.goto('/healthz');
  await vp.evaluate((token) => new Promise<void>((resolve) => {
    const ws = new WebSocket(`ws://${location.host}/api/v1/widget/ws?token=${encodeURIComponent(token)}`);
    ws.onopen = () => { ws.send(JSON.stringify({ type: 'typing' })); resolve(); };
  }), v.token);
  await expect(page.getByTestId('typing')).toBeVisible();
  await vp.close();

  await input.fill('Черновик ответа, не отправлен');
  await shot(page, 'chat');
  await page.reload();
  await listItem(page, 'Мария').click();
  await expect(page.locator('#composer-input')).toHaveValue('Черновик ответа, не отправлен');

  // Composer buttons in the seed's order (files, emoji and stickers: media.spec.ts).
  const order = await page.getByTestId('composer').locator('button[data-testid$=-button]').evaluateAll(
    (els) => els.map((e) => e.getAttribute('data-testid')));
  expect(order).toEqual(['attach-button', 'emoji-button', 'send-button', 'quick-button']);
  // (quick messages work now: operator-quick.spec.ts)
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('attach-button').click()]);
  expect(chooser.isMultiple()).toBe(true);
  await page.getByTestId('emoji-button').click();
  await expect(page.getByTestId('media-picker')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('media-picker')).toHaveCount(0);
});

test('the visitor closes: the system line shows in the list and the history', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна': 5 } });
  const page = await operatorPage(browser, desk, 'Анна');
  await chooseStatus(page, 'available');
  const v = await Visitor.start(desk.key, 'Олег');
  await v.send('Спасибо, вопрос решён');
  await listItem(page, 'Олег').click();
  await v.close();
  await expect(listItem(page, 'Олег').getByTestId('conv-visitor-closed')).toHaveText('Посетитель закрыл обращение');
  await expect(page.getByTestId('history').getByTestId('msg-system')).toContainText('Посетитель закрыл обращение');
  await expect(page.getByTestId('visitor-closed-banner')).toBeVisible();
  await shot(page, 'visitor-closed');
});

test('keyboard: move through the list, open, reply, open the close dialog', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна': 5 } });
  const page = await operatorPage(browser, desk, 'Анна');
  await chooseStatus(page, 'available');
  await (await Visitor.start(desk.key, 'Первый')).send('раз');
  const second = await Visitor.start(desk.key, 'Второй');
  await second.send('два');
  await expect(page.getByTestId('conv-item')).toHaveCount(2);

  await page.keyboard.press('Alt+KeyL');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('chat-visitor')).toHaveText('Первый');
  await expect(page.locator('#composer-input')).toBeFocused();
  await page.keyboard.type('Ответ с клавиатуры');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('msg-operator')).toContainText('Ответ с клавиатуры');
  // The list re-sorts when the reply's event arrives, which may be after the history shows it.
  await expect(page.getByTestId('conv-item').first()).toContainText('Первый');
  await page.keyboard.press('Alt+ArrowUp');
  await expect(page.getByTestId('chat-visitor')).toHaveText('Первый'); // now at the top: it got the newest message
  await page.keyboard.press('Alt+ArrowDown');
  await expect(page.getByTestId('chat-visitor')).toHaveText('Второй');
  await page.keyboard.press('Alt+KeyE');
  await expect(page.getByTestId('close-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('close-dialog')).toHaveCount(0);
  await page.keyboard.press('Alt+KeyT');
  await expect(page.getByTestId('transfer-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('transfer-dialog')).toHaveCount(0);
  await page.keyboard.press('Alt+Slash');
  await expect(page.getByTestId('help-dialog')).toContainText('Alt+T');
  await shot(page, 'help');
  await page.keyboard.press('Escape');

  // Offline: what the status forbids is disabled, and says why.
  await chooseStatus(page, 'offline');
  await expect(page.getByTestId('composer-blocked')).toHaveText('Вы не в сети: выберите статус, чтобы работать с обращением');
  await expect(page.locator('#composer-input')).toBeDisabled();
  await expect(page.getByTestId('transfer-button')).toBeDisabled();
  await expect(page.getByTestId('close-button')).toBeDisabled();
  await expect(page.locator('.tip-wrap', { has: page.getByTestId('close-button') })).toHaveAttribute('title', /не в сети/);
  await page.keyboard.press('Alt+KeyE');
  await expect(page.getByTestId('close-dialog')).toHaveCount(0);
});

test('a network cut: a small banner, then a silent resume from the cursor that misses nothing', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна': 5 } });
  const page = await operatorPage(browser, desk, 'Анна');
  await chooseStatus(page, 'available');
  const v = await Visitor.start(desk.key, 'Пётр');
  await v.send('Первое');
  await listItem(page, 'Пётр').click();
  await page.locator('#composer-input').fill('Печатаю без сети');

  await page.context().setOffline(true);
  await expect(page.getByTestId('offline-banner')).toBeVisible();
  await shot(page, 'offline');
  await v.send('Пока вы были без сети');
  const other = await Visitor.start(desk.key, 'Новый посетитель');
  await other.send('Здравствуйте');

  await page.context().setOffline(false);
  await expect(page.getByTestId('offline-banner')).toHaveCount(0, { timeout: 20_000 });
  await expect(page.getByTestId('history').getByText('Пока вы были без сети')).toBeVisible();
  await expect(listItem(page, 'Новый посетитель')).toBeVisible();
  await expect(page.getByTestId('history').getByText('Пока вы были без сети')).toHaveCount(1);
  await expect(page.locator('#composer-input')).toHaveValue('Печатаю без сети');
});

test('supervisors see the queue, and watch it drain live', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна': 5 } });
  const sup = await api('POST', '/api/v1/admin/operators',
    { name: 'Вера Старшая', email: `sup-${Date.now()}@e2e.test`, password: 'e2e-password', role: 'supervisor', limit: 5 }, desk.adminToken);
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 820 } });
  const vera = await ctx.newPage();
  await signIn(vera, { ...desk.ops['Анна'], email: sup.email, name: 'Вера Старшая', id: sup.id });

  // Nobody is available: the conversation waits in the queue.
  await (await Visitor.start(desk.key, 'Ожидающий')).send('Есть кто живой?');
  await expect(vera.getByTestId('tab-queue')).toContainText('1');
  await vera.getByTestId('tab-queue').click();
  await expect(listItem(vera, 'Ожидающий')).toBeVisible();
  await shot(vera, 'queue');
  await listItem(vera, 'Ожидающий').click();
  await expect(vera.getByText('Обращение в очереди')).toBeVisible();

  // Anna becomes available: routing takes it from the queue.
  await setStatusApi(desk.ops['Анна'], 'available');
  await expect(vera.getByTestId('tab-queue')).toContainText('0');
  await vera.getByTestId('tab-open').click();
  await expect(listItem(vera, 'Ожидающий')).toContainText('Оператор: Анна');
});

test('an email becomes a conversation with its subject; the reply is written in the app', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна': 5 } });
  const address = `help-${desk.ops['Анна'].id}-${Date.now()}@shop.e2e.test`;
  await api('POST', '/api/v1/admin/contact-points', { name: 'Почта магазина', channel: 'email', settings: { address } }, desk.adminToken);
  const page = await operatorPage(browser, desk, 'Анна');
  await chooseStatus(page, 'available');
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  await sendMail('irina@example.org', address, [
    `From: =?utf-8?b?${b64('Ирина Петрова')}?= <irina@example.org>`,
    `To: ${address}`,
    `Subject: =?utf-8?b?${b64('Возврат заказа 4512')}?=`,
    `Message-ID: <e2e-${Date.now()}@example.org>`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Здравствуйте! Хочу вернуть заказ 4512.',
  ].join('\n'));
  await listItem(page, 'Ирина Петрова').click();
  await expect(page.getByTestId('chat-subject')).toHaveText('Тема: Возврат заказа 4512');
  await expect(page.getByTestId('msg-visitor')).toContainText('Хочу вернуть заказ 4512.');
  await page.locator('#composer-input').fill('Ирина, оформим возврат сегодня.');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('msg-operator')).toContainText('оформим возврат сегодня');
  // This server has no relay: the reply waits in the outbox, and the operator sees that.
  await expect(page.getByTestId('msg-operator').getByTestId('mail-state')).toHaveText('Письмо ждёт отправки');
  await shot(page, 'email-conversation');
});
