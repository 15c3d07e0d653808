import { type Page, test } from '@playwright/test';
import { type Desk, Visitor, chooseStatus, createDesk, expect, listItem, operatorPage, shot } from './operator-helpers';
import { api } from './support';

// Quick messages in the operator app (issue 6): the window, personal messages, search,
// inserting, the category filter, autocomplete and hotkeys, against the real server.

/** Account-wide quick messages in two categories, made through the admin API. */
async function seedQuick(desk: Desk) {
  const t = desk.adminToken;
  const delivery = await api('POST', '/api/v1/admin/quick-message-categories', { name: 'Доставка', position: 0 }, t);
  const payment = await api('POST', '/api/v1/admin/quick-message-categories', { name: 'Оплата', position: 1 }, t);
  const add = (category_id: string, title: string, text: string) =>
    api('POST', '/api/v1/admin/quick-messages', { category_id, title, text }, t);
  await add(delivery.id, 'Сроки доставки', 'Доставка по Москве занимает 1–2 рабочих дня, по России — до недели.');
  await add(delivery.id, 'Курьер', 'Курьер позвонит за час до приезда, {visitor_name}.');
  await add(payment.id, 'Способы оплаты', 'Оплатить заказ можно картой на сайте или наличными курьеру.');
  await add(payment.id, 'Возврат денег', 'Деньги вернутся на карту в течение 10 рабочих дней.');
  return { delivery, payment };
}

/** An operator with an open conversation with visitor Иван Петров. */
async function setup(browser: import('@playwright/test').Browser) {
  const desk = await createDesk({ operators: { 'Анна Смирнова': 5 } });
  const cats = await seedQuick(desk);
  const page = await operatorPage(browser, desk, 'Анна Смирнова');
  await chooseStatus(page, 'available');
  const ivan = await Visitor.start(desk.key, 'Иван Петров');
  await ivan.send('Здравствуйте! Когда привезут заказ?');
  await listItem(page, 'Иван Петров').click();
  await expect(page.locator('#composer-input')).toBeEnabled();
  return { desk, cats, page, ivan };
}

const input = (page: Page) => page.locator('#composer-input');
const win = (page: Page) => page.getByTestId('quick-window');
const items = (page: Page) => win(page).getByTestId('quick-item');
const active = (page: Page) => win(page).locator('[data-testid=quick-item][aria-selected=true]');

async function openWindow(page: Page) {
  await page.getByTestId('quick-button').click();
  await expect(win(page)).toBeVisible();
  await expect(items(page).first()).toBeVisible();
}

/** Puts the caret at a position of the composer's text. */
async function caretAt(page: Page, pos: number) {
  await input(page).evaluate((el: HTMLTextAreaElement, p) => { el.focus(); el.setSelectionRange(p, p); }, pos);
}

