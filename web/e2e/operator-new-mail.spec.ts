import { type Browser, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { chooseStatus, createDesk, expect, listItem, operatorPage, shot } from './operator-helpers';
import { api } from './support';

// Outgoing email (issue 16): «Написать письмо» in the operator app starts an email
// conversation to a customer address, and a widget conversation's replies say that they
// will follow a visitor who left by mail. The run's server has no relay, so the mails stay
// «ждёт отправки» here; their way out through a real Postfix is mail-flow.spec.ts.

/** A small PDF (a file to attach). */
const PDF = { name: 'doc.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n') };

async function mailbox(adminToken: string, name: string, tag: string) {
  const address = `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@shop.e2e.test`;
  const cp = await api('POST', '/api/v1/admin/contact-points', { name, channel: 'email', settings: { address } }, adminToken);
  return { id: cp.id as string, address };
}

async function phonePage(browser: Browser, email: string, password: string) {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  await page.goto('/');
  await page.getByLabel('Эл. почта').fill(email);
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page.getByTestId('status-button')).toBeVisible();
  const later = page.getByRole('button', { name: 'Не сейчас' });
  if (await later.isVisible()) await later.click();
  return page;
}

test('«Написать письмо»: the mailbox chosen, a refusal at its field, the mail with a file opens its conversation, a second mail to the same address offers the open one', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна': 5 } });
  const support = await mailbox(desk.adminToken, 'Почта поддержки', 'support');
  const sales = await mailbox(desk.adminToken, 'Отдел продаж', 'sales');
  const page = await operatorPage(browser, desk, 'Анна');
  const button = page.getByRole('button', { name: 'Написать письмо' });

  // Away: new mail is not for this status.
  await chooseStatus(page, 'away');
  await expect(button).toBeDisabled();
  await chooseStatus(page, 'available');
  await button.click();
  const dialog = page.getByTestId('new-mail-dialog');
  await expect(dialog.getByRole('heading', { name: 'Новое письмо' })).toBeVisible();
  // Two mailboxes: the operator chooses; the first is preselected.
  const from = dialog.getByLabel('От');
  await expect(from.locator('option')).toHaveCount(2);
  await from.selectOption({ label: `Отдел продаж — ${sales.address}` });
  await expect(dialog.getByLabel('Кому')).toBeFocused();
  const send = dialog.getByTestId('new-mail-send');
  await expect(send).toBeDisabled();

  // The mailbox's own address is refused at the «Кому» field, in words.
  await dialog.getByLabel('Кому').fill(sales.address);
  await dialog.getByLabel('Тема').fill('Ваш заказ 4512');
  await dialog.getByLabel('Текст письма').fill('Здравствуйте, Ирина!\nЗаказ 4512 собран и ждёт оплаты.');
  await send.click();
  await expect(dialog.getByTestId('new-mail-error')).toHaveText('Введите адрес клиента, например client@example.org (не адрес самого ящика)');
  await expect(dialog.getByLabel('Кому')).toHaveAttribute('aria-invalid', 'true');
  await shot(page, 'new-mail-refused');

  const to = `irina-${Date.now()}@example.org`;
  await dialog.getByLabel('Кому').fill(to);
  await expect(dialog.getByTestId('new-mail-error')).toHaveCount(0);
  await expect(dialog.getByLabel('Кому')).not.toHaveAttribute('aria-invalid', 'true');
  await dialog.getByLabel('Имя клиента (необязательно)').fill('Ирина Петрова');
  await dialog.getByTestId('new-mail-files').setInputFiles(PDF);
  await expect(dialog.getByTestId('attach-chip')).toHaveAttribute('data-status', 'done');
  await shot(page, 'new-mail-dialog');
  await send.click();
  await expect(dialog).toHaveCount(0);

  // The conversation is Анна's and open: the subject, the mail with its file, waiting to go.
  const chat = page.getByTestId('chat');
  await expect(chat.getByTestId('chat-visitor')).toContainText('Ирина Петрова');
  await expect(chat.getByTestId('chat-subject')).toHaveText('Тема: Ваш заказ 4512');
  const mail = chat.getByTestId('msg-operator');
  await expect(mail).toHaveCount(1);
  await expect(mail).toContainText('Заказ 4512 собран и ждёт оплаты.');
  await expect(mail).toContainText('doc.pdf');
  await expect(mail.getByTestId('mail-state')).toHaveText('Письмо ждёт отправки');
  await expect(listItem(page, 'Ирина Петрова')).toBeVisible();
  await expect(page.locator('#composer-input')).toBeEnabled();
  await shot(page, 'new-mail-conversation');
  const me = await api('GET', '/api/v1/me', undefined, desk.ops['Анна'].token);
  expect(me.open_count).toBe(1);
  const list = await api('GET', '/api/v1/conversations?state=open', undefined, desk.ops['Анна'].token);
  expect(list.items.map((c: any) => [c.channel, c.contact_point.id, c.subject])).toEqual([['email', sales.id, 'Ваш заказ 4512']]);

  // A second mail to the same address from the same mailbox: the open conversation is offered.
  await button.click();
  await dialog.getByLabel('От').selectOption({ label: `Отдел продаж — ${sales.address}` });
  await dialog.getByLabel('Кому').fill(to.toUpperCase());
  await dialog.getByLabel('Тема').fill('Ещё вопрос');
  await dialog.getByLabel('Текст письма').fill('Добрый день!');
  await send.click();
  await expect(dialog.getByTestId('new-mail-error')).toContainText('С этим адресом уже идёт открытое обращение');
  await dialog.getByTestId('new-mail-open').click();
  await expect(dialog).toHaveCount(0);
  await expect(chat.getByTestId('chat-subject')).toHaveText('Тема: Ваш заказ 4512');
  expect(support.id).not.toBe(sales.id);
});

