import { type Page, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { createDesk, type Desk, expect, operatorPage, shot } from './operator-helpers';
import { serveHostPage, widgetHostHTML, type HostPage } from './support';

// Files, emoji and stickers in both directions (issue 5): the operator app and the widget on
// a customer's site (another origin), with real uploads, downloads and previews.

const widgetShot = (name: string) => fileURLToPath(new URL(`./screenshots/media-${name}.png`, import.meta.url));

let hosts: HostPage[] = [];
test.afterEach(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  hosts = [];
});

/** A real PNG: a w×h picture with a diagonal two-colour pattern. */
function png(w: number, h: number, a: [number, number, number], b: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const x of buf) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const col = ((x + y) >> 4) % 2 ? a : b;
      col.forEach((v, i) => { raw[y * (w * 3 + 1) + 1 + x * 3 + i] = v; });
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** The customer's site with the widget, the chat window open and a first message sent. */
async function openWidget(page: Page, desk: Desk, first: string) {
  const site = await serveHostPage(widgetHostHTML(desk.key, 'ru'));
  hosts.push(site);
  await page.goto(site.url);
  await page.getByRole('button', { name: 'Открыть чат поддержки' }).click();
  const chat = page.locator('.ld-window');
  await expect(chat).toBeVisible();
  const input = chat.getByRole('textbox', { name: 'Напишите сообщение…' });
  await input.fill(first);
  await input.press('Enter');
  await expect(chat.locator('.ld-msg-own', { hasText: first })).toContainText('Отправлено');
  return { chat, input };
}

test('the operator sends two files and a sticker; the visitor receives, previews and downloads them', async ({ browser, page }) => {
  const desk = await createDesk({ operators: { 'Анна Смирнова': 5 } });
  const op = await operatorPage(browser, desk, 'Анна Смирнова');
  await op.getByTestId('status-button').click();
  await op.getByRole('menuitemradio', { name: 'Доступен' }).click();
  const { chat } = await openWidget(page, desk, 'Пришлите, пожалуйста, счёт');

  await op.getByTestId('conv-item').first().click();
  await expect(op.getByTestId('msg-visitor')).toContainText('Пришлите, пожалуйста, счёт');

  // Two files: chips with name, size and progress, then one message.
  const pdf = Buffer.from('%PDF-1.4\n% счёт для e2e\n' + 'x'.repeat(40_000));
  await op.getByTestId('attach-input').setInputFiles([
    { name: 'Счёт №5 от 01.03.pdf', mimeType: 'application/pdf', buffer: pdf },
    { name: 'фото товара.png', mimeType: 'image/png', buffer: png(320, 200, [47, 111, 237], [255, 209, 102]) },
  ]);
  const chips = op.getByTestId('attach-chip');
  await expect(chips).toHaveCount(2);
  await expect(chips.nth(0)).toHaveAttribute('data-status', 'done');
  await expect(chips.nth(1)).toHaveAttribute('data-status', 'done');
  await expect(chips.nth(0)).toContainText('Счёт__5_от_01.03.pdf');
  await expect(chips.nth(0)).toContainText('КБ');
  await op.locator('#composer-input').fill('Вот счёт и фото');
  await shot(op, 'media-operator-chips');
  await op.getByTestId('send-button').click();
  await expect(chips).toHaveCount(0);
  const sent = op.getByTestId('msg-operator').filter({ hasText: 'Вот счёт и фото' });
  await expect(sent.getByTestId('file-card')).toContainText('Счёт__5_от_01.03.pdf');
  await expect(sent.getByTestId('file-thumb').locator('img')).toHaveJSProperty('complete', true);

  // Emoji: search in Russian finds ❤️ and inserts it at the caret.
  const input = op.locator('#composer-input');
  await input.fill('Спасибо за заказ!');
  await input.press('Home');
  await op.getByTestId('emoji-button').click();
  const picker = op.getByTestId('media-picker');
  await expect(picker.locator('.mp-section').first()).toBeVisible();
  await picker.getByTestId('emoji-search').fill('сердце');
  const heart = picker.getByTestId('emoji-results').locator('[data-emoji="❤️"]');
  await expect(heart).toBeVisible();
  await shot(op, 'media-emoji-search');
  await heart.click();
  await expect(input).toHaveValue('❤️Спасибо за заказ!');
  await picker.getByTestId('emoji-search').fill('heart');
  await expect(picker.getByTestId('emoji-results').locator('[data-emoji="❤️"]')).toBeVisible();
  await picker.getByTestId('emoji-search').fill('');
  await expect(picker.getByTestId('emoji-recent')).toContainText('❤️');
  await shot(op, 'media-emoji-picker');
  await op.keyboard.press('Escape');
  await expect(picker).toHaveCount(0);
  await input.fill('');

  // A sticker goes at once and shows large.
  await op.getByTestId('emoji-button').click();
  await picker.getByTestId('picker-tab-stickers').click();
  await expect(picker.locator('[data-sticker="livedesk-spasibo"] img')).toBeVisible();
  await shot(op, 'media-sticker-picker');
  await picker.locator('[data-sticker="livedesk-spasibo"]').click();
  const sticker = op.getByTestId('msg-operator').getByTestId('msg-sticker');
  await expect(sticker.locator('img')).toHaveJSProperty('complete', true);
  await expect(op.getByTestId('media-picker')).toHaveCount(0);
  await shot(op, 'media-operator-sent');

  // The visitor: the files (card and preview from blob URLs) and the sticker.
  await expect(chat.getByTestId('msg-sticker').locator('img')).toBeVisible();
  await expect(chat.getByTestId('file-card')).toContainText('Счёт__5_от_01.03.pdf');
  const thumb = chat.getByTestId('file-thumb').locator('img');
  await expect(thumb).toHaveAttribute('src', /\/api\/v1\/widget\/attachments\/.+\/file\?inline=1&token=/);
  await expect.poll(() => thumb.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(320);
  await page.screenshot({ animations: 'disabled', path: widgetShot('widget-received') });
  const [download] = await Promise.all([page.waitForEvent('download'), chat.getByTestId('file-download').click()]);
  expect(download.suggestedFilename()).toBe('Счёт__5_от_01.03.pdf');
  const saved = await download.path();
  const { readFileSync } = await import('node:fs');
  expect(readFileSync(saved).equals(pdf)).toBe(true);

  // The lightbox.
  await chat.getByTestId('file-thumb').click();
  const lb = page.getByTestId('lightbox');
  await expect(lb.getByTestId('lightbox-image')).toBeVisible();
  await page.screenshot({ animations: 'disabled', path: widgetShot('widget-lightbox') });
  await page.keyboard.press('Escape');
  await expect(lb).toHaveCount(0);
  await op.context().close();
});

test('the visitor sends an image and a sticker; the operator sees the preview', async ({ browser, page }) => {
  const desk = await createDesk({ operators: { 'Олег Петров': 5 } });
  const op = await operatorPage(browser, desk, 'Олег Петров');
  await op.getByTestId('status-button').click();
  await op.getByRole('menuitemradio', { name: 'Доступен' }).click();
  const { chat, input } = await openWidget(page, desk, 'Посмотрите на упаковку');

  await chat.getByTestId('widget-attach-input').setInputFiles({ name: 'упаковка.png', mimeType: 'image/png', buffer: png(400, 260, [214, 69, 69], [240, 240, 240]) });
  await expect(chat.getByTestId('attach-chip')).toHaveAttribute('data-status', 'done');
  await input.fill('Вот фото');
  await page.screenshot({ animations: 'disabled', path: widgetShot('widget-chips') });
  await input.press('Enter');
  await expect(chat.locator('.ld-msg-own', { hasText: 'Вот фото' })).toContainText('Отправлено');

  // Emoji and stickers in the widget.
  await chat.getByTestId('widget-emoji').click();
  const picker = chat.getByTestId('media-picker');
  await expect(picker.locator('.mp-section').first()).toBeVisible();
  await picker.getByTestId('emoji-search').fill('сердце');
  await expect(picker.getByTestId('emoji-results').locator('[data-emoji="❤️"]')).toBeVisible();
  await page.screenshot({ animations: 'disabled', path: widgetShot('widget-emoji') });
  await picker.getByTestId('picker-tab-stickers').click();
  await expect(picker.locator('[data-sticker="livedesk-privet"] img')).toHaveAttribute('src', /\/api\/v1\/widget\/stickers\/.+\/image\?token=/);
  await page.screenshot({ animations: 'disabled', path: widgetShot('widget-stickers') });
  await picker.locator('[data-sticker="livedesk-privet"]').click();
  await expect(chat.locator('.ld-msg-own').getByTestId('msg-sticker').locator('img')).toBeVisible();

  await op.getByTestId('conv-item').first().click();
  const msg = op.getByTestId('msg-visitor').filter({ hasText: 'Вот фото' });
  const img = msg.getByTestId('file-thumb').locator('img');
  await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete ? i.naturalWidth : 0)).toBe(400);
  await expect(op.getByTestId('msg-visitor').getByTestId('msg-sticker').locator('img')).toBeVisible();
  await shot(op, 'media-operator-preview');
  await msg.getByTestId('file-thumb').click();
  await expect(op.getByTestId('lightbox-image')).toBeVisible();
  await shot(op, 'media-operator-lightbox');
  await op.keyboard.press('Escape');
  await expect(op.getByTestId('lightbox')).toHaveCount(0);
  await op.context().close();
});