test('quick messages: personal message, search, insert with Enter and double click, keys, category filter', async ({ browser }) => {
  const { page } = await setup(browser);

  await openWindow(page);
  // The dropdown: all, then «Мои быстрые сообщения» first, then the account's categories in order.
  await expect(win(page).getByTestId('quick-category').locator('option')).toHaveText(
    ['Все категории', 'Мои быстрые сообщения', 'Доставка', 'Оплата']);
  await expect(items(page)).toHaveCount(4);
  await expect(win(page).getByTestId('quick-search')).toBeFocused();
  await shot(page, 'quick-window');

  // A personal message with «+»: the editor on the right, Сохранить.
  await win(page).getByTestId('quick-add').click();
  await win(page).getByTestId('quick-title').fill('Приветствие');
  // Placeholders are typed or put in with their buttons.
  await win(page).getByTestId('quick-text').fill('Здравствуйте, ');
  await win(page).getByRole('button', { name: 'имя посетителя' }).click();
  await page.keyboard.type('! Меня зовут ');
  await win(page).getByRole('button', { name: 'ваше имя' }).click();
  await page.keyboard.type(', чем могу помочь?');
  await expect(win(page).getByTestId('quick-text')).toHaveValue('Здравствуйте, {visitor_name}! Меня зовут {operator_name}, чем могу помочь?');
  await shot(page, 'quick-editor');
  await win(page).getByTestId('quick-save').click();
  await expect(items(page)).toHaveCount(5);
  // Personal ones come first, and the new one is chosen.
  await expect(items(page).first()).toContainText('Приветствие');
  await expect(active(page)).toContainText('Приветствие');
  await expect(win(page).getByTestId('quick-view')).toContainText('Личное');

  // Изменить: the editor with the saved text.
  await win(page).getByTestId('quick-edit').click();
  await win(page).getByTestId('quick-title').fill('Приветствие дня');
  await win(page).getByTestId('quick-save').click();
  await expect(active(page)).toContainText('Приветствие дня');

  // Search as you type: words in any order, case and ё folded, matches marked.
  const search = win(page).getByTestId('quick-search');
  await search.fill('п');
  await expect(items(page)).toHaveCount(5); // one character does not search yet
  await search.fill('ПОМОЧЬ здравств');
  await expect(items(page)).toHaveCount(1);
  await expect(items(page).first().locator('mark')).toHaveText(['Здравств', 'помочь']);
  await shot(page, 'quick-search');
  // Enter picks: the text is inserted, filled in, and not sent.
  await search.press('Enter');
  await expect(win(page)).toBeHidden();
  await expect(input(page)).toHaveValue('Здравствуйте, Иван Петров! Меня зовут Анна Смирнова, чем могу помочь?');
  await expect(input(page)).toBeFocused();
  await expect(page.getByTestId('msg-operator')).toHaveCount(0);

  // Double click picks, inserting at the cursor.
  await input(page).fill('Добрый день. Спасибо!');
  await caretAt(page, 'Добрый день. '.length);
  await openWindow(page);
  await win(page).getByTestId('quick-search').fill('курьер позвонит');
  await expect(items(page)).toHaveCount(1);
  await items(page).first().dblclick();
  await expect(win(page)).toBeHidden();
  await expect(input(page)).toHaveValue('Добрый день. Курьер позвонит за час до приезда, Иван Петров.Спасибо!');

  // Keyboard: ↓/↑ move through the list, Enter inserts the active one, Esc closes.
  await input(page).fill('');
  await openWindow(page);
  await expect(active(page)).toContainText('Приветствие дня');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await expect(active(page)).toContainText('Курьер');
  await expect(win(page).getByTestId('quick-view-text')).toContainText('Курьер позвонит');
  await page.keyboard.press('Escape');
  await expect(win(page)).toBeHidden();
  await expect(input(page)).toHaveValue('');
  await openWindow(page);
  // The keys go to the list once it is there (it may still be loading right after opening).
  await expect(active(page)).toContainText('Приветствие дня');
  await page.keyboard.press('ArrowDown');
  await expect(win(page).getByTestId('quick-view-text')).toContainText('Доставка по Москве');
  await page.keyboard.press('Enter');
  await expect(input(page)).toHaveValue('Доставка по Москве занимает 1–2 рабочих дня, по России — до недели.');

  // The category filter.
  await input(page).fill('');
  await openWindow(page);
  await win(page).getByTestId('quick-category').selectOption({ label: 'Оплата' });
  await expect(items(page)).toHaveText([/Способы оплаты/, /Возврат денег/]);
  await win(page).getByTestId('quick-search').fill('карт');
  await expect(items(page)).toHaveCount(2);
  await win(page).getByTestId('quick-search').fill('курьеру');
  await expect(items(page)).toHaveText([/Способы оплаты/]);
  await win(page).getByTestId('quick-search').fill('');
  await win(page).getByTestId('quick-category').selectOption({ label: 'Мои быстрые сообщения' });
  await expect(items(page)).toHaveText([/Приветствие дня/]);
  await shot(page, 'quick-category');

  // Account-wide messages are read-only here: no Изменить / Удалить.
  await win(page).getByTestId('quick-category').selectOption({ label: 'Доставка' });
  await items(page).first().click();
  await expect(win(page).getByTestId('quick-edit')).toHaveCount(0);
  await expect(win(page).getByTestId('quick-delete')).toHaveCount(0);
  await expect(win(page).getByTestId('quick-view')).toContainText('Общее сообщение аккаунта');

  // Deleting a personal message asks once more.
  await win(page).getByTestId('quick-category').selectOption({ label: 'Мои быстрые сообщения' });
  await items(page).first().click();
  await win(page).getByTestId('quick-delete').click();
  await win(page).getByTestId('quick-delete-confirm').click();
  await expect(win(page).getByTestId('quick-empty')).toBeVisible();
});

