import { expect, test, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import {
  api, BASE, createAccount, createOperator, createWebchatPoint, serveHostPage, widgetHostHTML, type HostPage,
} from './support';

// The visitor widget end to end: a customer's page on another origin embeds /widget.js with
// its one tag; the visitor talks to an operator who answers through the API.

const shot = (name: string) => fileURLToPath(new URL(`./screenshots/widget-${name}.png`, import.meta.url));

let hosts: HostPage[] = [];
test.afterEach(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  hosts = [];
});

async function host(html: string): Promise<HostPage> {
  const h = await serveHostPage(html);
  hosts.push(h);
  return h;
}

/** The conversations of an operator's work list. */
async function openConversations(token: string): Promise<any[]> {
  return (await api<{ items: any[] }>('GET', '/api/v1/conversations?state=open', undefined, token)).items;
}

async function history(token: string, conversationId: string): Promise<any[]> {
  return (await api<{ items: any[] }>('GET', `/api/v1/conversations/${conversationId}/messages?limit=200`, undefined, token)).items;
}

/** Sends an operator's typing indicator over the operator WebSocket, from a page of livedesk's origin. */
async function operatorTyping(page: Page, token: string, conversationId: string) {
  await page.goto(BASE + '/healthz');
  return page.evaluate(({ token, conversationId }) => new Promise<string[]>((resolve) => {
    const seen: string[] = [];
    const ws = new WebSocket(location.origin.replace('http', 'ws') + '/api/v1/ws?token=' + encodeURIComponent(token));
    ws.onmessage = (e) => {
      const f = JSON.parse(e.data);
      seen.push(f.type + ':' + (f.data?.author ?? ''));
      if (f.type === 'ready') ws.send(JSON.stringify({ type: 'typing', conversation_id: conversationId }));
    };
    (window as any).__seen = seen;
    (window as any).__ws = ws;
    setTimeout(() => resolve(seen), 300);
  }), { token, conversationId });
}

test('a visitor on another site writes, the operator answers, history survives a reload, the visitor closes', async ({ page, browser }) => {
  const acc = await createAccount('Widget');
  const { key } = await createWebchatPoint(acc.adminToken, {
    color: '#0f766e', title: 'Магазин «Тест»', greeting: 'Здравствуйте! Чем помочь?', position: 'right',
  });
  const op = await createOperator(acc, 'Анна Тестова');
  const site = await host(widgetHostHTML(key, 'ru'));
  expect(new URL(site.url).origin).not.toBe(BASE); // really another origin

  await page.goto(site.url);
  const launcher = page.getByRole('button', { name: 'Открыть чат поддержки' });
  await expect(launcher).toBeVisible();
  await expect(launcher).toHaveCSS('background-color', 'rgb(15, 118, 110)'); // appearance from the admin API
  await page.screenshot({ animations: 'disabled', path: shot('launcher') });
  await launcher.click();
  const chat = page.getByRole('dialog', { name: 'Магазин «Тест»' });
  await expect(chat).toBeVisible();
  await expect(chat.getByText('Здравствуйте! Чем помочь?')).toBeVisible();
  await expect(chat.getByText('Мы на связи')).toBeVisible();

  // The optional introduction.
  await chat.getByRole('textbox', { name: 'Имя' }).fill('Пётр');
  await page.screenshot({ animations: 'disabled', path: shot('intro') });
  await chat.getByRole('button', { name: 'Сохранить' }).click();
  await expect(chat.getByRole('textbox', { name: 'Имя' })).toHaveCount(0);

  const input = chat.getByRole('textbox', { name: 'Напишите сообщение…' });
  await expect(input).toBeFocused();
  await input.fill('Здравствуйте, где мой заказ?');
  await input.press('Enter');
  await expect(chat.locator('.ld-msg-own', { hasText: 'Здравствуйте, где мой заказ?' })).toContainText('Отправлено');
  await expect(chat.getByText('Вам отвечает Анна Тестова')).toBeVisible();

  // The operator sees the visitor by name, typing goes both ways, the answer arrives live.
  await expect.poll(async () => (await openConversations(op.token)).length).toBe(1);
  const [conv] = await openConversations(op.token);
  expect(conv.visitor.display_name).toBe('Пётр');
  const opPage = await browser.newPage();
  await operatorTyping(opPage, op.token, conv.id);
  await expect(chat.getByText('Анна Тестова печатает…')).toBeVisible();
  await input.pressSequentially('Жду');
  await expect.poll(() => opPage.evaluate(() => (window as any).__seen as string[])).toContain('typing:visitor');
  await opPage.close();
  await input.fill('');
  await api('POST', `/api/v1/conversations/${conv.id}/messages`, { client_id: 'e2e-reply-1', text: 'Заказ уже в пути, будет завтра.' }, op.token);
  await expect(chat.getByText('Заказ уже в пути, будет завтра.')).toBeVisible();
  await expect(chat.locator('.ld-name', { hasText: 'Анна Тестова' })).toBeVisible();
  await page.screenshot({ animations: 'disabled', path: shot('conversation') });

  // Esc closes the window; the JS API opens it again.
  await page.keyboard.press('Escape');
  await expect(chat).toBeHidden();
  await expect(launcher).toBeFocused();
  await page.evaluate(() => (window as any).Livedesk.open());
  await expect(chat).toBeVisible();

  // A reload remembers the visitor and shows the whole history, once.
  await page.reload();
  await page.getByRole('button', { name: 'Открыть чат поддержки' }).click();
  await expect(chat.getByText('Заказ уже в пути, будет завтра.')).toHaveCount(1);
  await expect(chat.getByText('Здравствуйте, где мой заказ?')).toHaveCount(1);
  await expect(chat.getByText('Вам отвечает Анна Тестова')).toBeVisible();

  // The visitor closes the conversation and reads their own line; the operator gets the
  // system line «Посетитель закрыл обращение» (checked in the history below).
  await chat.getByRole('button', { name: 'Завершить чат' }).click();
  await chat.getByRole('alertdialog').getByRole('button', { name: 'Завершить' }).click();
  await expect(chat.getByText('Вы завершили чат')).toBeVisible();
  await expect(chat.getByText(/Чат завершён/)).toBeVisible();
  await page.screenshot({ animations: 'disabled', path: shot('closed') });
  const after = await api('GET', `/api/v1/conversations/${conv.id}`, undefined, op.token);
  expect(after.visitor_closed).toBe(true);
  expect((await history(op.token, conv.id)).map((m: any) => m.text)).toContain('Посетитель закрыл обращение');

  // Writing again starts a new conversation.
  await input.fill('И ещё вопрос');
  await input.press('Enter');
  await expect(chat.locator('.ld-msg-own', { hasText: 'И ещё вопрос' })).toContainText('Отправлено');
  await expect.poll(async () => (await openConversations(op.token)).map((c: any) => c.id).filter((id: string) => id !== conv.id).length).toBe(1);
});

