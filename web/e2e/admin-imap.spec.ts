import { type Browser, type Page, expect, test } from '@playwright/test';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Account, api, createAccount } from './support';

// The email contact point's own servers in the cabinet (issue 16): the IMAP and SMTP
// sections, their check buttons, the watcher's live status in the server's words, and
// passwords that are never sent back. No mail server runs here: the sections point at a
// loopback port nothing listens on, so every answer is a connection refused, in words.

async function shot(page: Page, name: string) {
  await page.screenshot({ path: fileURLToPath(new URL(`./screenshots/admin-${name}.png`, import.meta.url)) });
}

/** A loopback port that was free a moment ago (nothing listens on it). */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function adminPage(browser: Browser, acc: Account, path: string, width = 1280, height = 900): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width, height } });
  const page = await ctx.newPage();
  await page.goto(path);
  await page.getByLabel('Эл. почта').fill(acc.adminEmail);
  await page.getByLabel('Пароль').fill(acc.password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page.getByTestId('cp-email')).toBeVisible();
  return page;
}

test('IMAP and SMTP of a mailbox: the check says why it fails in the server\'s words, the watcher\'s status shows, the password is «задан» and never sent back', async ({ browser }) => {
  const acc = await createAccount('Admin IMAP');
  const address = `imap-${Date.now()}@shop.e2e.test`;
  const cp = await api('POST', '/api/v1/admin/contact-points', { name: 'Почта', channel: 'email', settings: { address } }, acc.adminToken);
  const port = await closedPort();
  const secret = `imap-secret-${Date.now()}`;
  const page = await adminPage(browser, acc, `/admin/contact-points/${cp.id}`);
  const bodies: string[] = [];
  page.on('response', async (r) => {
    if (r.url().includes('/api/v1/')) bodies.push(await r.text().catch(() => ''));
  });

  const imap = page.getByTestId('mail-imap');
  await imap.getByLabel('Читать почту из ящика по IMAP').check();
  await imap.getByLabel('Сервер', { exact: true }).fill('127.0.0.1');
  await expect(imap.getByLabel('Порт')).toHaveAttribute('placeholder', '993');
  await imap.getByLabel('Защита').selectOption('none');
  await expect(imap.getByLabel('Порт')).toHaveAttribute('placeholder', '143');
  await imap.getByLabel('Порт').fill(String(port));
  await imap.getByLabel('Логин').fill(address);
  await imap.getByLabel('Пароль').fill(secret);
  await expect(imap.getByLabel('Пароль')).toHaveAttribute('type', 'password');

  // The check tries the unsaved settings and answers in the server's (here: the system's) words.
  await imap.getByRole('button', { name: 'Проверить подключение' }).click();
  const result = page.getByTestId('mail-imap-result');
  await expect(result).toHaveAttribute('data-ok', 'false');
  await expect(result).toContainText('cannot connect to the IMAP server');
  await expect(result).toContainText('refused');

  // Saved: the password field is empty again and says a password is set.
  await page.getByTestId('cp-save').click();
  await expect(page.getByText('Сохранено:', { exact: false }).first()).toBeVisible();
  await expect(imap.getByLabel('Пароль')).toHaveValue('');
  await expect(imap.getByLabel('Пароль')).toHaveAttribute('placeholder', /задан/);

  // The watcher's live status: an error with the server's words and when it tries again.
  const status = page.getByTestId('mail-imap-status');
  await expect(status).toHaveAttribute('data-phase', 'error', { timeout: 15_000 });
  await expect(status).toContainText('Ошибка');
  await expect(page.getByTestId('mail-imap-error')).toContainText('cannot connect to the IMAP server');
  await expect(status).toContainText('Следующая попытка');
  await expect(status).toHaveAttribute('data-auth-failed', 'false');
  await imap.scrollIntoViewIfNeeded();
  await shot(page, 'imap-error');

  // SMTP: saved the same way; the test mail's refusal is shown.
  const smtp = page.getByTestId('mail-smtp');
  await smtp.getByLabel('Отправлять ответы через свой SMTP-сервер').check();
  await smtp.getByLabel('Сервер', { exact: true }).fill('localhost');
  await expect(smtp.getByLabel('Порт')).toHaveAttribute('placeholder', '587');
  await smtp.getByLabel('Защита').selectOption('none');
  await smtp.getByLabel('Порт').fill(String(port));
  await smtp.getByLabel('Логин').fill(address);
  await smtp.getByLabel('Пароль').fill(secret + '-smtp');
  await page.getByTestId('cp-save').click();
  await expect(smtp.getByLabel('Пароль')).toHaveAttribute('placeholder', /задан/);
  await smtp.getByLabel('Адрес для тестового письма').fill('admin@shop.e2e.test');
  await smtp.getByRole('button', { name: 'Отправить тестовое письмо' }).click();
  await expect(page.getByTestId('mail-smtp-result')).toContainText('cannot reach the SMTP server');

  // "none" is refused for a host that is not loopback, at the field.
  await imap.getByLabel('Сервер', { exact: true }).fill('imap.example.com');
  await imap.getByLabel('Пароль').fill(secret);
  await page.getByTestId('cp-save').click();
  await expect(imap.locator('#mail-imap-security-error')).toHaveText('Без шифрования можно только с сервером на этой же машине (localhost)');
  await shot(page, 'imap-refused');
  await page.getByRole('button', { name: 'Отменить изменения' }).click();

  // After a reload the form comes from the server: the password is still only «задан».
  await page.reload();
  await expect(imap.getByLabel('Пароль')).toHaveValue('');
  await expect(imap.getByLabel('Пароль')).toHaveAttribute('placeholder', /задан/);
  await expect(imap.getByLabel('Порт')).toHaveValue(String(port));
  const list = await api('GET', '/api/v1/admin/contact-points', undefined, acc.adminToken);
  const mailbox = await api('GET', `/api/v1/admin/contact-points/${cp.id}/mailbox`, undefined, acc.adminToken);
  for (const b of [...bodies, JSON.stringify(list), JSON.stringify(mailbox)]) {
    expect(b).not.toContain(secret);
  }
  expect(mailbox.imap_status.phase).toBe('error');

  // The phone: the same form in one column.
  const phone = await adminPage(browser, acc, `/admin/contact-points/${cp.id}`, 390, 844);
  await expect(phone.getByTestId('mail-imap-status')).toHaveAttribute('data-phase', 'error', { timeout: 15_000 });
  await phone.getByTestId('mail-imap').scrollIntoViewIfNeeded();
  await shot(phone, 'imap-phone');
  const box = await phone.getByTestId('mail-imap').boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
});