test('quick messages: autocomplete suggests while typing, Tab accepts, Enter is not stolen, the setting turns it off', async ({ browser }) => {
  const { page, ivan } = await setup(browser);
  const suggest = page.getByTestId('quick-suggest');

  await input(page).click();
  await page.keyboard.type('оплат карт');
  await expect(suggest).toBeVisible();
  await expect(suggest.getByTestId('quick-suggestion')).toHaveCount(1);
  await expect(suggest.getByTestId('quick-suggestion').first()).toContainText('Способы оплаты');
  // Nothing is highlighted until the arrows are used.
  await expect(suggest.locator('[aria-selected=true]')).toHaveCount(0);
  await shot(page, 'quick-autocomplete');
  await page.keyboard.press('Tab');
  await expect(suggest).toBeHidden();
  await expect(input(page)).toHaveValue('Оплатить заказ можно картой на сайте или наличными курьеру.');
  await expect(input(page)).toBeFocused();

  // Typing refines; ↓ highlights; Enter then accepts.
  await input(page).fill('');
  await page.keyboard.type('рабоч');
  await expect(suggest.getByTestId('quick-suggestion')).toHaveCount(2);
  await page.keyboard.type('их дн');
  await expect(suggest.getByTestId('quick-suggestion')).toHaveCount(2);
  await page.keyboard.type(' деньги');
  await expect(suggest.getByTestId('quick-suggestion')).toHaveCount(1);
  await page.keyboard.press('ArrowDown');
  await expect(suggest.locator('[aria-selected=true]')).toContainText('Возврат денег');
  await page.keyboard.press('Enter');
  await expect(input(page)).toHaveValue('Деньги вернутся на карту в течение 10 рабочих дней.');
  await expect(page.getByTestId('msg-operator')).toHaveCount(0);

  // Esc dismisses; Enter with nothing highlighted sends what was typed.
  await input(page).fill('');
  await page.keyboard.type('курьер');
  await expect(suggest).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(suggest).toBeHidden();
  await page.keyboard.type(' будет');
  await expect(suggest).toBeHidden();
  await input(page).fill('');
  await page.keyboard.type('Курьер');
  await expect(suggest).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('msg-operator')).toHaveCount(1);
  await expect(page.getByTestId('msg-operator')).toContainText('Курьер');
  await expect.poll(async () => (await ivan.messages()).map((m) => m.text)).toContain('Курьер');

  // The setting in the operator's menu turns suggestions off (saved on the server).
  await page.getByTestId('status-button').click();
  const toggle = page.getByTestId('autocomplete-toggle');
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await shot(page, 'quick-menu');
  await page.keyboard.press('Escape');
  await input(page).click();
  await page.keyboard.type('оплат');
  await page.waitForTimeout(300); // give a (wrong) suggestion the chance to show
  await expect(suggest).toBeHidden();
});

