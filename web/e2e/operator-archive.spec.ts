import { test } from '@playwright/test';
import {
  Visitor, chooseStatus, closeApi, createDesk, createSupervisor, expect, listItem, operatorPage, setStatusApi, shot, signIn, GUEST } from './operator-helpers';

// The archive of closed conversations (the «Архив» tab): each test builds its own account.

test('an operator closes a conversation with a category: it is at the top of the archive, read-only', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна': 5 }, categories: ['Оплата', 'Доставка'] });
  const page = await operatorPage(browser, desk, 'Анна');
  await chooseStatus(page, 'available');

  const ivan = await Visitor.start(desk.key, 'Иван Архивов');
  await ivan.send('Не проходит оплата картой');
  const olga = await Visitor.start(desk.key, 'Ольга');
  const olgaMsg = await olga.send('Где мой заказ?');
  const guest = await Visitor.start(desk.key);
  await guest.send('Просто спросить');
  await expect(page.getByTestId('conv-item')).toHaveCount(3);

  // The archive loads when its tab is first opened; nothing is closed yet.
  await page.getByTestId('tab-archive').click();
  await expect(page.getByTestId('list-archive').getByTestId('list-empty')).toContainText('Завершённых обращений пока нет');
  await page.getByTestId('tab-open').click();

  // Close Иван from the panel with a category.
  await listItem(page, 'Иван Архивов').click();
  await page.locator('#composer-input').fill('Проверили, оплата прошла');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('msg-operator')).toContainText('Проверили, оплата прошла');
  await page.getByTestId('close-button').click();
  await page.getByTestId('category').filter({ hasText: 'Оплата' }).click();
  await page.getByTestId('close-submit').click();
  await expect(page.getByTestId('close-dialog')).toHaveCount(0);
  await expect(listItem(page, 'Иван Архивов')).toHaveCount(0);
  await expect(page.getByTestId('tab-open')).toContainText('2');
  // A draft in another conversation is untouched by the archive.
  await listItem(page, GUEST).click();
  await page.locator('#composer-input').fill('Черновик гостю');

  await page.getByTestId('tab-archive').click();
  const archive = page.getByTestId('list-archive');
  const ivanRow = listItem(page, 'Иван Архивов');
  await expect(ivanRow).toBeVisible();
  await expect(ivanRow.getByTestId('conv-category')).toHaveText('Оплата');
  await expect(ivanRow.getByTestId('conv-preview')).toHaveText('Вы: Проверили, оплата прошла');
  await expect(ivanRow.getByTestId('conv-contact-point')).toHaveText(desk.contactPoint);
  await expect(ivanRow.getByTestId('conv-channel')).toHaveAttribute('data-channel', 'webchat');
  await expect(ivanRow.getByTestId('conv-time')).toHaveText(/^\d{2}:\d{2}$/); // closed today: the time
  await expect(ivanRow.getByTestId('conv-unread')).toHaveCount(0);
  await expect(ivanRow.getByTestId('conv-operator')).toHaveCount(0); // an operator's own archive: no name

  // Closed elsewhere while the archive is on screen: it arrives live, at the top.
  await closeApi(desk.ops['Анна'], olgaMsg.conversation_id, desk.categories[1].id);
  await expect(archive.getByTestId('conv-name')).toHaveText(['Ольга', 'Иван Архивов']);
  await expect(listItem(page, 'Ольга').getByTestId('conv-category')).toHaveText('Доставка');
  await shot(page, 'operator-archive');

  // Keyboard: Alt+L to the list, ↓ ↓, Enter opens the second one (Иван).
  await page.keyboard.press('Alt+KeyL');
  await expect(archive).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('chat-visitor')).toHaveText('Иван Архивов');

  // The history, read-only: no composer, «Обращение завершено», when and with what category.
  const history = page.getByTestId('history');
  await expect(history.getByTestId('msg-visitor')).toContainText('Не проходит оплата картой');
  await expect(history.getByTestId('msg-operator')).toContainText('Проверили, оплата прошла');
  await expect(page.getByTestId('conversation-closed')).toHaveText('Обращение завершено');
  await expect(page.getByTestId('composer')).toHaveCount(0);
  await expect(page.locator('#composer-input')).toHaveCount(0);
  await expect(page.getByTestId('chat-closed')).toContainText('Завершено');
  await expect(page.getByTestId('chat-category')).toHaveText('Оплата');
  await expect(page.getByTestId('close-button')).toBeDisabled();
  await expect(page.getByTestId('transfer-button')).toBeDisabled();
  await expect(page.locator('.tip-wrap', { has: page.getByTestId('close-button') })).toHaveAttribute('title', /только читать/);
  // No quoting on a closed conversation.
  await history.getByTestId('msg-visitor').hover();
  await expect(history.getByTestId('quote-button')).toHaveCount(0);
  // Alt+E / Alt+T do nothing here.
  await page.keyboard.press('Alt+KeyE');
  await page.keyboard.press('Alt+KeyT');
  await expect(page.getByTestId('close-dialog')).toHaveCount(0);
  await expect(page.getByTestId('transfer-dialog')).toHaveCount(0);
  await shot(page, 'operator-archive-chat');

  // Back to the work list: it, the draft and the title counter are as they were.
  await page.getByTestId('tab-open').click();
  await expect(page.getByTestId('conv-name')).toHaveText([/^Гость #\d{4}$/]);
  await listItem(page, GUEST).click();
  await expect(page.locator('#composer-input')).toHaveValue('Черновик гостю');
  await expect(page).toHaveTitle('livedesk');

  // English.
  await page.getByTestId('status-button').click();
  await page.locator('[data-lang=en]').click();
  await page.keyboard.press('Escape');
  await page.getByTestId('tab-archive').click();
  await expect(page.getByTestId('tab-archive')).toHaveText('Archive');
  await listItem(page, 'Иван Архивов').click();
  await expect(page.getByTestId('conversation-closed')).toHaveText('This conversation is closed');
  await expect(page.getByTestId('chat-closed')).toContainText('Closed');
});

