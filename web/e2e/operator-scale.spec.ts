import { test } from '@playwright/test';
import { Visitor, chooseStatus, createDesk, expect, listItem, signIn } from './operator-helpers';
import { api } from './support';

// Long lists and long histories: pages load as the operator scrolls, only what is in view is rendered.

test('the list loads the next page on scroll and keeps only the visible rows in the DOM', async ({ page }) => {
  const desk = await createDesk({ operators: { 'Анна': 200 } });
  const anna = desk.ops['Анна'];
  await api('PUT', '/api/v1/me/status', { status: 'available' }, anna.token);
  const n = 130;
  for (let i = 1; i <= n; i++) await (await Visitor.start(desk.key, `Посетитель ${i}`)).send(`Вопрос номер ${i}`);

  await page.setViewportSize({ width: 1366, height: 820 });
  await signIn(page, anna);
  await expect(page.getByTestId('tab-open')).toContainText('50'); // the first page
  const list = page.getByTestId('list-open');
  expect(await page.getByTestId('conv-item').count()).toBeLessThan(30);
  for (let i = 0; i < 10 && !(await page.getByTestId('tab-open').textContent())?.includes(String(n)); i++) {
    await list.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await page.waitForTimeout(300);
  }
  await expect(page.getByTestId('tab-open')).toContainText(String(n));
  await list.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(listItem(page, 'Посетитель 1')).toBeVisible(); // the oldest, at the very end
  expect(await page.getByTestId('conv-item').count()).toBeLessThan(30);
});

test('a long history loads older pages on scroll up without moving what is on screen', async ({ page }) => {
  const desk = await createDesk({ operators: { 'Анна': 5 } });
  const anna = desk.ops['Анна'];
  await api('PUT', '/api/v1/me/status', { status: 'available' }, anna.token);
  const v = await Visitor.start(desk.key, 'Болтливый');
  const n = 320;
  for (let i = 1; i <= n; i++) await v.send(`Строка ${i}`);

  await page.setViewportSize({ width: 1366, height: 820 });
  await signIn(page, anna);
  await chooseStatus(page, 'available');
  await listItem(page, 'Болтливый').click();
  const history = page.getByTestId('history');
  await expect(history.getByText(`Строка ${n}`, { exact: true })).toBeVisible();

  // Scroll to the top: older messages arrive above, and the message that was at the top stays in view.
  const inView = (id: string) => history.evaluate((el, mid) => {
    const box = el.getBoundingClientRect();
    const r = el.querySelector(`[data-mid="${mid}"]`)?.getBoundingClientRect();
    return !!r && r.bottom > box.top && r.top < box.bottom;
  }, id);
  // «Начало обращения» is rendered once the oldest message is in the window.
  for (let round = 0; round < 40 && (await history.getByText('Начало обращения').count()) === 0; round++) {
    // In one step, before the app sees the scroll: jump to the top, note the top message and the first rendered one.
    const { anchor, first } = await history.evaluate((el) => {
      el.scrollTop = 0;
      const box = el.getBoundingClientRect();
      const all = Array.from(el.querySelectorAll<HTMLElement>('[data-mid]'));
      const top = all.find((x) => x.getBoundingClientRect().bottom > box.top + 1);
      return { anchor: top?.dataset.mid ?? '', first: all[0]?.dataset.mid ?? '' };
    });
    await expect.poll(async () => await history.locator('[data-mid]').first().getAttribute('data-mid')).not.toBe(first);
    expect(await inView(anchor)).toBe(true);
  }
  await expect(history.getByText('Строка 1', { exact: true })).toBeVisible();
  // Only a window of the history is in the DOM.
  expect(await history.locator('[data-mid]').count()).toBeLessThan(n);
});
