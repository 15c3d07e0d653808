import { type Page, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { Visitor, chooseStatus, createDesk, expect, operatorPage, shot, signIn, type Desk } from './operator-helpers';
import { BIN } from './support';

// The search (docs/search.md): one box above the lists finds conversations by any form of a
// word; a result opens the conversation at the message it was found by. Last week's
// conversations are written by `livedesk seed-history` at their own times.

const DAY = 24 * 3600 * 1000;
const PHONE = { width: 390, height: 844 };

interface Seeded { conversation_id: string; message_ids: string[] }

/** Writes past conversations into the running server's database (livedesk seed-history). */
function seedHistory(conversations: object[]): Seeded[] {
  const data = process.env.LIVEDESK_E2E_DATA;
  if (!data) throw new Error('LIVEDESK_E2E_DATA is not set: run through playwright.config.ts');
  return JSON.parse(execFileSync(BIN, ['seed-history', '--data', data], { input: JSON.stringify(conversations) }).toString());
}

/** Anna's closed conversation of last week about order 4512: 150 lines, the one asking where the order is in the middle. */
function lastWeek(desk: Desk, categoryId: string) {
  const filler = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({
    author: i % 2 ? 'operator' : 'visitor', after_seconds: 30,
    text: i % 2 ? `Уточняю у склада, минуту (${from + i})` : `Понял, жду (${from + i})`,
  }));
  return {
    contact_point_key: desk.key, operator_email: desk.ops['Анна'].email, closed: true, category_id: categoryId,
    visitor: { name: 'Пётр Иванов', email: 'petr.ivanov@example.test', phone: '+7 (912) 345-67-89' },
    at: new Date(Date.now() - 7 * DAY).toISOString(),
    messages: [
      { author: 'visitor', text: 'Здравствуйте! Оформил заказ 4512 на прошлой неделе', after_seconds: 0 },
      ...filler(1, 40),
      { author: 'visitor', text: 'Так где мой заказ? Номер 4512, доставку обещали в пятницу', after_seconds: 60 },
      { author: 'comment', text: 'Проверить накладную у курьерской службы', after_seconds: 20 },
      ...filler(41, 108),
    ],
  };
}