test('the archive keeps its place when switching tabs and pages in older conversations', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна': 60 }, categories: ['Консультация'] });
  const anna = desk.ops['Анна'];
  await setStatusApi(anna, 'available');
  // 56 closed conversations: more than one page (50).
  for (let i = 0; i < 56; i++) {
    const v = await Visitor.start(desk.key, `Посетитель ${String(i).padStart(2, '0')}`);
    const m = await v.send(`Вопрос ${i}`);
    await closeApi(anna, m.conversation_id, desk.categories[0].id);
  }
  const page = await operatorPage(browser, desk, 'Анна');
  await page.getByTestId('tab-archive').click();
  const archive = page.getByTestId('list-archive');
  await expect(listItem(page, 'Посетитель 55')).toBeVisible();
  // Scroll to the end: the second page arrives, with no duplicates.
  await expect(async () => {
    await archive.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await expect(listItem(page, 'Посетитель 00')).toBeVisible({ timeout: 1000 });
  }).toPass();
  await archive.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  const top = await archive.evaluate((el) => el.scrollTop);
  expect(top).toBeGreaterThan(1000);
  await page.getByTestId('tab-open').click();
  await page.getByTestId('tab-archive').click();
  await expect(listItem(page, 'Посетитель 00')).toBeVisible();
  expect(Math.abs((await page.getByTestId('list-archive').evaluate((el) => el.scrollTop)) - top)).toBeLessThan(2);
  // The keyboard reaches the tab: ← → move between tabs.
  await page.getByTestId('tab-archive').focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('tab-open')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('tab-archive')).toHaveAttribute('aria-selected', 'true');
  const names = await page.getByTestId('list-archive').getByTestId('conv-name').allTextContents();
  expect(new Set(names).size).toBe(names.length);
});

test('a supervisor sees a colleague\'s closed conversation in the archive with the colleague\'s name', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Борис Иванов': 5 }, categories: ['Возврат'] });
  const boris = desk.ops['Борис Иванов'];
  await setStatusApi(boris, 'available');
  const vera = await createSupervisor(desk, 'Вера Старшая');
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 820 } });
  const page = await ctx.newPage();
  await signIn(page, vera);

  const v = await Visitor.start(desk.key, 'Пётр Возвратов');
  const m = await v.send('Хочу вернуть товар');
  await expect(listItem(page, 'Пётр Возвратов')).toContainText('Оператор: Борис Иванов');
  await closeApi(boris, m.conversation_id, desk.categories[0].id);
  await expect(listItem(page, 'Пётр Возвратов')).toHaveCount(0);

  await page.getByTestId('tab-archive').click();
  const row = listItem(page, 'Пётр Возвратов');
  await expect(row.getByTestId('conv-operator')).toHaveText('· Борис Иванов');
  await expect(row.getByTestId('conv-category')).toHaveText('Возврат');
  // Closed while the supervisor looks: it arrives live too.
  const w = await Visitor.start(desk.key);
  const wm = await w.send('Ещё вопрос');
  await closeApi(boris, wm.conversation_id, desk.categories[0].id);
  await expect(page.getByTestId('list-archive').getByTestId('conv-name')).toHaveText([/^Гость #\d{4}$/, 'Пётр Возвратов']);
  await row.click();
  await expect(page.getByTestId('chat-visitor')).toHaveText('Пётр Возвратов');
  await expect(page.getByTestId('history').getByTestId('msg-visitor')).toContainText('Хочу вернуть товар');
  await expect(page.getByTestId('conversation-closed')).toBeVisible();
  await expect(page.getByTestId('chat-category')).toHaveText('Возврат');
  await shot(page, 'operator-archive-supervisor');
});
