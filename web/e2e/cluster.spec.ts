import type { Browser, Page, TestInfo } from '@playwright/test';
import { crc32, deflateSync } from 'node:zlib';
import { type LivedeskNode, test } from './cluster';
import { chooseStatus, expect, listItem, signIn, type DeskOperator } from './operator-helpers';
import { apiAt, serveHostPage, widgetHostHTML } from './support';

// Several nodes (issue 15, docs/scaling.md): two livedesk processes on one PostgreSQL database
// and NATS. The operator app runs on node A, the visitor's widget and a second operator on
// node B; everything one side does must reach the other live. Then node A is killed
// mid-conversation and its operator carries on from node B with the whole history, once.

const DESKTOP = { width: 1366, height: 820 };
const PHONE = { width: 390, height: 844 };

/** A PNG of w×h pixels, one colour (an attachment the widget previews). */
function png(w: number, h: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3).map((_, i) => rgb[i % 3])]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** An operator of the account (limit 5), made through the admin API on node. */
async function addOperator(node: LivedeskNode, adminToken: string, name: string): Promise<DeskOperator> {
  const email = `op-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@e2e.test`;
  const op = await apiAt(node.base, 'POST', '/api/v1/admin/operators', { name, email, password: 'e2e-password', role: 'operator', limit: 5 }, adminToken);
  return { id: op.id, name, email, password: 'e2e-password', token: '' }; // signs in through the app
}

/** The operator app of op signed in on node, in a browser context of its own. */
async function operatorOn(browser: Browser, node: LivedeskNode, op: DeskOperator): Promise<Page> {
  // The context's base URL is the node: signIn's page.goto('/') opens the app there.
  const ctx = await browser.newContext({ baseURL: node.base, viewport: DESKTOP });
  const page = await ctx.newPage();
  await signIn(page, op);
  return page;
}

/** Screenshots of the page at desktop and phone size, under test-results; the page is left at desktop size. */
async function shots(page: Page, info: TestInfo, name: string) {
  await page.screenshot({ animations: 'disabled', path: info.outputPath(`${name}-desktop.png`) });
  await page.setViewportSize(PHONE);
  await page.screenshot({ animations: 'disabled', path: info.outputPath(`${name}-phone.png`) });
  await page.setViewportSize(DESKTOP);
}

// Starting the nodes counts too; a loaded 2-core box is slow, nothing here is a timing assertion.
test.describe.configure({ timeout: 240_000 });