test('the offline form becomes a conversation the team sees when nobody is online', async ({ page }) => {
  const acc = await createAccount('Widget offline');
  const { key } = await createWebchatPoint(acc.adminToken, { title: 'Shop support' });
  const site = await host(widgetHostHTML(key, 'en')); // an English page: English texts
  await page.goto(site.url);
  await page.getByRole('button', { name: 'Open support chat' }).click();
  const chat = page.getByRole('dialog', { name: 'Shop support' });
  const form = chat.getByRole('form', { name: 'We are offline right now' });
  await expect(form).toBeVisible();
  await expect(chat.getByText('No operators online right now')).toBeVisible();
  await form.getByRole('textbox', { name: 'Your name' }).fill('Maria');
  await form.getByRole('textbox', { name: 'Message' }).fill('Do you ship to Kazan?');
  await form.getByRole('button', { name: 'Send' }).click();
  await expect(form.getByRole('alert')).toHaveText('Leave an email or a phone number so that we can reply.');
  await form.getByRole('textbox', { name: 'Email or phone' }).fill('maria@example.com');
  await page.screenshot({ animations: 'disabled', path: shot('offline-form') });
  await form.getByRole('button', { name: 'Send' }).click();
  await expect(chat.getByText(/We got your message/)).toBeVisible();
  await expect(chat.getByText('Do you ship to Kazan?')).toBeVisible();
  await page.screenshot({ animations: 'disabled', path: shot('offline-sent') });

  const queue = (await api<{ items: any[] }>('GET', '/api/v1/conversations?state=queued', undefined, acc.adminToken)).items;
  expect(queue).toHaveLength(1);
  expect(queue[0].visitor.display_name).toBe('Maria');
  const lines = (await history(acc.adminToken, queue[0].id)).map((m: any) => m.text);
  expect(lines).toContain('Do you ship to Kazan?');
  expect(lines.join('\n')).toContain('maria@example.com');

  // The team comes back and answers; the visitor sees it in the same widget.
  const op = await createOperator(acc, 'Boris');
  await expect.poll(async () => (await openConversations(op.token)).length).toBe(1);
  await api('POST', `/api/v1/conversations/${queue[0].id}/messages`, { client_id: 'e2e-offline-reply', text: 'Yes, we do!' }, op.token);
  await expect(chat.getByText('Yes, we do!')).toBeVisible();
});