test('«Написать письмо» on a phone: the dialog fits the screen, in English too', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна': 5 } });
  const box = await mailbox(desk.adminToken, 'Почта поддержки', 'phone');
  const op = desk.ops['Анна'];
  await api('PUT', '/api/v1/me/status', { status: 'available' }, op.token);
  const page = await phonePage(browser, op.email, op.password);
  await page.getByRole('button', { name: 'Написать письмо' }).click();
  const dialog = page.getByTestId('new-mail-dialog');
  // One mailbox: it is named, not chosen.
  await expect(dialog.getByTestId('new-mail-from')).toContainText(box.address);
  await dialog.getByLabel('Кому').fill('client@example.org');
  await dialog.getByLabel('Тема').fill('Заказ');
  await dialog.getByLabel('Текст письма').fill('Здравствуйте!');
  await shot(page, 'new-mail-phone');
  const b = await dialog.boundingBox();
  expect(b!.x).toBeGreaterThanOrEqual(0);
  expect(b!.x + b!.width).toBeLessThanOrEqual(390);
  for (const field of ['Кому', 'Имя клиента (необязательно)', 'Тема']) {
    const f = await dialog.getByLabel(field).boundingBox();
    expect(f!.x + f!.width).toBeLessThanOrEqual(390);
  }
  await dialog.getByTestId('new-mail-send').click();
  await expect(page.getByTestId('chat-subject')).toHaveText('Тема: Заказ');

  // English.
  await api('PATCH', '/api/v1/me/settings', { language: 'en' }, op.token);
  await page.reload();
  await page.getByRole('button', { name: 'New email' }).click();
  const en = page.getByTestId('new-mail-dialog');
  await expect(en.getByRole('heading', { name: 'New email' })).toBeVisible();
  await expect(en.getByLabel('To', { exact: true })).toBeVisible();
  await expect(en.getByLabel('Subject')).toBeVisible();
  await expect(en.getByTestId('new-mail-send')).toHaveText('Send');
  await shot(page, 'new-mail-phone-en');
});

test('a widget conversation that continues by email: the cabinet setting, and the reply tells that it goes by mail unless the visitor comes back', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна': 5 } });
  const box = await mailbox(desk.adminToken, 'Почта поддержки', 'followup');
  const points = await api('GET', '/api/v1/admin/contact-points', undefined, desk.adminToken);
  const chatPoint = points.items.find((p: any) => p.channel === 'webchat');

  // The cabinet: the webchat contact point's «Продолжать по email».
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const admin = await ctx.newPage();
  await admin.goto(`/admin/contact-points/${chatPoint.id}`);
  const acc = await api('GET', '/api/v1/me', undefined, desk.adminToken);
  await admin.getByLabel('Эл. почта').fill(acc.email);
  await admin.getByLabel('Пароль').fill('e2e-password');
  await admin.getByRole('button', { name: 'Войти' }).click();
  const editor = admin.getByTestId('cp-editor');
  await expect(editor).toBeVisible();
  const section = editor.getByTestId('cp-followup');
  await section.getByLabel('Продолжать по email, если посетитель ушёл').check();
  await expect(section.getByLabel('С какого почтового ящика')).toHaveValue(box.id);
  await expect(section.getByTestId('cp-followup-askemail')).toBeVisible();
  await section.getByLabel('Через сколько минут').fill('99999');
  await editor.getByTestId('cp-save').click();
  await expect(section.locator('#cp-followup-minutes-error')).toHaveText('Целое число минут от 1 до 1440');
  await section.getByLabel('Через сколько минут').fill('5');
  await section.getByLabel('Ссылка на страницу с чатом').fill('https://shop.example/help');
  await editor.getByLabel('Эл. почта').check();
  await expect(section.getByTestId('cp-followup-askemail')).toHaveCount(0);
  await editor.getByTestId('cp-save').click();
  await expect(admin.getByText('Сохранено:', { exact: false }).first()).toBeVisible();
  await section.scrollIntoViewIfNeeded();
  await admin.screenshot({ path: fileURLToPath(new URL('./screenshots/admin-followup.png', import.meta.url)) });
  const saved = await api('GET', `/api/v1/admin/contact-points/${chatPoint.id}`, undefined, desk.adminToken);
  expect(saved.settings.email_followup).toEqual({ contact_point_id: box.id, after_minutes: 5, link: 'https://shop.example/help' });
  await admin.reload();
  await expect(admin.getByTestId('cp-followup').getByLabel('Через сколько минут')).toHaveValue('5');

  // A visitor who left an address writes and goes; Анна's reply says what happens to it.
  const s = await api('POST', `/api/v1/widget/${desk.key}/session`, { name: 'Вера', email: 'vera@example.org' });
  await api('POST', '/api/v1/widget/messages', { client_id: `v-${Date.now()}`, text: 'Где мой заказ?' }, s.visitor_token);
  const page = await operatorPage(browser, desk, 'Анна');
  await chooseStatus(page, 'available');
  await listItem(page, 'Вера').click();
  await page.locator('#composer-input').fill('Заказ в пути, будет завтра.');
  await page.locator('#composer-input').press('Enter');
  const reply = page.getByTestId('msg-operator').last();
  await expect(reply.getByTestId('mail-state')).toHaveAttribute('data-state', 'pending');
  await expect(reply.getByTestId('mail-state')).toHaveAttribute('title', 'Уйдёт письмом, если посетитель не вернётся в чат');
  await shot(page, 'followup-pending');
});
