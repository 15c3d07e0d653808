import { test } from '@playwright/test';
import { Visitor, chooseStatus, createDesk, expect, listItem, operatorPage, shot } from './operator-helpers';

// The composer: comment mode is unmistakable, and after a comment is sent it is back to
// «Ответ», so the next answer reaches the visitor.
test('after a comment the composer is back in reply mode', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Ирина Лебедева': 5 } });
  const op = await operatorPage(browser, desk, 'Ирина Лебедева');
  await chooseStatus(op, 'available');
  const v = await Visitor.start(desk.key, 'Олег');
  await v.send('Верните деньги за заказ');
  await listItem(op, 'Олег').click();

  await op.getByTestId('mode-comment').click();
  await expect(op.getByTestId('comment-banner')).toBeVisible();
  await shot(op, 'composer-comment-mode');
  const box = op.getByTestId('composer').locator('textarea');
  await box.fill('Проверить возврат в 1С');
  await box.press('Enter');
  await expect(op.getByText('Проверить возврат в 1С')).toBeVisible();
  await expect(op.getByTestId('mode-reply')).toHaveAttribute('aria-checked', 'true');
  await expect(op.getByTestId('comment-banner')).toHaveCount(0);

  await box.fill('Возврат оформлен');
  await box.press('Enter');
  await expect.poll(async () => (await v.messages()).map((m) => m.text)).toContain('Возврат оформлен');
  expect((await v.messages()).map((m) => m.text)).not.toContain('Проверить возврат в 1С');
});
