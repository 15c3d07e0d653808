import { type Browser, test } from '@playwright/test';
import { Visitor, chooseStatus, createDesk, expect, listItem, operatorPage, setStatusApi, shot } from './operator-helpers';
import { api } from './support';

// Передать and Завершить against the real server: two operators, one visitor, each test its own account.

/** Anna (available) gets a conversation from «Иван»; Boris is signed in, on pause. */
async function annaWithConversation(browser: Browser, limits: { anna?: number; boris?: number } = {}) {
  const desk = await createDesk({ operators: { 'Анна': limits.anna ?? 5, 'Борис': limits.boris ?? 5 } });
  const anna = await operatorPage(browser, desk, 'Анна');
  const boris = await operatorPage(browser, desk, 'Борис');
  await chooseStatus(boris, 'pause');
  await chooseStatus(anna, 'available');
  const ivan = await Visitor.start(desk.key, 'Иван');
  await ivan.send('Хочу вернуть товар');
  await listItem(anna, 'Иван').click();
  return { desk, anna, boris, ivan };
}

test('transfer offered → accepted: the conversation moves to Boris and leaves Anna', async ({ browser }) => {
  const { anna, boris, ivan } = await annaWithConversation(browser);
  await anna.getByTestId('transfer-button').click();
  const dialog = anna.getByTestId('transfer-dialog');
  const row = dialog.getByTestId('transfer-operator').filter({ hasText: 'Борис' });
  await expect(row).toContainText('Пауза');
  await expect(row.getByTestId('transfer-load')).toHaveText('0/5');
  await expect(row).toHaveAttribute('data-disabled', 'false');
  await row.click();
  await dialog.getByTestId('transfer-comment').fill('Вопрос по возврату, нужен старший');
  await shot(anna, 'transfer-dialog');
  await dialog.getByTestId('transfer-submit').click();
  await expect(anna.getByTestId('transfer-pending')).toContainText('Ожидает принятия: Борис');

  const offer = boris.getByTestId('offer-modal');
  await expect(offer).toBeVisible();
  await expect(offer.getByTestId('offer-from')).toHaveText('Анна');
  await expect(offer.getByTestId('offer-visitor')).toContainText('Иван');
  await expect(offer.getByTestId('offer-comment')).toHaveText('Вопрос по возврату, нужен старший');
  await expect(boris).toHaveTitle('(1) livedesk');
  await shot(boris, 'transfer-offer');
  await offer.getByTestId('offer-accept').click();

  await expect(offer).toHaveCount(0);
  await expect(listItem(boris, 'Иван')).toBeVisible();
  await expect(boris.getByTestId('chat-visitor')).toHaveText('Иван');
  await expect(boris.getByTestId('history').getByTestId('msg-system')).toContainText('Обращение передано');
  await expect(boris.getByTestId('history').getByTestId('msg-comment')).toContainText('Вопрос по возврату');
  await expect(boris.getByTestId('notice').filter({ hasText: 'теперь у вас' })).toBeVisible();

  await expect(anna.getByTestId('conv-item')).toHaveCount(0);
  await expect(anna.getByTestId('chat')).toHaveCount(0);
  await expect(anna.getByTestId('notice').filter({ hasText: 'передано: Борис' })).toBeVisible();

  // Boris replies; the visitor gets it and never sees the comment.
  await boris.locator('#composer-input').fill('Здравствуйте, это Борис, помогу с возвратом');
  await boris.locator('#composer-input').press('Enter');
  await expect.poll(async () => (await ivan.messages()).map((m) => m.text)).toContain('Здравствуйте, это Борис, помогу с возвратом');
  expect((await ivan.messages()).map((m) => m.text)).not.toContain('Вопрос по возврату, нужен старший');
});

test('transfer declined: the conversation stays with Anna and both see the outcome; cancel works', async ({ browser }) => {
  const { anna, boris } = await annaWithConversation(browser);
  await anna.getByTestId('transfer-button').click();
  await anna.getByTestId('transfer-operator').filter({ hasText: 'Борис' }).click();
  await anna.getByTestId('transfer-submit').click();
  await expect(anna.getByTestId('transfer-pending')).toBeVisible();
  await expect(anna.getByTestId('transfer-button')).toBeDisabled(); // one pending offer at a time

  await boris.getByTestId('offer-decline').click();
  await expect(boris.getByTestId('offer-modal')).toHaveCount(0);
  await expect(anna.getByTestId('notice').filter({ hasText: 'Борис: передача обращения' })).toBeVisible();
  await expect(anna.getByTestId('transfer-pending')).toHaveCount(0);
  await expect(listItem(anna, 'Иван')).toBeVisible();
  await expect(boris.getByTestId('conv-item')).toHaveCount(0);

  // The sender can withdraw an offer; the receiver is told.
  await anna.getByTestId('transfer-button').click();
  await anna.getByTestId('transfer-operator').filter({ hasText: 'Борис' }).click();
  await anna.getByTestId('transfer-submit').click();
  await expect(boris.getByTestId('offer-modal')).toBeVisible();
  await anna.getByTestId('cancel-transfer').click();
  await expect(boris.getByTestId('offer-modal')).toHaveCount(0);
  await expect(boris.getByTestId('notice').filter({ hasText: 'передача обращения' })).toBeVisible();
  await expect(anna.getByTestId('transfer-pending')).toHaveCount(0);
});

