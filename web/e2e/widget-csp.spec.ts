import { expect, test } from '@playwright/test';
import { deflateSync } from 'node:zlib';
import { BASE, api, createAccount, createOperator, createWebchatPoint, login, serveHostPage, type HostPage } from './support';

// Pictures and stickers render in the widget on /demo under the page's own Content-Security-
// Policy (which allows only what docs/widget.md lists: no blob: pictures), in both directions.

function png(w: number, h: number): Buffer {
  const table = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (b: Buffer) => { let c = 0xffffffff; for (const x of b) c = table[(c ^ x) & 0xff]! ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (t: string, d: Buffer) => { const l = Buffer.alloc(4); l.writeUInt32BE(d.length); const td = Buffer.concat([Buffer.from(t), d]); const c = Buffer.alloc(4); c.writeUInt32BE(crc(td)); return Buffer.concat([l, td, c]); };
  const raw = Buffer.alloc((w * 3 + 1) * h, 0x80);
  for (let y = 0; y < h; y++) raw[y * (w * 3 + 1)] = 0;
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

let site: HostPage | null = null;
test.afterEach(async () => { await site?.close(); site = null; });

test('on /demo, pictures and stickers from the visitor and the operator render in the widget', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => { if (m.text().includes('Content Security Policy')) violations.push(m.text()); });
  const anna = await login('anna@demo.livedesk.local', 'demo-password');
  await api('PUT', '/api/v1/me/status', { status: 'available' }, anna);
  try {
    const resp = await page.goto(BASE + '/demo');
    // The demo's policy is what docs/widget.md asks of a customer's site ('self' is the
    // livedesk host here), plus the nonce of the page's own inline style and script.
    const policy = resp?.headers()['content-security-policy'] ?? '';
    expect(policy).toMatch(/^default-src 'none'; script-src 'self' 'nonce-[^']+'; style-src 'nonce-[^']+'; connect-src 'self'; img-src 'self';/);
    expect(policy).not.toMatch(/blob:|data:|unsafe-inline/);
    await page.getByRole('button', { name: 'Задать вопрос' }).click();
    const chat = page.locator('.ld-window');
    const input = chat.getByRole('textbox', { name: 'Напишите сообщение…' });
    const first = `Фото чайника ${Date.now()}`;
    await input.fill(first);
    await input.press('Enter');
    await expect(chat.locator('.ld-msg-own', { hasText: first })).toContainText('Отправлено');
    // With a conversation (the operator's avatar in the header) the title and the status line
    // are whole on a desktop: nothing cut, the status on one line.
    await expect(chat.locator('.ld-status-text')).toContainText('Анна Смирнова');
    const cut = await chat.locator('.ld-title, .ld-status-text').evaluateAll((els) =>
      els.filter((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1).map((e) => e.textContent));
    expect(cut).toEqual([]);

    // The visitor: a picture and a sticker, through the widget.
    await chat.getByTestId('widget-attach-input').setInputFiles({ name: 'чайник.png', mimeType: 'image/png', buffer: png(120, 80) });
    await expect(chat.getByTestId('attach-chip')).toHaveAttribute('data-status', 'done');
    await input.press('Enter');
    await chat.getByTestId('widget-emoji').click();
    const picker = chat.getByTestId('media-picker');
    await picker.getByTestId('picker-tab-stickers').click();
    await picker.locator('[data-sticker="livedesk-privet"]').click();

    // The operator: a picture and a sticker, through the API.
    const token = await page.evaluate(() => localStorage.getItem('livedesk:demo-widget:token'));
    const history = await api<{ items: any[] }>('GET', '/api/v1/widget/messages?limit=1', undefined, token!);
    const conv = { id: history.items[0].conversation_id as string };
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(png(90, 60))], { type: 'image/png' }), 'ответ.png');
    const up = await (await fetch(BASE + '/api/v1/attachments', { method: 'POST', body: form, headers: { Authorization: 'Bearer ' + anna } })).json();
    await api('POST', `/api/v1/conversations/${conv.id}/messages`, { client_id: `csp-${Date.now()}`, text: '', attachment_ids: [up[0].id] }, anna);
    const packs = (await api<{ items: any[] }>('GET', '/api/v1/sticker-packs', undefined, anna)).items;
    await api('POST', `/api/v1/conversations/${conv.id}/messages`, { client_id: `csp-s-${Date.now()}`, sticker_id: packs[0].stickers[1].id }, anna);

    const widths = async () => chat.locator('[data-testid=file-thumb] img, [data-testid=msg-sticker] img')
      .evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).complete ? (i as HTMLImageElement).naturalWidth : 0));
    await expect.poll(async () => (await widths()).filter((w) => w > 0).length, { timeout: 15_000 }).toBe(4);
    expect(violations).toEqual([]);
  } finally {
    await api('PUT', '/api/v1/me/status', { status: 'offline' }, anna);
  }
});

