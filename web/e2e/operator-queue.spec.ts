import { test } from '@playwright/test';
import { Visitor, chooseStatus, createDesk, createSupervisor, expect, listItem, operatorPage, setStatusApi, shot, signIn } from './operator-helpers';

// A supervisor takes a queued conversation for themselves, and assigns another to an
// operator, from the «Очередь» tab.
test('a supervisor takes a queued conversation and assigns another', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна Смирнова': 3 } });
  await setStatusApi(desk.ops['Анна Смирнова'], 'pause'); // on pause: routing passes her by, a supervisor may still assign
  const sup = await createSupervisor(desk, 'Вера Старшая');
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 820 } });
  const vera = await ctx.newPage();
  await signIn(vera, sup);
  await chooseStatus(vera, 'pause');

  await (await Visitor.start(desk.key, 'Первый')).send('Есть кто живой?');
  await (await Visitor.start(desk.key, 'Второй')).send('Помогите с заказом');
  await expect(vera.getByTestId('tab-queue')).toContainText('2');
  await vera.getByTestId('tab-queue').click();

  await listItem(vera, 'Первый').click();
  await shot(vera, 'queue-take');
  await vera.getByTestId('take-button').click();
  await expect(vera.getByTestId('tab-queue')).toContainText('1');
  await vera.getByTestId('tab-open').click();
  await expect(listItem(vera, 'Первый')).toBeVisible();
  await expect(vera.getByTestId('composer')).toBeVisible();

  await vera.getByTestId('tab-queue').click();
  await listItem(vera, 'Второй').click();
  await vera.getByTestId('assign-button').click();
  const dialog = vera.getByTestId('transfer-dialog');
  await expect(dialog).toContainText('Назначить обращение оператору');
  await dialog.locator('[data-operator="Анна Смирнова"]').click();
  await dialog.getByTestId('transfer-submit').click();
  await expect(vera.getByTestId('tab-queue')).toContainText('0');
  await vera.getByTestId('tab-open').click();
  await expect(listItem(vera, 'Второй')).toContainText('Оператор: Анна Смирнова');
});

// Operators do not see the queue, but they see how many visitors wait in it.
test('an operator sees how many visitors wait', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Нина': 1 } });
  const nina = await operatorPage(browser, desk, 'Нина');
  await chooseStatus(nina, 'available');
  await (await Visitor.start(desk.key, 'Первый')).send('Здравствуйте'); // Нина takes it: her limit is 1
  await expect(listItem(nina, 'Первый')).toBeVisible();
  await (await Visitor.start(desk.key, 'Второй')).send('А я?');
  await (await Visitor.start(desk.key, 'Третий')).send('И я');
  await expect(nina.getByTestId('queue-waiting')).toHaveText('Ждут: 2', { timeout: 15_000 });
  await expect(nina.getByTestId('tab-queue')).toHaveCount(0);
});
