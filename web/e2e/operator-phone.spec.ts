import { type Locator, type Page, test } from '@playwright/test';
import { Visitor, chooseStatus, createDesk, createSupervisor, expect, listItem, signIn } from './operator-helpers';

// The operator app on a phone (390×844): the list or the open conversation, one at a time,
// with a back button; the action buttons are icons with their names kept for screen readers.
const PHONE = { width: 390, height: 844 };

/** Nothing is wider than the screen: no sideways scrolling, the dialog fits. */
async function fitsScreen(page: Page, el?: Locator) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  if (el) {
    const box = await el.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
  }
}

test('on a phone: the list, a conversation, back, a reply, taking from the queue', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна Смирнова': 1 }, categories: ['Доставка'] });
  const sup = await createSupervisor(desk, 'Вера Старшая');
  const ctx = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const vera = await ctx.newPage();
  await signIn(vera, sup);
  await chooseStatus(vera, 'pause'); // on pause routing passes her by: the conversations wait in the queue

  const olga = await Visitor.start(desk.key, 'Ольга');
  await olga.send('Где мой заказ?');
  await (await Visitor.start(desk.key, 'Пётр')).send('Есть кто живой?');
  await expect(vera.getByTestId('tab-queue')).toContainText('2');

  // The list fills the screen; there is no empty conversation pane beside it.
  const sidebar = vera.locator('.sidebar');
  await expect(sidebar).toBeVisible();
  await expect(vera.locator('.main')).toBeHidden();
  await fitsScreen(vera);

  // Opening a queued conversation hides the list; «Взять себе» is an icon with its name.
  await vera.getByTestId('tab-queue').click();
  await listItem(vera, 'Ольга').click();
  await expect(vera.getByTestId('chat')).toBeVisible();
  await expect(sidebar).toBeHidden();
  await expect(vera.getByTestId('chat-back')).toBeVisible();
  const take = vera.getByRole('button', { name: 'Взять себе' });
  await expect(take).toBeVisible();
  await fitsScreen(vera);

  // The assign dialog fits the screen; Esc closes it.
  await vera.getByTestId('assign-button').click();
  const dialog = vera.getByTestId('transfer-dialog');
  await expect(dialog).toBeVisible();
  await fitsScreen(vera, dialog);
  await vera.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // Taking it: the conversation stays open, now with a composer, and the list behind it is «Обращения».
  await take.click();
  await expect(vera.getByTestId('tab-queue')).toContainText('1');
  await expect(vera.getByTestId('composer')).toBeVisible();
  await expect(vera.getByTestId('close-button')).toBeVisible();
  await expect(sidebar).toBeHidden();

  // A reply from the phone reaches the visitor. The one-line box's placeholder fits it
  // (no keyboard hints on a phone; the whole one was cut mid-phrase).
  const box = vera.locator('#composer-input');
  await expect(box).toHaveAttribute('placeholder', 'Ответ посетителю…');
  await box.fill('Сейчас проверю ваш заказ');
  await vera.getByTestId('send-button').click();
  await expect(box).toHaveValue('');
  await expect.poll(async () => (await olga.messages()).map((m) => m.text)).toContain('Сейчас проверю ваш заказ');

  // The close dialog fits the screen too.
  await vera.getByTestId('close-button').click();
  const closing = vera.getByTestId('close-dialog');
  await expect(closing).toBeVisible();
  await fitsScreen(vera, closing);
  await vera.keyboard.press('Escape');
  await expect(closing).toHaveCount(0);

  // Back: the list again, on the tab the taken conversation went to.
  await vera.getByTestId('chat-back').click();
  await expect(sidebar).toBeVisible();
  await expect(vera.getByTestId('chat')).toHaveCount(0);
  await expect(vera.getByTestId('tab-open')).toHaveAttribute('aria-selected', 'true');
  await expect(listItem(vera, 'Ольга')).toContainText('Сейчас проверю ваш заказ');
});

test('on a wide screen the list and the conversation stay side by side', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна Смирнова': 1 } });
  const sup = await createSupervisor(desk, 'Вера Старшая');
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 820 } });
  const vera = await ctx.newPage();
  await signIn(vera, sup);
  await chooseStatus(vera, 'pause');
  await (await Visitor.start(desk.key, 'Ольга')).send('Где мой заказ?');
  await vera.getByTestId('tab-queue').click();
  await listItem(vera, 'Ольга').click();
  await expect(vera.getByTestId('chat')).toBeVisible();
  await expect(vera.locator('.sidebar')).toBeVisible();
  await expect(vera.getByTestId('chat-back')).toBeHidden();
  await expect(vera.getByRole('button', { name: 'Взять себе' })).toContainText('Взять себе');
  await vera.getByRole('button', { name: 'Взять себе' }).click();
  await expect(vera.locator('#composer-input')).toHaveAttribute('placeholder', 'Ответ посетителю… (Enter — отправить, Shift+Enter — новая строка)');
});
