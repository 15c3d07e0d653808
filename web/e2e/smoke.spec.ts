import { expect, test } from '@playwright/test';
import { api, createAccount } from './support';

test('server answers and an isolated account can log in', async ({ page }) => {
  const acc = await createAccount();
  const me = await api('GET', '/api/v1/me', undefined, acc.adminToken);
  expect(me.operator?.email ?? me.email).toBe(acc.adminEmail);
  const res = await page.goto('/');
  expect(res?.status()).toBe(200);
  // The operator app is served there and starts on its sign-in screen.
  await expect(page.getByRole('button', { name: 'Войти' })).toBeVisible();
});