test('quick messages: hotkey recorded with the rules explained, then used in the Russian and the English layout', async ({ browser }) => {
  const { desk, page } = await setup(browser);
  const anna = desk.ops['Анна Смирнова'];

  await openWindow(page);
  await win(page).getByTestId('quick-search').fill('возврат');
  await expect(items(page)).toHaveCount(1);
  await win(page).getByTestId('quick-hotkey-assign').click();
  const rec = win(page).getByTestId('quick-hotkey-recorder');
  await expect(rec).toBeFocused();

  // Refused at once, with the reason: a browser combination, a key without a modifier.
  await page.keyboard.press('Control+KeyC');
  await expect(win(page).getByTestId('quick-hotkey-error')).toContainText('Ctrl+C уже занято: копирование');
  await expect(win(page).getByTestId('quick-hotkey-save')).toBeDisabled();
  await shot(page, 'quick-hotkey-error');
  await page.keyboard.press('Shift+KeyQ');
  await expect(win(page).getByTestId('quick-hotkey-error')).toContainText('Добавьте Ctrl, Alt или ⌘');
  await page.keyboard.press('Alt+KeyT');
  await expect(win(page).getByTestId('quick-hotkey-error')).toContainText('Передать');

  // Recorded in the Russian layout: the key is «й», the physical key KeyQ.
  await rec.evaluate((el) => el.dispatchEvent(new KeyboardEvent('keydown',
    { key: 'й', code: 'KeyQ', ctrlKey: true, altKey: true, bubbles: true, cancelable: true })));
  await expect(rec).toContainText('Ctrl+Alt+Q');
  await expect(win(page).getByTestId('quick-hotkey-error')).toHaveCount(0);
  await shot(page, 'quick-hotkey-recording');
  await win(page).getByTestId('quick-hotkey-save').click();
  await expect(win(page).getByTestId('quick-hotkey-value')).toHaveText('Ctrl+Alt+Q');
  await expect(items(page).first().locator('kbd')).toHaveText('Ctrl+Alt+Q');
  // Saved on the server, per operator, in the canonical form.
  const list = await api('GET', '/api/v1/quick-messages?q=' + encodeURIComponent('возврат'), undefined, anna.token);
  expect(list.items[0].hotkey).toBe('Ctrl+Alt+KeyQ');
  await shot(page, 'quick-hotkey');

  // Another message cannot take the same combination: told which one has it.
  await win(page).getByTestId('quick-search').fill('курьер позвонит');
  await expect(items(page)).toHaveCount(1);
  await win(page).getByTestId('quick-hotkey-assign').click();
  await expect(rec).toBeFocused();
  await page.keyboard.press('Control+Alt+KeyQ');
  await expect(win(page).getByTestId('quick-hotkey-error')).toContainText('уже назначено сообщению «Возврат денег»');
  await page.keyboard.press('Escape'); // cancels recording, the window stays
  await expect(win(page)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(win(page)).toBeHidden();

  // Russian layout: Ctrl+Alt+й in the composer inserts the message at the caret.
  await input(page).fill('Итак: ');
  await caretAt(page, 'Итак: '.length);
  await input(page).evaluate((el) => el.dispatchEvent(new KeyboardEvent('keydown',
    { key: 'й', code: 'KeyQ', ctrlKey: true, altKey: true, bubbles: true, cancelable: true })));
  await expect(input(page)).toHaveValue('Итак: Деньги вернутся на карту в течение 10 рабочих дней.');

  // English layout: the real key press of Ctrl+Alt+Q.
  await input(page).fill('');
  await input(page).focus();
  await page.keyboard.press('Control+Alt+KeyQ');
  await expect(input(page)).toHaveValue('Деньги вернутся на карту в течение 10 рабочих дней.');
  await expect(page.getByTestId('msg-operator')).toHaveCount(0); // inserted, not sent

  // A hotkey bound elsewhere (another tab, say) arrives live.
  const other = (await api('GET', '/api/v1/quick-messages?q=' + encodeURIComponent('сроки доставки'), undefined, anna.token)).items[0];
  await api('PUT', `/api/v1/quick-messages/${other.id}/hotkey`, { hotkey: 'Ctrl+Alt+Digit7' }, anna.token);
  await openWindow(page);
  await expect(items(page).filter({ hasText: 'Сроки доставки' }).locator('kbd')).toHaveText('Ctrl+Alt+7');

  // The server's refusals are explained in words too (here answered by a stand-in for the server,
  // as the app's own check catches these first): a reserved combination, one already taken.
  const refusals = [
    { status: 400, error: { code: 'invalid_hotkey', message: 'Ctrl+Alt+Digit5 is already used: lock screen',
      details: { reason: 'reserved', hotkey: 'Ctrl+Alt+Digit5', used_by: 'lock screen' } } },
    { status: 409, error: { code: 'hotkey_taken', message: 'taken', details: { quick_message_id: other.id } } },
  ];
  await page.route('**/api/v1/quick-messages/*/hotkey', (route) => {
    const r = refusals.shift()!;
    return route.fulfill({ status: r.status, contentType: 'application/json', body: JSON.stringify({ error: r.error }) });
  });
  await win(page).getByTestId('quick-search').fill('курьер позвонит');
  await expect(items(page)).toHaveCount(1);
  await win(page).getByTestId('quick-hotkey-assign').click();
  await expect(rec).toBeFocused();
  await page.keyboard.press('Control+Alt+Digit5');
  await win(page).getByTestId('quick-hotkey-save').click();
  await expect(win(page).getByTestId('quick-hotkey-error')).toContainText('Ctrl+Alt+5 уже занято: блокировка экрана');
  await win(page).getByTestId('quick-hotkey-save').click();
  await expect(win(page).getByTestId('quick-hotkey-error')).toContainText('уже назначено сообщению «Сроки доставки»');
  await page.unroute('**/api/v1/quick-messages/*/hotkey');
  await page.keyboard.press('Escape');

  // Removing a hotkey.
  await win(page).getByTestId('quick-search').fill('сроки доставки');
  await expect(items(page)).toHaveCount(1);
  await win(page).getByTestId('quick-hotkey-remove').click();
  await expect(win(page).getByTestId('quick-hotkey-value')).toHaveCount(0);
  expect((await api('GET', '/api/v1/quick-messages?q=' + encodeURIComponent('сроки доставки'), undefined, anna.token)).items[0].hotkey)
    .toBeUndefined();
});
