import { test } from '@playwright/test';
import { chooseStatus, createDesk, expect, listItem, operatorPage, shot, signIn } from './operator-helpers';
import { NotRoot, decodeWords, hostPort, type MailServers, startMailServers, swaks, waitMail } from './mailservers';
import { api } from './support';

// The whole mail flow in the browser (issue 16), on Debian's Dovecot and Postfix started for
// the test (internal/testkit/mailserver/mailservers): a customer's mail sent with swaks to
// Postfix is delivered into the team's Dovecot mailbox, livedesk takes it over IMAP IDLE, the
// conversation appears in the operator app, the operator answers in the browser, the answer
// leaves through Postfix's submission port and lands in the customer's maildir threaded
// (In-Reply-To, References), and the customer's answer to it joins the same conversation. Then
// the operator writes a new mail to another customer («Написать письмо»), who answers it.

const b64 = (s: string) => `=?utf-8?b?${Buffer.from(s).toString('base64')}?=`;

function customerMail(o: { from: string; fromName: string; to: string; subject: string; id: string; inReplyTo?: string; references?: string; text: string }): string {
  return [
    `From: ${b64(o.fromName)} <${o.from}>`,
    `To: ${o.to}`,
    `Subject: ${b64(o.subject)}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: ${o.id}`,
    ...(o.inReplyTo ? [`In-Reply-To: ${o.inReplyTo}`] : []),
    ...(o.references ? [`References: ${o.references}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    'User-Agent: swaks e2e',
    '',
    o.text,
    '',
  ].join('\n');
}

test('a customer\'s mail through Postfix and Dovecot reaches the operator over IMAP IDLE; the answer written in the browser reaches the customer\'s maildir threaded; a new mail from the browser is answered too', async ({ browser }) => {
  test.setTimeout(240_000);
  let mail: MailServers;
  try {
    mail = await startMailServers(['other@customer.test']);
  } catch (err) {
    test.skip(err instanceof NotRoot, 'Postfix runs only as root (as the Go mail tests, this one needs root)');
    throw err;
  }
  try {
    const desk = await createDesk({ operators: { 'Анна': 5 } });
    const imap = hostPort(mail.imap);
    const smtp = hostPort(mail.submission);
    const cp = await api('POST', '/api/v1/admin/contact-points', { name: 'Почта поддержки', channel: 'email', settings: {
      address: mail.support,
      imap: { host: imap.host, port: imap.port, security: 'none', username: mail.support, password: mail.password },
      smtp: { host: smtp.host, port: smtp.port, security: 'none', username: mail.support, password: mail.password },
    } }, desk.adminToken);
    // The watcher waits in IDLE.
    await expect.poll(async () => (await api('GET', `/api/v1/admin/contact-points/${cp.id}/mailbox`, undefined, desk.adminToken)).imap_status?.phase,
      { timeout: 30_000 }).toBe('idle');
    const page = await operatorPage(browser, desk, 'Анна');
    await chooseStatus(page, 'available');

    // 1. The customer writes: swaks → Postfix (the MX-style port) → Dovecot → IMAP IDLE → the app.
    const stamp = Date.now();
    const first = `<first.${stamp}@customer.test>`;
    swaks(mail.smtp, mail.customer, mail.support, customerMail({ from: mail.customer, fromName: 'Ирина Клиентова', to: mail.support,
      subject: 'Заказ 4512 не пришёл', id: first, text: 'Здравствуйте! Заказ 4512 до сих пор не пришёл. Где он?' }));
    const item = listItem(page, 'Ирина Клиентова');
    await expect(item).toBeVisible({ timeout: 30_000 });
    await item.click();
    const chat = page.getByTestId('chat');
    await expect(chat.getByTestId('chat-subject')).toHaveText('Тема: Заказ 4512 не пришёл');
    await expect(chat.getByTestId('msg-visitor')).toContainText('Заказ 4512 до сих пор не пришёл');
    await shot(page, 'mail-flow-inbound');

    // 2. Анна answers in the browser: the mail leaves through Postfix's submission port.
    const composer = page.locator('#composer-input');
    await composer.fill('Ирина, заказ 4512 передан в доставку, трек-номер RA123456789RU.');
    await composer.press('Enter');
    const answer = chat.getByTestId('msg-operator').last();
    await expect(answer.getByTestId('mail-state')).toHaveText('Письмо отправлено', { timeout: 30_000 });
    const reply = await waitMail(mail, mail.customer, (m) => (m.headers['in-reply-to'] ?? '').includes(first));
    expect(reply.headers['references']).toContain(first);
    expect(reply.headers['from']).toContain(mail.support);
    expect(decodeWords(reply.headers['from'] ?? '')).toContain('Анна — Почта поддержки');
    expect(decodeWords(reply.headers['subject'] ?? '')).toBe('Re: Заказ 4512 не пришёл');
    expect(reply.headers['message-id']).toMatch(/^<livedesk\.[^@]+@example\.test>$/);
    expect(reply.text).toContain('трек-номер RA123456789RU');
    const replyId = reply.headers['message-id']!;

    // 3. The customer answers the answer: it joins the same conversation.
    swaks(mail.smtp, mail.customer, mail.support, customerMail({ from: mail.customer, fromName: 'Ирина Клиентова', to: mail.support,
      subject: 'Re: Заказ 4512 не пришёл', id: `<second.${stamp}@customer.test>`, inReplyTo: replyId, references: `${first} ${replyId}`,
      text: 'Спасибо, жду!\n\n> Ирина, заказ 4512 передан в доставку.' }));
    await expect(chat.getByTestId('msg-visitor')).toHaveCount(2, { timeout: 30_000 });
    await expect(chat.getByTestId('msg-visitor').last()).toContainText('Спасибо, жду!');
    await expect(page.getByTestId('conv-item')).toHaveCount(1);
    await shot(page, 'mail-flow-thread');

    // 4. A new mail from the browser to another customer; their answer opens nothing new.
    await page.getByRole('button', { name: 'Написать письмо' }).click();
    const dialog = page.getByTestId('new-mail-dialog');
    await dialog.getByLabel('Кому').fill('other@customer.test');
    await dialog.getByLabel('Имя клиента (необязательно)').fill('Олег Другой');
    await dialog.getByLabel('Тема').fill('Скидка на следующий заказ');
    await dialog.getByLabel('Текст письма').fill('Олег, для вас скидка 10% на следующий заказ.');
    await dialog.getByTestId('new-mail-send').click();
    await expect(chat.getByTestId('chat-subject')).toHaveText('Тема: Скидка на следующий заказ');
    await expect(chat.getByTestId('msg-operator').getByTestId('mail-state')).toHaveText('Письмо отправлено', { timeout: 30_000 });
    const offer = await waitMail(mail, 'other@customer.test', (m) => decodeWords(m.headers['subject'] ?? '') === 'Скидка на следующий заказ');
    expect(offer.headers['in-reply-to']).toBeUndefined();
    expect(offer.headers['from']).toContain(mail.support);
    expect(offer.text).toContain('скидка 10%');
    swaks(mail.smtp, 'other@customer.test', mail.support, customerMail({ from: 'other@customer.test', fromName: 'Олег Другой', to: mail.support,
      subject: 'Re: Скидка на следующий заказ', id: `<other.${stamp}@customer.test>`, inReplyTo: offer.headers['message-id']!,
      references: offer.headers['message-id']!, text: 'Спасибо, воспользуюсь.' }));
    await expect(chat.getByTestId('msg-visitor')).toContainText('Спасибо, воспользуюсь.', { timeout: 30_000 });
    await expect(page.getByTestId('conv-item')).toHaveCount(2);
    await shot(page, 'mail-flow-new-mail');

    // The phone: the same thread, one column.
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const phone = await ctx.newPage();
    await signIn(phone, desk.ops['Анна']);
    await listItem(phone, 'Ирина Клиентова').click();
    await expect(phone.getByTestId('msg-visitor')).toHaveCount(2);
    await expect(phone.getByTestId('msg-operator').getByTestId('mail-state')).toHaveText('Письмо отправлено');
    await shot(phone, 'mail-flow-phone');
    const box = await phone.getByTestId('msg-operator').boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  } finally {
    await mail.stop();
  }
});