test('a selection over the limits shows the error and uploads nothing', async ({ browser, page }) => {
  const desk = await createDesk({ operators: { 'Ирина Лебедева': 5 } });
  const op = await operatorPage(browser, desk, 'Ирина Лебедева');
  await op.getByTestId('status-button').click();
  await op.getByRole('menuitemradio', { name: 'Доступен' }).click();
  const { chat } = await openWidget(page, desk, 'Можно прислать много файлов?');
  await op.getByTestId('conv-item').first().click();

  const six = Array.from({ length: 6 }, (_, i) => ({ name: `файл ${i + 1}.txt`, mimeType: 'text/plain', buffer: Buffer.from('строка ' + i) }));
  await op.getByTestId('attach-input').setInputFiles(six);
  await expect(op.getByTestId('attach-error')).toHaveText('Не больше 5 файлов за раз');
  await expect(op.getByTestId('attach-chip')).toHaveCount(0);
  await shot(op, 'media-over-limit');
  // Five fit; then one byte too many together is refused with the size message.
  await op.getByTestId('attach-input').setInputFiles(six.slice(0, 5));
  await expect(op.getByTestId('attach-chip')).toHaveCount(5);
  await expect(op.getByTestId('attach-error')).toHaveCount(0);
  await op.getByTestId('attach-remove').first().click();
  await expect(op.getByTestId('attach-chip')).toHaveCount(4);

  const big = Buffer.alloc(26_214_400 + 1, 97);
  await chat.getByTestId('widget-attach-input').setInputFiles({ name: 'большой.bin', mimeType: 'application/octet-stream', buffer: big });
  await expect(chat.getByTestId('widget-attach-error')).toHaveText('Файлы вместе больше 25 МБ (26 214 400 байт)');
  await expect(chat.getByTestId('attach-chip')).toHaveCount(0);
  await page.screenshot({ animations: 'disabled', path: widgetShot('widget-over-limit') });
  await op.context().close();
});