test('an operator searches «заказа» and opens last week\'s conversation at the right message', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна': 5, 'Борис': 5 }, categories: ['Доставка'] });
  // Older first: results come newest stored first, which is the order of time when
  // messages arrive live.
  const [older, week] = seedHistory([
    {
      contact_point_key: desk.key, operator_email: desk.ops['Анна'].email, closed: true, visitor: { name: 'Мария' },
      at: new Date(Date.now() - 15 * DAY).toISOString(),
      messages: [{ author: 'visitor', text: 'Заказы приходят без чека', after_seconds: 0 },
        { author: 'operator', text: 'Передам в бухгалтерию', after_seconds: 40 }],
    },
    lastWeek(desk, desk.categories[0].id),
  ]);
  const target = week.message_ids[41];

  const page = await operatorPage(browser, desk, 'Анна');
  await chooseStatus(page, 'available');
  // Today's conversation, open: the newest match.
  const olga = await Visitor.start(desk.key, 'Ольга');
  const today = await olga.send('Хочу отменить заказ, пока его не отправили');
  await expect(page.getByTestId('conv-item')).toHaveCount(1);

  // Results as she types: every form of the word, newest match first, the words marked.
  const box = page.getByTestId('search-input');
  await box.fill('заказа');
  const results = page.getByTestId('search-result');
  await expect(results).toHaveCount(3);
  await expect(page.getByTestId('tab-open')).toHaveCount(0); // the results replace the lists
  await expect(results.getByTestId('search-result-name')).toHaveText(['Ольга', 'Пётр Иванов', 'Мария']);
  await expect(results.nth(0)).toHaveAttribute('data-conversation', today.conversation_id);
  const petr = results.nth(1);
  await expect(petr).toHaveAttribute('data-conversation', week.conversation_id);
  await expect(petr).toHaveAttribute('data-message', target);
  await expect(petr.locator('mark')).toHaveText(['заказ']);
  await expect(petr.getByTestId('search-snippet')).toContainText('Так где мой заказ? Номер 4512');
  await expect(petr.getByTestId('search-result-state')).toHaveText('Завершено');
  await expect(results.nth(2).locator('mark')).toHaveText(['Заказы']);
  await expect(results.nth(2)).toHaveAttribute('data-conversation', older.conversation_id);
  await shot(page, 'operator-search');

  // Opening it shows the closed conversation with the history loaded back to that message,
  // which is in view and marked; older and newer lines are around it.
  await petr.click();
  await expect(page.getByTestId('chat-visitor')).toHaveText('Пётр Иванов');
  await expect(page.getByTestId('chat-closed')).toBeVisible();
  await expect(page.getByTestId('chat-category')).toHaveText('Доставка');
  const found = page.locator(`[data-mid="${target}"]`);
  await expect(found).toHaveClass(/msg-found/);
  await expect(found).toContainText('Так где мой заказ? Номер 4512');
  await expect(found).toBeInViewport();
  await expect(page.locator(`[data-mid="${week.message_ids[40]}"]`)).toBeAttached();
  await expect(page.locator(`[data-mid="${week.message_ids[42]}"]`)).toContainText('Проверить накладную');
  await expect(page.locator('.msg-found')).toHaveCount(1);
  await page.waitForTimeout(2600); // the flash is over: the screenshot shows the resting mark
  await shot(page, 'operator-search-opened');

  // A phrase in quotes (its words in order), and the comment found by another form of its word.
  await box.fill('"доставку обещали"');
  await expect(results).toHaveCount(1);
  await expect(results.first().locator('mark')).toHaveText(['доставку', 'обещали']);
  await box.fill('"обещали доставку"');
  await expect(page.getByTestId('search-empty')).toBeVisible();
  await box.fill('накладной');
  await expect(results).toHaveCount(1);
  await expect(results.first()).toHaveAttribute('data-message', week.message_ids[42]);
  await expect(results.first().getByTestId('search-snippet')).toContainText('Внутренний комментарий');

  // Filters: closed ones since eight days ago leave last week's alone; the visitor's phone finds it too.
  await box.fill('заказ');
  await expect(results).toHaveCount(3);
  await page.getByTestId('search-filters-toggle').click();
  await page.getByTestId('filter-state').selectOption('closed');
  await expect(results).toHaveCount(2);
  const eightDaysAgo = new Date(Date.now() - 8 * DAY);
  const ymd = `${eightDaysAgo.getFullYear()}-${String(eightDaysAgo.getMonth() + 1).padStart(2, '0')}-${String(eightDaysAgo.getDate()).padStart(2, '0')}`;
  await page.getByTestId('filter-from').fill(ymd);
  await expect(results).toHaveCount(1);
  await expect(results.first()).toHaveAttribute('data-conversation', week.conversation_id);
  await expect(page.getByTestId('search-filters-toggle')).toContainText('2');
  await shot(page, 'operator-search-filters');
  await page.getByTestId('filters-reset').click();
  await box.fill('345-67-89');
  await expect(results).toHaveCount(1);
  await expect(results.first()).toHaveAttribute('data-match', 'visitor');
  await expect(results.first().locator('mark')).toHaveText(['345-67-89']);

  // Nothing: said so. Esc clears the box and brings the lists back.
  await box.fill('самокат');
  await expect(page.getByTestId('search-empty')).toContainText('Ничего не нашлось');
  await box.press('Escape');
  await expect(box).toHaveValue('');
  await expect(page.getByTestId('tab-open')).toBeVisible();

  // Борис never had Пётр's conversation: his search does not find it.
  const boris = await operatorPage(browser, desk, 'Борис');
  await boris.getByTestId('search-input').fill('заказа');
  await expect(boris.getByTestId('search-empty')).toBeVisible();
});

test('on a phone: search, open a result at its message, back to the results', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна': 5 }, categories: ['Доставка'] });
  const [week] = seedHistory([lastWeek(desk, desk.categories[0].id)]);
  const target = week.message_ids[41];
  const ctx = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const page: Page = await ctx.newPage();
  await signIn(page, desk.ops['Анна']);

  await page.getByTestId('search-input').fill('заказы 4512');
  const results = page.getByTestId('search-result');
  await expect(results).toHaveCount(1);
  await expect(results.first().locator('mark')).toHaveText(['заказ', '4512']);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await shot(page, 'operator-search-phone');

  await results.first().click();
  await expect(page.locator('.sidebar')).toBeHidden();
  const found = page.locator(`[data-mid="${target}"]`);
  await expect(found).toHaveClass(/msg-found/);
  await expect(found).toBeInViewport();
  await page.waitForTimeout(2600);
  await shot(page, 'operator-search-phone-opened');

  // Back: the results are still there.
  await page.getByTestId('chat-back').click();
  await expect(page.getByTestId('search-input')).toHaveValue('заказы 4512');
  await expect(results).toHaveCount(1);
});
