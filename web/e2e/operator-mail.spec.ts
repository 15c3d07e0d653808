import { test } from '@playwright/test';
import { chooseStatus, createDesk, expect, listItem, operatorPage, shot } from './operator-helpers';
import { api } from './support';
import { sendMail } from './mail';

// Mail that quotes the thread (issue 16): the operator app shows the new text, with the whole
// mail one click away.

test('a reply quoting the thread shows its new text; «Показать всё письмо» shows the whole mail and folds back', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна': 5 } });
  const address = `quoted-${desk.ops['Анна'].id}-${Date.now()}@shop.e2e.test`;
  await api('POST', '/api/v1/admin/contact-points', { name: 'Почта магазина', channel: 'email', settings: { address } }, desk.adminToken);
  const page = await operatorPage(browser, desk, 'Анна');
  await chooseStatus(page, 'available');
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const head = (id: string) => [
    `From: =?utf-8?b?${b64('Ирина Петрова')}?= <irina@example.org>`,
    `To: ${address}`,
    `Subject: =?utf-8?b?${b64('Заказ 4512')}?=`,
    `Message-ID: <${id}-${Date.now()}@example.org>`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
  ];
  await sendMail('irina@example.org', address, [...head('first'), 'Где мой заказ 4512?'].join('\n'));
  await sendMail('irina@example.org', address, [...head('second'),
    'Спасибо, получила!',
    '',
    'пн, 3 июн. 2024 г. в 10:15, Анна <support@shop.example>:',
    '> Заказ 4512 передан в доставку.',
    '>',
    '> пн, 3 июн. 2024 г. в 09:00, Ирина Петрова <irina@example.org>:',
    '>> Где мой заказ 4512?',
  ].join('\n'));

  await listItem(page, 'Ирина Петрова').click();
  const mails = page.getByTestId('msg-visitor');
  await expect(mails).toHaveCount(2);
  const [first, answer] = [mails.nth(0), mails.nth(1)];
  // The first mail quoted nothing: no toggle.
  await expect(first).toContainText('Где мой заказ 4512?');
  await expect(first.getByTestId('full-mail-toggle')).toHaveCount(0);

  // The answer shows its new text only; the toggle shows the whole mail in its place.
  const text = answer.getByTestId('msg-text');
  const toggle = answer.getByTestId('full-mail-toggle');
  await expect(text).toHaveText('Спасибо, получила!');
  await expect(toggle).toHaveText('Показать всё письмо');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(text).toContainText('Спасибо, получила!');
  await expect(text).toContainText('> Заказ 4512 передан в доставку.');
  await expect(text).toContainText('>> Где мой заказ 4512?');
  await expect(toggle).toHaveText('Свернуть письмо');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await shot(page, 'email-full-mail');
  await toggle.click();
  await expect(text).toHaveText('Спасибо, получила!');
  // The list shows the new text too.
  await expect(listItem(page, 'Ирина Петрова')).toContainText('Спасибо, получила!');

  // In English.
  await page.getByTestId('status-button').click();
  await page.locator('[data-lang=en]').click();
  await expect(toggle).toHaveText('Show the whole mail');
  await toggle.click();
  await expect(toggle).toHaveText('Show less');
});
