import { test } from '@playwright/test';
import { deflateSync } from 'node:zlib';
import { chooseStatus, createDesk, expect, listItem, operatorPage } from './operator-helpers';
import { BASE, api } from './support';

// A visitor's 30,000 × 30,000 PNG (a few hundred kilobytes on the wire, 3.6 GB decoded) is
// shown to the operator as a file card, never decoded inline; a small picture still is.

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4); ihdr[8] = 1; ihdr[9] = 0;
  const raw = Buffer.alloc((1 + Math.ceil(width / 8)) * height); // 1-bit black rows
  return Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

test('a huge picture is a file card in the operator app, a small one a thumbnail', async ({ browser }) => {
  test.setTimeout(60_000);
  const desk = await createDesk({ operators: { 'Нина Орлова': 5 } });
  const op = await operatorPage(browser, desk, 'Нина Орлова');
  await chooseStatus(op, 'available');
  const s = await api('POST', `/api/v1/widget/${desk.key}/session`, { name: 'Глеб' });
  const v = { token: s.visitor_token as string };
  await api('POST', '/api/v1/widget/messages', { client_id: `h-${Date.now()}`, text: 'Фото товара' }, v.token);
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(png(30000, 30000))], { type: 'image/png' }), 'huge.png');
  form.append('file', new Blob([new Uint8Array(png(40, 30))], { type: 'image/png' }), 'small.png');
  const r = await fetch(BASE + '/api/v1/widget/attachments', { method: 'POST', body: form, headers: { Authorization: 'Bearer ' + v.token } });
  const up = await r.json();
  expect(up[0].preview).toBe(false);
  await api('POST', '/api/v1/widget/messages', { client_id: `h2-${Date.now()}`, text: '', attachment_ids: [up[0].id, up[1].id] }, v.token);

  await listItem(op, 'Глеб').click();
  const files = op.getByTestId('msg-files').last();
  await expect(files.getByTestId('file-card').filter({ hasText: 'huge.png' })).toBeVisible();
  await expect(files.getByTestId('file-thumb')).toHaveCount(1);
  await expect(files.getByTestId('file-thumb')).toHaveAttribute('title', 'small.png');
});
