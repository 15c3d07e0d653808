import { test } from '@playwright/test';
import { Visitor, chooseStatus, createDesk, expect, listItem, operatorPage } from './operator-helpers';

// A reply that met no network is sent again by itself once the connection is back, with the
// same client_id: it reaches the visitor exactly once, and no «Повторить» is left behind.
test('a send that failed on the network is delivered after reconnect, exactly once', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Анна': 5 } });
  const page = await operatorPage(browser, desk, 'Анна');
  await chooseStatus(page, 'available');
  const v = await Visitor.start(desk.key, 'Пётр');
  const { conversation_id: conv } = await v.send('Здравствуйте');
  await listItem(page, 'Пётр').click();

  // The first POST of the reply is lost on the way (the request fails at the network level).
  let dropped = 0;
  await page.route(`**/api/v1/conversations/${conv}/messages`, async (route) => {
    if (route.request().method() === 'POST' && dropped === 0) {
      dropped++;
      return route.abort('internetdisconnected');
    }
    return route.continue();
  });
  const box = page.locator('#composer-input');
  await box.fill('Ответ сквозь обрыв');
  await box.press('Enter');
  await expect.poll(() => dropped).toBe(1);
  await page.context().setOffline(true);
  await expect(page.getByTestId('offline-banner')).toBeVisible();
  await page.context().setOffline(false);
  await expect(page.getByTestId('offline-banner')).toHaveCount(0, { timeout: 20_000 });

  await expect.poll(async () => (await v.messages()).filter((m) => m.text === 'Ответ сквозь обрыв').length, { timeout: 20_000 }).toBe(1);
  await expect(page.getByTestId('history').getByText('Ответ сквозь обрыв')).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Повторить' })).toHaveCount(0);
});
