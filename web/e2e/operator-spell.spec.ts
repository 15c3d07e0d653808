import { type Locator, type Page, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { Visitor, chooseStatus, createDesk, expect, listItem, operatorPage, shot } from './operator-helpers';
import { api } from './support';

// Spell check in the operator's composer (issue 7): underlines from the server's checker,
// the menu of suggestions, «Добавить в словарь», «Пропустить», the keyboard, and the
// overlay staying on the words when the text wraps and scrolls.

async function setup(browser: import('@playwright/test').Browser) {
  const desk = await createDesk({ operators: { 'Анна Смирнова': 5 } });
  const page = await operatorPage(browser, desk, 'Анна Смирнова');
  await chooseStatus(page, 'available');
  const ivan = await Visitor.start(desk.key, 'Иван Петров');
  await ivan.send('Здравствуйте! Когда привезут заказ?');
  await listItem(page, 'Иван Петров').click();
  await expect(input(page)).toBeEnabled();
  return { desk, page, ivan };
}

const input = (page: Page) => page.locator('#composer-input');
const marks = (page: Page) => page.getByTestId('spell-overlay').getByTestId('spell-mark');
const markOf = (page: Page, word: string) => page.locator(`[data-testid=spell-mark][data-word="${word}"]`);
const menu = (page: Page) => page.getByTestId('spell-menu');

/** The words underlined now, in text order. */
async function underlined(page: Page): Promise<string[]> {
  return marks(page).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.word ?? ''));
}

/** Right-clicks the middle of an underlined word (the overlay lets the click through to the textarea). */
async function rightClick(page: Page, mark: Locator) {
  const box = (await mark.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button: 'right' });
}

/** The underline is inside the textarea's box and on the word's line. */
async function insideInput(page: Page, mark: Locator) {
  const m = (await mark.boundingBox())!;
  const i = (await input(page).boundingBox())!;
  expect(m.x).toBeGreaterThanOrEqual(i.x);
  expect(m.x + m.width).toBeLessThanOrEqual(i.x + i.width);
  expect(m.y).toBeGreaterThanOrEqual(i.y);
  expect(m.y + m.height).toBeLessThanOrEqual(i.y + i.height);
}

const TEXT = 'Здраствуйте! Ваш промокод на скидку уже начислен, СДЭК доставит заказ A-1023 завтра. '
  + 'Трек пришлём на ivan.petrov@example.com, статус: https://example.com/track?id=A-1023 — '
  + 'you will recieve it soon.';

test('typos are underlined, others are not; a suggestion replaces the word', async ({ browser }) => {
  const { page } = await setup(browser);
  // The browser's own spell check is off: only ours shows.
  await expect(input(page)).toHaveAttribute('spellcheck', 'false');
  await input(page).fill(TEXT);
  await expect.poll(() => underlined(page)).toEqual(['Здраствуйте', 'recieve']);
  for (const w of ['промокод', 'СДЭК', 'A-1023', 'ivan.petrov@example.com', 'example.com', 'начислен']) {
    await expect(markOf(page, w)).toHaveCount(0);
  }
  await insideInput(page, markOf(page, 'Здраствуйте'));
  await insideInput(page, markOf(page, 'recieve'));
  await shot(page, 'spell-underline');

  // Right click on the typo: our menu with the suggestion first.
  await rightClick(page, markOf(page, 'Здраствуйте'));
  await expect(menu(page)).toBeVisible();
  await expect(menu(page).getByTestId('spell-suggestion').first()).toHaveText('Здравствуйте');
  await expect(menu(page).getByTestId('spell-add')).toHaveText('Добавить в словарь');
  await expect(menu(page).getByTestId('spell-ignore')).toHaveText('Пропустить');
  await shot(page, 'spell-menu');
  await menu(page).getByTestId('spell-suggestion').first().click();
  await expect(menu(page)).toHaveCount(0);
  await expect(input(page)).toHaveValue(TEXT.replace('Здраствуйте', 'Здравствуйте'));
  await expect(input(page)).toBeFocused();
  await expect.poll(() => underlined(page)).toEqual(['recieve']);

  // Undo brings the typo back (the replacement went through the browser's editing).
  await page.keyboard.press('Control+z');
  await expect(input(page)).toHaveValue(TEXT);
  await page.keyboard.press('Control+Shift+z');
  await expect(input(page)).toHaveValue(TEXT.replace('Здраствуйте', 'Здравствуйте'));

  // A right click on a correct word is not ours (the browser's menu; headless shows none).
  const ok = (await input(page).boundingBox())!;
  await page.mouse.click(ok.x + 30, ok.y + 12, { button: 'right' });
  await expect(menu(page)).toHaveCount(0);

  // The setting in the avatar menu turns it off and on.
  await page.getByTestId('status-button').click();
  await page.getByTestId('spellcheck-toggle').click();
  await expect(page.getByTestId('spellcheck-toggle')).toHaveAttribute('aria-checked', 'false');
  await expect(marks(page)).toHaveCount(0);
  await page.getByTestId('spellcheck-toggle').click();
  await expect.poll(() => underlined(page)).toEqual(['recieve']);
});