test('a network cut and restore loses and repeats nothing', async ({ page, context }) => {
  const acc = await createAccount('Widget network');
  const { key } = await createWebchatPoint(acc.adminToken);
  const op = await createOperator(acc, 'Вера Сетевая');
  const site = await host(widgetHostHTML(key, 'ru'));
  await page.goto(site.url);
  await page.getByRole('button', { name: 'Открыть чат поддержки' }).click();
  const chat = page.getByRole('dialog');
  await chat.getByRole('button', { name: 'Пропустить' }).click();
  const input = chat.getByRole('textbox', { name: 'Напишите сообщение…' });
  await input.fill('Первое сообщение');
  await input.press('Enter');
  await expect(chat.getByText('Вам отвечает Вера Сетевая')).toBeVisible();
  const [conv] = await openConversations(op.token);

  await context.setOffline(true);
  await expect(chat.getByText('Нет связи. Переподключаемся…')).toBeVisible();
  await input.fill('Пишу без сети');
  await input.press('Enter');
  await expect(chat.locator('.ld-msg-own', { hasText: 'Пишу без сети' })).toContainText('Ждёт сети');
  await api('POST', `/api/v1/conversations/${conv.id}/messages`, { client_id: 'e2e-net-1', text: 'Ответ, пока вы были без сети' }, op.token);
  await page.screenshot({ animations: 'disabled', path: shot('network-lost') });

  await context.setOffline(false);
  await expect(chat.locator('.ld-msg-own', { hasText: 'Пишу без сети' })).toContainText('Отправлено', { timeout: 20_000 });
  await expect(chat.getByText('Ответ, пока вы были без сети')).toBeVisible({ timeout: 20_000 });
  await expect(chat.getByText('Вам отвечает Вера Сетевая')).toBeVisible();
  await api('POST', `/api/v1/conversations/${conv.id}/messages`, { client_id: 'e2e-net-2', text: 'Снова на связи' }, op.token);
  await expect(chat.getByText('Снова на связи')).toBeVisible();
  for (const text of ['Первое сообщение', 'Пишу без сети', 'Ответ, пока вы были без сети', 'Снова на связи']) {
    await expect(chat.getByText(text, { exact: true })).toHaveCount(1);
  }
  const stored = (await history(op.token, conv.id)).map((m: any) => m.text);
  expect(stored.filter((t: string) => t === 'Пишу без сети')).toHaveLength(1);
  await page.screenshot({ animations: 'disabled', path: shot('network-restored') });
});

test('the host page API identifies the visitor; a site not among the allowed origins gets no widget', async ({ page, context }) => {
  const acc = await createAccount('Widget origins');
  const { id, key } = await createWebchatPoint(acc.adminToken, { position: 'left', color: '#f59e0b' });
  const op = await createOperator(acc, 'Олег');
  const allowed = await host(widgetHostHTML(key, 'ru', `<script>
    window.Livedesk = window.Livedesk || [];
    Livedesk.push(['identify', {name: 'Ольга', email: 'olga@example.com'}]);
    Livedesk.push(['open']);
  </script>`));
  const other = await host(widgetHostHTML(key, 'ru'));
  await api('PATCH', `/api/v1/admin/contact-points/${id}`, { settings: { allowed_origins: [allowed.origin] } }, acc.adminToken);

  await page.goto(allowed.url);
  const chat = page.getByRole('dialog');
  await expect(chat).toBeVisible(); // opened by the queued command
  const input = chat.getByRole('textbox', { name: 'Напишите сообщение…' });
  await input.fill('Добрый день');
  await input.press('Enter');
  await expect.poll(async () => (await openConversations(op.token)).map((c: any) => c.visitor.display_name)).toEqual(['Ольга']);
  await page.screenshot({ animations: 'disabled', path: shot('left-light') });
  await page.evaluate(() => (window as any).Livedesk.close());
  await expect(chat).toBeHidden();

  const page2 = await context.newPage();
  const refused = page2.waitForResponse((r) => r.url().includes('/config'));
  await page2.goto(other.url);
  expect((await refused).status()).toBe(403);
  await expect(page2.locator('#livedesk-widget')).toHaveCount(1);
  await expect(page2.getByRole('button', { name: 'Открыть чат поддержки' })).toHaveCount(0);
  await expect(page2.getByRole('heading', { name: 'Интернет-магазин' })).toBeVisible();
});

test('the demo site has the widget installed', async ({ page }) => {
  await page.goto(BASE + '/demo');
  await expect(page.getByRole('heading', { name: /Листовой чай/ })).toBeVisible();
  await page.getByRole('button', { name: 'Задать вопрос' }).click();
  await expect(page.getByRole('dialog', { name: 'Чайная лавка «Самовар»' })).toBeVisible();
  await page.screenshot({ animations: 'disabled', path: shot('demo') });
});