// A customer's site on another origin whose policy allows the livedesk host and nothing else,
// exactly the sources docs/widget.md lists (no 'unsafe-inline' styles, no blob: or data:):
// the widget starts, the chip preview, pictures, the lightbox, the sticker window and
// stickers of both sides render, and the browser refuses nothing.
test('on a customer site whose CSP allows only the livedesk host, pictures and stickers render', async ({ page }) => {
  const acc = await createAccount('CSP site');
  const cp = await createWebchatPoint(acc.adminToken);
  const op = await createOperator(acc, 'Марина', 'available');
  const host = new URL(BASE).host;
  const policy = `default-src 'none'; script-src ${BASE}; connect-src ${BASE} ws://${host}; img-src ${BASE}`;
  site = await serveHostPage(`<!doctype html><html lang="ru"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${policy}"><title>Магазин</title></head>
<body><h1>Магазин</h1><script src="${BASE}/widget.js?key=${encodeURIComponent(cp.key)}" async></script></body></html>`);
  const violations: string[] = [];
  await page.exposeFunction('__cspViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => (window as any).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('console', (m) => { if (m.text().includes('Content Security Policy')) violations.push(m.text()); });

  await page.goto(site.url);
  await page.getByRole('button', { name: 'Открыть чат поддержки' }).click();
  const chat = page.locator('.ld-window');
  const input = chat.getByRole('textbox', { name: 'Напишите сообщение…' });
  await input.fill('Пришлю фото');
  await input.press('Enter');
  await expect(chat.locator('.ld-msg-own', { hasText: 'Пришлю фото' })).toContainText('Отправлено');

  await chat.getByTestId('widget-attach-input').setInputFiles({ name: 'фото.png', mimeType: 'image/png', buffer: png(120, 80) });
  await expect(chat.getByTestId('attach-chip')).toHaveAttribute('data-status', 'done');
  await expect.poll(() => chat.locator('.md-chip-img').evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  await input.press('Enter');
  await chat.getByTestId('widget-emoji').click();
  const picker = chat.getByTestId('media-picker');
  await expect(picker.locator('[data-emoji]').first()).toBeVisible(); // the emoji data came over connect-src
  await picker.getByTestId('picker-tab-stickers').click();
  const thumbs = () => picker.locator('img').evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length);
  await expect.poll(thumbs).toBeGreaterThan(0);
  await picker.locator('[data-sticker="livedesk-privet"]').click();

  const conv = (await api<{ items: any[] }>('GET', '/api/v1/conversations?state=open', undefined, op.token)).items[0]!;
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(png(90, 60))], { type: 'image/png' }), 'ответ.png');
  const up = await (await fetch(BASE + '/api/v1/attachments', { method: 'POST', body: form, headers: { Authorization: 'Bearer ' + op.token } })).json();
  await api('POST', `/api/v1/conversations/${conv.id}/messages`, { client_id: `site-${Date.now()}`, text: '', attachment_ids: [up[0].id] }, op.token);
  const packs = (await api<{ items: any[] }>('GET', '/api/v1/sticker-packs', undefined, op.token)).items;
  await api('POST', `/api/v1/conversations/${conv.id}/messages`, { client_id: `site-s-${Date.now()}`, sticker_id: packs[0].stickers[1].id }, op.token);

  const widths = () => chat.locator('[data-testid=file-thumb] img, [data-testid=msg-sticker] img')
    .evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).complete ? (i as HTMLImageElement).naturalWidth : 0).filter((w) => w > 0).length);
  await expect.poll(widths, { timeout: 15_000 }).toBe(4);
  await chat.locator('.ld-msg-operator [data-testid=file-thumb]').click();
  await expect.poll(() => page.getByTestId('lightbox-image').evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBe(90);
  expect(violations).toEqual([]);
});