test('the operator app on node A and the widget on node B: messages, typing, files, a transfer, and node A killed', async ({ browser, cluster }, info) => {
  const [a, b] = [cluster.node('A'), cluster.node('B')];
  const acc = await cluster.createAccount(b.base, 'Cluster');
  const { key } = await apiAt(b.base, 'POST', '/api/v1/admin/contact-points', {
    name: 'Сайт магазина', channel: 'webchat', settings: { title: 'Магазин «Два узла»', greeting: 'Здравствуйте! Чем помочь?' },
  }, acc.adminToken);
  const annaOp = await addOperator(a, acc.adminToken, 'Анна');
  const borisOp = await addOperator(b, acc.adminToken, 'Борис');

  // Anna works on node A, Boris on node B (on pause: routing passes him by).
  const anna = await operatorOn(browser, a, annaOp);
  const boris = await operatorOn(browser, b, borisOp);
  await chooseStatus(anna, 'available');
  await chooseStatus(boris, 'pause');

  // The visitor, on a customer's site whose snippet loads the widget from node B.
  const site = await serveHostPage(widgetHostHTML(key, 'ru', '', b.base));
  try {
    const vctx = await browser.newContext({ viewport: DESKTOP });
    const visitor = await vctx.newPage();
    const toNodeA: string[] = [];
    visitor.on('request', (r) => { if (r.url().startsWith(a.base)) toNodeA.push(r.url()); });
    await visitor.goto(site.url);
    await visitor.getByRole('button', { name: 'Открыть чат поддержки' }).click();
    const chat = visitor.getByRole('dialog', { name: 'Магазин «Два узла»' });
    await chat.getByRole('textbox', { name: 'Имя' }).fill('Пётр');
    await chat.getByRole('button', { name: 'Сохранить' }).click();
    const input = chat.getByRole('textbox', { name: 'Напишите сообщение…' });
    await input.fill('Здравствуйте! Где мой заказ №1042?');
    await input.press('Enter');
    await expect(chat.locator('.ld-msg-own', { hasText: 'Где мой заказ №1042?' })).toContainText('Отправлено');

    // Routed on node B to Anna on node A: her list gets it live, and the widget names her.
    await expect(chat.getByText('Вам отвечает Анна')).toBeVisible();
    const item = listItem(anna, 'Пётр');
    await expect(item.getByTestId('conv-preview')).toHaveText('Здравствуйте! Где мой заказ №1042?');
    await expect(item.getByTestId('conv-unread')).toHaveText('1');
    await item.click();
    const history = anna.getByTestId('history');
    await expect(history.getByTestId('msg-visitor')).toContainText(['Здравствуйте! Где мой заказ №1042?']);

    // Typing crosses the nodes both ways. Anna's first keystroke sends her indicator at once;
    // the visitor's are sent at most every 3 s, so they type until Anna sees theirs.
    const composer = anna.locator('#composer-input');
    await composer.pressSequentially('Смотрю');
    await expect(chat.getByText('Анна печатает…')).toBeVisible();
    await expect(async () => {
      await input.press('.');
      await expect(history.getByTestId('typing')).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await input.fill('');

    // Anna answers with a quote and two files uploaded to node A; the visitor gets them on
    // node B, the picture's content read from the shared files directory.
    const quoted = history.getByTestId('msg-visitor').filter({ hasText: 'Где мой заказ' });
    await quoted.hover();
    await quoted.getByTestId('quote-button').click();
    await expect(anna.getByTestId('composer-quote')).toContainText('Где мой заказ №1042?');
    const pdf = Buffer.from('%PDF-1.4\n% накладная для e2e\n' + 'x'.repeat(20_000));
    await anna.getByTestId('attach-input').setInputFiles([
      { name: 'накладная_1042.pdf', mimeType: 'application/pdf', buffer: pdf },
      { name: 'посылка.png', mimeType: 'image/png', buffer: png(320, 200, [47, 111, 237]) },
    ]);
    const chips = anna.getByTestId('attach-chip');
    await expect(chips).toHaveCount(2);
    await expect(chips.nth(0)).toHaveAttribute('data-status', 'done');
    await expect(chips.nth(1)).toHaveAttribute('data-status', 'done');
    await composer.fill('Заказ передан в доставку, вот накладная и фото посылки');
    await composer.press('Enter');
    const reply = history.getByTestId('msg-operator').filter({ hasText: 'Заказ передан в доставку' });
    await expect(reply.getByTestId('msg-quote')).toContainText('Где мой заказ №1042?');
    await expect(reply.locator('.delivery.ok')).toBeVisible();
    const answer = chat.locator('.ld-msg-operator', { hasText: 'Заказ передан в доставку' });
    await expect(answer.locator('.ld-quote')).toContainText('Где мой заказ №1042?');
    await expect(chat.getByTestId('file-card').filter({ hasText: 'накладная_1042.pdf' })).toBeVisible();
    const thumb = chat.getByTestId('file-thumb').locator('img');
    await expect.poll(() => thumb.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(320);

    // The visitor writes again: Anna's list and open history follow.
    await input.fill('Спасибо! А курьер позвонит?');
    await input.press('Enter');
    await expect(history.getByTestId('msg-visitor')).toHaveCount(2);
    await expect(item.getByTestId('conv-preview')).toHaveText('Спасибо! А курьер позвонит?');

    // Mid-conversation, at desktop and phone size.
    await shots(anna, info, 'cluster-operator-node-a');
    await shots(visitor, info, 'cluster-widget-node-b');

    // The transfer dialog on node A follows Boris's status changes made on node B, live.
    await anna.getByTestId('transfer-button').click();
    const dialog = anna.getByTestId('transfer-dialog');
    const borisRow = dialog.getByTestId('transfer-operator').filter({ hasText: 'Борис' });
    await expect(borisRow).toContainText('Пауза');
    await expect(borisRow.getByTestId('transfer-load')).toHaveText('0/5');
    await expect(borisRow).toHaveAttribute('data-disabled', 'false');
    await chooseStatus(boris, 'away');
    await expect(borisRow).toHaveAttribute('data-disabled', 'true');
    await expect(borisRow).toContainText('только оператору в сети');
    await chooseStatus(boris, 'pause');
    await expect(borisRow).toHaveAttribute('data-disabled', 'false');
    await borisRow.click();
    await dialog.getByTestId('transfer-comment').fill('Вопрос о доставке, курьеры у тебя');
    await dialog.getByTestId('transfer-submit').click();
    await expect(anna.getByTestId('transfer-pending')).toContainText('Ожидает принятия: Борис');

    // Boris, on node B, gets the offer and accepts it there.
    const offer = boris.getByTestId('offer-modal');
    await expect(offer.getByTestId('offer-from')).toHaveText('Анна');
    await expect(offer.getByTestId('offer-visitor')).toContainText('Пётр');
    await expect(offer.getByTestId('offer-comment')).toHaveText('Вопрос о доставке, курьеры у тебя');
    await offer.getByTestId('offer-accept').click();
    await expect(offer).toHaveCount(0);
    await expect(boris.getByTestId('chat-visitor')).toHaveText('Пётр');
    const borisHistory = boris.getByTestId('history');
    await expect(borisHistory.getByTestId('msg-visitor')).toHaveCount(2);
    await expect(borisHistory.getByTestId('msg-comment')).toContainText('Вопрос о доставке');
    // Anna's list on node A loses it.
    await expect(anna.getByTestId('conv-item')).toHaveCount(0);
    await expect(anna.getByTestId('notice').filter({ hasText: 'передано: Борис' })).toBeVisible();
    await expect(chat.getByText('Вам отвечает Борис')).toBeVisible();
    await boris.locator('#composer-input').fill('Здравствуйте, это Борис: курьер позвонит за час');
    await boris.locator('#composer-input').press('Enter');
    await expect(chat.getByText('Здравствуйте, это Борис: курьер позвонит за час')).toBeVisible();

    // And back: Boris on node B offers it to Anna, who accepts on node A. Her load in his
    // dialog is what node A's transfer left.
    await boris.getByTestId('transfer-button').click();
    const annaRow = boris.getByTestId('transfer-dialog').getByTestId('transfer-operator').filter({ hasText: 'Анна' });
    await expect(annaRow).toContainText('Доступен');
    await expect(annaRow.getByTestId('transfer-load')).toHaveText('0/5');
    await annaRow.click();
    await boris.getByTestId('transfer-submit').click();
    await anna.getByTestId('offer-modal').getByTestId('offer-accept').click();
    await expect(listItem(anna, 'Пётр')).toBeVisible();
    await expect(boris.getByTestId('conv-item')).toHaveCount(0);
    await expect(chat.getByText('Вам отвечает Анна')).toBeVisible();
    await listItem(anna, 'Пётр').click();

    // Anna answers on node A; as soon as it is acknowledged, node A is killed.
    await composer.fill('Уточняю время доставки у курьера');
    await composer.press('Enter');
    await expect(history.getByTestId('msg-operator').filter({ hasText: 'Уточняю время доставки' }).locator('.delivery.ok')).toBeVisible();
    await a.kill();
    await expect(anna.getByTestId('offline-banner')).toBeVisible();
    // Node B serves the visitor as before.
    await expect(chat.getByText('Уточняю время доставки у курьера')).toBeVisible();
    await input.fill('Хорошо, жду');
    await input.press('Enter');
    await expect(chat.locator('.ld-msg-own', { hasText: 'Хорошо, жду' })).toContainText('Отправлено');

    // Anna reloads on node B (the session cookie is the same: no sign-in) and carries on.
    await anna.goto(b.base + '/');
    await expect(anna.getByTestId('status-button')).toHaveAttribute('data-status', 'available');
    await expect(listItem(anna, 'Пётр').getByTestId('conv-preview')).toHaveText('Хорошо, жду');
    await listItem(anna, 'Пётр').click();
    const visitorLines = ['Здравствуйте! Где мой заказ №1042?', 'Спасибо! А курьер позвонит?', 'Хорошо, жду'];
    const operatorLines = ['Заказ передан в доставку, вот накладная и фото посылки', 'Здравствуйте, это Борис: курьер позвонит за час',
      'Уточняю время доставки у курьера'];
    await expect(history.getByTestId('msg-visitor')).toHaveCount(visitorLines.length);
    await expect(history.getByTestId('msg-visitor')).toContainText(visitorLines);
    await expect(history.getByTestId('msg-operator')).toHaveCount(operatorLines.length);
    await expect(history.getByTestId('msg-operator')).toContainText(operatorLines);
    await composer.fill('Курьер будет у вас завтра с 10 до 12');
    await composer.press('Enter');
    await expect(history.getByTestId('msg-operator').filter({ hasText: 'Курьер будет у вас завтра' }).locator('.delivery.ok')).toBeVisible();
    await expect(chat.getByText('Курьер будет у вас завтра с 10 до 12')).toBeVisible();
    // Her new connection, to node B, brings what the visitor writes live.
    await input.fill('Спасибо, до свидания');
    await input.press('Enter');
    await expect(history.getByTestId('msg-visitor').last()).toContainText('Спасибо, до свидания');
    await expect(history.getByTestId('msg-visitor')).toHaveCount(visitorLines.length + 1);

    // Nothing twice, nothing missing: the widget shows every line once (as a message; the
    // quote repeats the first), and the stored conversation holds each message once, in order.
    for (const text of [...visitorLines, ...operatorLines, 'Курьер будет у вас завтра с 10 до 12', 'Спасибо, до свидания']) {
      await expect(chat.locator('.ld-bubble').getByText(text, { exact: true })).toHaveCount(1);
    }
    const conv = (await apiAt(b.base, 'GET', '/api/v1/conversations?state=open', undefined, acc.adminToken)).items;
    expect(conv).toHaveLength(1);
    const stored = (await apiAt(b.base, 'GET', `/api/v1/conversations/${conv[0].id}/messages?limit=200`, undefined, acc.adminToken)).items.reverse();
    const said = stored.filter((m: any) => m.kind === 'text');
    expect(said.map((m: any) => m.text)).toEqual([visitorLines[0], operatorLines[0], visitorLines[1], operatorLines[1], operatorLines[2],
      visitorLines[2], 'Курьер будет у вас завтра с 10 до 12', 'Спасибо, до свидания']);
    expect(new Set(stored.map((m: any) => m.id)).size).toBe(stored.length);
    // The widget never talked to node A.
    expect(toNodeA).toEqual([]);
  } finally {
    await site.close();
  }
});