test('transfer refused at the limit: disabled in the dialog, and refused at accept', async ({ browser }) => {
  const { desk, anna, boris } = await annaWithConversation(browser, { boris: 1 });
  const borisOp = desk.ops['Борис'];

  // Boris goes offline (in another tab): webchat cannot go to him, and the dialog says why, live.
  await anna.getByTestId('transfer-button').click();
  const row = anna.getByTestId('transfer-operator').filter({ hasText: 'Борис' });
  await expect(row).toHaveAttribute('data-disabled', 'false');
  await setStatusApi(borisOp, 'away');
  await expect(row).toHaveAttribute('data-disabled', 'true');
  await expect(row).toContainText('только оператору в сети');
  await setStatusApi(borisOp, 'pause');
  await expect(row).toHaveAttribute('data-disabled', 'false');

  // Offer to Boris (limit 1, empty) …
  await row.click();
  await anna.getByTestId('transfer-submit').click();
  await expect(boris.getByTestId('offer-modal')).toBeVisible();
  // … who then gets a conversation from routing and is at his limit when he presses Принять.
  await setStatusApi(borisOp, 'available');
  await setStatusApi(desk.ops['Анна'], 'pause');
  await (await Visitor.start(desk.key, 'Ольга')).send('Добрый день');
  await expect(listItem(boris, 'Ольга')).toBeVisible();
  await boris.getByTestId('offer-accept').click();
  await expect(boris.getByTestId('offer-error')).toHaveText('Достигнут лимит одновременных обращений');
  await shot(boris, 'transfer-limit');
  await boris.getByTestId('offer-decline').click();
  await expect(anna.getByTestId('notice').filter({ hasText: 'отклонена' })).toBeVisible();

  // Now at 1/1 Boris is disabled in the dialog with the reason.
  await anna.getByTestId('transfer-button').click();
  const full = anna.getByTestId('transfer-operator').filter({ hasText: 'Борис' });
  await expect(full.getByTestId('transfer-load')).toHaveText('1/1');
  await expect(full).toHaveAttribute('data-disabled', 'true');
  await expect(full).toContainText('достигнут лимит');
  await expect(full.locator('input')).toBeDisabled();
  await expect(anna.getByTestId('transfer-submit')).toBeDisabled();
  await shot(anna, 'transfer-dialog-limit');
});

test('transfer expires: both are told, the conversation stays', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна': 5, 'Борис': 5 }, settings: { transfer_timeout_seconds: 5 } });
  const anna = await operatorPage(browser, desk, 'Анна');
  const boris = await operatorPage(browser, desk, 'Борис');
  await chooseStatus(boris, 'pause');
  await chooseStatus(anna, 'available');
  await (await Visitor.start(desk.key, 'Иван')).send('Алло');
  await listItem(anna, 'Иван').click();
  await anna.getByTestId('transfer-button').click();
  await anna.getByTestId('transfer-operator').filter({ hasText: 'Борис' }).click();
  await anna.getByTestId('transfer-submit').click();
  await expect(boris.getByTestId('offer-modal')).toBeVisible();
  await expect(boris.getByTestId('offer-modal')).toHaveCount(0, { timeout: 15_000 });
  await expect(boris.getByTestId('notice').filter({ hasText: 'истекло' })).toBeVisible();
  await expect(anna.getByTestId('notice').filter({ hasText: 'нет ответа вовремя' })).toBeVisible();
  await expect(listItem(anna, 'Иван')).toBeVisible();
});

test('close with a category: required, searchable; also from the list by right click', async ({ browser }) => {
  const categories = ['Оплата', 'Доставка', 'Возврат', 'Гарантия', 'Консультация', 'Жалоба', 'Прочее'];
  const desk = await createDesk({ operators: { 'Анна': 5 }, categories });
  const anna = await operatorPage(browser, desk, 'Анна');
  await chooseStatus(anna, 'available');
  await (await Visitor.start(desk.key, 'Иван')).send('Не проходит оплата');
  const nina = await Visitor.start(desk.key, 'Нина');
  await nina.send('Когда доставка?');
  await expect(anna.getByTestId('conv-name')).toHaveText(['Нина', 'Иван']);

  await listItem(anna, 'Иван').click();
  await anna.getByTestId('close-button').click();
  const dialog = anna.getByTestId('close-dialog');
  await expect(dialog.getByTestId('category')).toHaveCount(categories.length);
  await expect(dialog.getByTestId('close-submit')).toBeDisabled(); // a category is required
  await dialog.getByTestId('category-search').fill('опла');
  await expect(dialog.getByTestId('category')).toHaveText(['Оплата']);
  await dialog.getByTestId('category').click();
  await shot(anna, 'close-dialog');
  await dialog.getByTestId('close-submit').click();
  await expect(dialog).toHaveCount(0);
  await expect(listItem(anna, 'Иван')).toHaveCount(0);
  await expect(anna.getByTestId('notice').filter({ hasText: 'завершено' })).toBeVisible();
  const closed = await api('GET', '/api/v1/conversations?state=closed', undefined, desk.ops['Анна'].token);
  expect(closed.items).toHaveLength(1);
  expect(closed.items[0].category_id).toBe(desk.categories[0].id);

  // Right click on a list item → Завершить.
  await listItem(anna, 'Нина').click({ button: 'right' });
  await shot(anna, 'list-context-menu');
  await anna.getByTestId('list-context-menu').getByTestId('ctx-close').click();
  await anna.getByTestId('close-dialog').getByTestId('category').filter({ hasText: 'Доставка' }).click();
  await anna.getByTestId('close-dialog').getByTestId('close-submit').click();
  await expect(anna.getByTestId('conv-item')).toHaveCount(0);
});
