import { test } from '@playwright/test';
import { chooseStatus, createDesk, expect, operatorPage, shot } from './operator-helpers';
import { BASE, login } from './support';

// The operator's own account from the profile menu: the password (other sessions end), signing
// out everywhere, and the settings an offline operator cannot change (spell check included).
test('change password ends other sessions; sign out everywhere; offline cannot toggle spell check', async ({ browser }) => {
  const desk = await createDesk({ operators: { 'Пётр Соколов': 5 } });
  const me = desk.ops['Пётр Соколов'];
  const page = await operatorPage(browser, desk, 'Пётр Соколов');
  const otherDevice = await login(me.email, me.password);

  // Offline: spell check is a setting like the others.
  await page.getByTestId('status-button').click();
  await expect(page.getByTestId('spellcheck-toggle')).toBeDisabled();
  await page.keyboard.press('Escape');
  await chooseStatus(page, 'available');
  await page.getByTestId('status-button').click();
  await expect(page.getByTestId('spellcheck-toggle')).toBeEnabled();

  await page.getByTestId('change-password').click();
  const dialog = page.getByTestId('password-dialog');
  await dialog.getByLabel('Текущий пароль').fill('wrong-password');
  await dialog.getByLabel('Новый пароль', { exact: true }).fill('new-e2e-password');
  await dialog.getByLabel('Новый пароль ещё раз').fill('new-e2e-password');
  await dialog.getByRole('button', { name: 'Сменить' }).click();
  await expect(dialog.getByTestId('password-error')).toHaveText('Текущий пароль неверный');
  await dialog.getByLabel('Текущий пароль').fill(me.password);
  await shot(page, 'password-dialog');
  await dialog.getByRole('button', { name: 'Сменить' }).click();
  await expect(dialog.getByTestId('password-done')).toBeVisible();
  await dialog.getByRole('button', { name: 'Готово' }).click();

  // The other device's session has ended; this one goes on; the new password works.
  const r = await fetch(BASE + '/api/v1/me', { headers: { Authorization: 'Bearer ' + otherDevice } });
  expect(r.status).toBe(401);
  await expect(page.getByTestId('status-button')).toBeVisible();
  const third = await login(me.email, 'new-e2e-password');

  await page.getByTestId('status-button').click();
  await page.getByTestId('logout-everywhere').click();
  await expect(page.getByRole('button', { name: 'Войти' })).toBeVisible();
  expect((await fetch(BASE + '/api/v1/me', { headers: { Authorization: 'Bearer ' + third } })).status).toBe(401);
});
