import { test } from '@playwright/test';
import { deflateSync } from 'node:zlib';
import { chooseStatus, createDesk, expect, listItem, operatorPage, Visitor } from './operator-helpers';
import { BASE } from './support';

// Pictures' dimensions, read by the server at upload, decide how the operator app shows
// them: a picture above the pixel limit the operator sends from the composer is a file card
// from the first (optimistic) render on and is never requested for inline display; a
// picture opened in the lightbox has its box reserved from the stored dimensions before a
// byte of it arrives.

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc(data: Buffer): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A real 1-bit greyscale PNG (all black): tiny on the wire whatever its dimensions. */
function blackPNG(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(typed));
    return Buffer.concat([head, typed, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 1; // bit depth; colour type 0 (greyscale), default compression, filter, no interlace
  const rows = Buffer.alloc((1 + Math.ceil(width / 8)) * height);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

test('a huge picture sent by the operator is a file card from the first render, never shown inline', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Ольга Петрова': 5 } });
  const op = await operatorPage(browser, desk, 'Ольга Петрова');
  await chooseStatus(op, 'available');
  const v = await Visitor.start(desk.key, 'Степан');
  await v.send('Пришлите схему, пожалуйста');
  await listItem(op, 'Степан').click();

  const inline: string[] = [];
  op.on('request', (r) => { if (r.url().includes('inline=1')) inline.push(r.url()); });
  // 10,000 × 6,000 = 60 megapixels, over the 50-megapixel limit; a few kilobytes on the wire.
  await op.getByTestId('attach-input').setInputFiles({ name: 'схема.png', mimeType: 'image/png', buffer: blackPNG(10_000, 6_000) });
  const chip = op.getByTestId('attach-chip');
  await expect(chip).toHaveAttribute('data-status', 'done');
  await expect(chip.locator('img')).toHaveCount(0); // no local preview either
  await op.locator('#composer-input').fill('Вот схема');
  await op.getByTestId('send-button').click();

  const sent = op.getByTestId('msg-operator').filter({ hasText: 'Вот схема' });
  await expect(sent.getByTestId('file-card')).toContainText('схема.png');
  await expect(sent.getByTestId('file-card')).toContainText(/Б/); // its size
  await expect(sent.getByTestId('file-thumb')).toHaveCount(0);
  // Still downloadable.
  const [download] = await Promise.all([op.waitForEvent('download'), sent.getByTestId('file-download').click()]);
  expect(download.suggestedFilename()).toBe('схема.png');
  // The server's copy, after a reload, says the same.
  await op.reload();
  await listItem(op, 'Степан').click();
  const again = op.getByTestId('msg-operator').filter({ hasText: 'Вот схема' });
  await expect(again.getByTestId('file-card')).toContainText('схема.png');
  await expect(again.getByTestId('file-thumb')).toHaveCount(0);
  expect(inline).toEqual([]);
});

test('the lightbox reserves a picture\'s box from its stored dimensions before it loads', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Инна Белова': 5 } });
  const op = await operatorPage(browser, desk, 'Инна Белова');
  await chooseStatus(op, 'available');
  const v = await Visitor.start(desk.key, 'Рома');
  await v.send('Вот панорама');
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(blackPNG(400, 100))], { type: 'image/png' }), 'панорама.png');
  const up = await (await fetch(BASE + '/api/v1/widget/attachments', { method: 'POST', body: form, headers: { Authorization: 'Bearer ' + v.token } })).json();
  expect(up[0]).toMatchObject({ width: 400, height: 100, preview: true });

  // The picture itself never arrives: whatever box it has comes from the stored dimensions.
  await op.route(/\/api\/v1\/attachments\/\d+\?inline=1/, () => { /* held */ });
  await fetch(BASE + '/api/v1/widget/messages', { method: 'POST', headers: { Authorization: 'Bearer ' + v.token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ client_id: `pano-${Date.now()}`, text: '', attachment_ids: [up[0].id] }) });
  await listItem(op, 'Рома').click();
  await op.getByTestId('file-thumb').click();
  const img = op.getByTestId('lightbox-image');
  await expect(img).toBeVisible();
  expect(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(false);
  const box = (await img.boundingBox())!;
  expect(Math.round(box.width)).toBe(400);
  expect(Math.round(box.height)).toBe(100);
});