test('keyboard: Shift+F10 on the word at the caret, Enter picks, the caret stays sensible', async ({ browser }) => {
  const { page } = await setup(browser);
  const text = 'Мы скоро доставлн ваш заказ';
  await input(page).fill(text);
  await expect.poll(() => underlined(page)).toEqual(['доставлн']);
  // Caret inside the word.
  await input(page).evaluate((el: HTMLTextAreaElement) => { el.focus(); el.setSelectionRange(12, 12); });
  await page.keyboard.press('Shift+F10');
  await expect(menu(page)).toBeVisible();
  await expect(menu(page).getByTestId('spell-suggestion').first()).toBeFocused();
  await expect(menu(page).getByTestId('spell-suggestion').first()).toHaveText('доставлен');
  await page.keyboard.press('Enter');
  await expect(input(page)).toHaveValue('Мы скоро доставлен ваш заказ');
  await expect(input(page)).toBeFocused();
  // The caret was inside the word: it ends after the corrected word.
  expect(await input(page).evaluate((el: HTMLTextAreaElement) => el.selectionStart)).toBe('Мы скоро доставлен'.length);
  await expect(marks(page)).toHaveCount(0);

  // Esc closes the menu and returns to the text; Enter then still sends.
  await input(page).fill('Спасибо за ожидане');
  await expect.poll(() => underlined(page)).toEqual(['ожидане']);
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+F10');
  await expect(menu(page)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(menu(page)).toHaveCount(0);
  await expect(input(page)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(input(page)).toHaveValue('');
  await expect(page.getByTestId('msg-operator').filter({ hasText: 'Спасибо за ожидане' })).toHaveCount(1);
});

test('«Добавить в словарь» persists; «Пропустить» hides for the session; comment mode is checked too', async ({ browser }) => {
  const { desk, page } = await setup(browser);
  await page.getByTestId('mode-comment').click();
  const text = 'Проверьте Ливдеск и Вайлдбериз, please recieve';
  await input(page).fill(text);
  await expect.poll(() => underlined(page)).toEqual(['Ливдеск', 'Вайлдбериз', 'recieve']);

  await rightClick(page, markOf(page, 'Ливдеск'));
  await menu(page).getByTestId('spell-add').click();
  await expect(markOf(page, 'Ливдеск')).toHaveCount(0);
  await expect.poll(async () => (await api('GET', '/api/v1/me/dictionary', undefined, desk.ops['Анна Смирнова'].token)).items
    .map((w: { word: string }) => w.word)).toEqual(['Ливдеск']);

  await rightClick(page, markOf(page, 'Вайлдбериз'));
  await menu(page).getByTestId('spell-ignore').click();
  await expect.poll(() => underlined(page)).toEqual(['recieve']);
  await shot(page, 'spell-comment');

  // After a reload (the draft is kept) the added word stays accepted; the skipped one is back.
  await page.reload();
  await listItem(page, 'Иван Петров').click();
  await expect(input(page)).toHaveValue(text);
  await expect.poll(() => underlined(page)).toEqual(['Вайлдбериз', 'recieve']);
});

test('long text: underlines stay on the words when the text wraps and scrolls', async ({ browser }) => {
  const { page } = await setup(browser);
  const line = 'Ваш заказ передан в службу доставки, курьер позвонит заранее и уточнит удобное время. ';
  const text = line.repeat(4) + 'Здраствуйте 👍 ещё раз!\n\n' + line.repeat(5) + 'Оплата придёт в течени дня, спасибо за терпение 🙂 recieve';
  await input(page).fill(text);
  await input(page).evaluate((el: HTMLTextAreaElement) => { el.focus(); el.setSelectionRange(el.value.length, el.value.length); el.scrollTop = el.scrollHeight; });
  await expect.poll(() => underlined(page)).toEqual(['Здраствуйте', 'течени', 'recieve']);
  // Scrolled to the end: the last words are in view, and their underline is inside the box.
  await insideInput(page, markOf(page, 'recieve'));
  await insideInput(page, markOf(page, 'течени'));
  const scroll = await page.evaluate(() => ({
    input: document.querySelector<HTMLTextAreaElement>('#composer-input')!.scrollTop,
    overlay: document.querySelector<HTMLElement>('[data-testid=spell-overlay]')!.scrollTop,
  }));
  expect(scroll.input).toBeGreaterThan(0);
  expect(scroll.overlay).toBe(scroll.input);
  await input(page).screenshot({ path: fileURLToPath(new URL('./screenshots/spell-scrolled.png', import.meta.url)) });
  // The right click works on a scrolled, wrapped text too.
  await rightClick(page, markOf(page, 'течени'));
  const pick = menu(page).getByTestId('spell-suggestion').getByText('течение', { exact: true });
  await expect(pick).toBeVisible();
  await pick.click();
  await expect(input(page)).toHaveValue(text.replace('течени ', 'течение '));
  await expect.poll(() => underlined(page)).toEqual(['Здраствуйте', 'recieve']);
  // The caret was at the end: it stays at the end.
  expect(await input(page).evaluate((el: HTMLTextAreaElement) => el.selectionStart === el.value.length)).toBe(true);
});

test('the issue\'s sentence: two words underlined, right click corrects one, the caret stays', async ({ browser }) => {
  const { page } = await setup(browser);
  await input(page).fill('Здраствуйте, ваш заказ доставлн');
  await expect.poll(() => underlined(page)).toEqual(['Здраствуйте', 'доставлн']);
  // The caret sits at the start, away from the word being corrected.
  await input(page).evaluate((el: HTMLTextAreaElement) => { el.focus(); el.setSelectionRange(0, 0); });
  await rightClick(page, markOf(page, 'доставлн'));
  await expect(menu(page)).toBeVisible();
  await menu(page).getByTestId('spell-suggestion').filter({ hasText: /^доставлен$/ }).click();
  await expect(input(page)).toHaveValue('Здраствуйте, ваш заказ доставлен');
  await expect.poll(() => underlined(page)).toEqual(['Здраствуйте']);
  expect(await input(page).evaluate((el: HTMLTextAreaElement) => el.selectionStart)).toBe(0);
});
