// Helpers for the operator app's end-to-end tests: an isolated desk (account, operators,
// a webchat contact point, categories), visitors driven through the visitor API, and the
// few UI steps every test repeats.
import { type Browser, type Page, expect as baseExpect } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { api, createAccount, login } from './support';

/** `expect` with a longer wait: the shared 2-core test box is often busy; nothing here is a timing assertion. */
export const expect = baseExpect.configure({ timeout: 15_000 });

export interface DeskOperator {
  id: string;
  name: string;
  email: string;
  password: string;
  token: string;
}

export interface Desk {
  adminToken: string;
  key: string;
  contactPoint: string;
  ops: Record<string, DeskOperator>;
  categories: { id: string; name: string }[];
}

/** An account with the given operators (name → limit), a webchat contact point and categories. */
export async function createDesk(opts: { operators: Record<string, number>; categories?: string[]; settings?: object }): Promise<Desk> {
  const acc = await createAccount('Operator app');
  const t = acc.adminToken;
  const contactPoint = `Сайт магазина ${acc.id}`;
  const cp = await api('POST', '/api/v1/admin/contact-points', { name: contactPoint, channel: 'webchat' }, t);
  const ops: Record<string, DeskOperator> = {};
  for (const [i, [name, limit]] of Object.entries(opts.operators).entries()) {
    const email = `op${i}-${acc.id}-${Date.now()}@e2e.test`;
    const op = await api('POST', '/api/v1/admin/operators', { name, email, password: 'e2e-password', role: 'operator', limit }, t);
    ops[name] = { id: op.id, name, email, password: 'e2e-password', token: await login(email, 'e2e-password') };
  }
  const categories = [];
  for (const [i, name] of (opts.categories ?? []).entries()) {
    categories.push(await api('POST', '/api/v1/admin/conversation-categories', { name, position: i }, t));
  }
  if (opts.settings) await api('PATCH', '/api/v1/admin/settings', opts.settings, t);
  return { adminToken: t, key: cp.key, contactPoint, ops, categories };
}

export async function setStatusApi(op: DeskOperator, status: 'available' | 'pause' | 'away' | 'offline') {
  await api('PUT', '/api/v1/me/status', { status }, op.token);
}

/** A visitor on the widget, through the visitor API. */
export class Visitor {
  private seq = 0;
  private constructor(readonly token: string) {}

  static async start(key: string, name?: string): Promise<Visitor> {
    const s = await api('POST', `/api/v1/widget/${encodeURIComponent(key)}/session`, name ? { name } : {});
    return new Visitor(s.visitor_token);
  }

  async send(text: string): Promise<{ id: string; conversation_id: string }> {
    return api('POST', '/api/v1/widget/messages', { client_id: `v-${Date.now()}-${++this.seq}`, text }, this.token);
  }

  /** Everything the visitor can see, oldest first. */
  async messages(): Promise<any[]> {
    const page = await api('GET', '/api/v1/widget/messages?limit=200', undefined, this.token);
    return page.items.reverse();
  }

  async close() {
    await api('POST', '/api/v1/widget/close', {}, this.token);
  }
}

/** Signs in through the login screen. */
export async function signIn(page: Page, op: DeskOperator) {
  await page.goto('/');
  await page.getByLabel('Эл. почта').fill(op.email);
  await page.getByLabel('Пароль').fill(op.password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page.getByTestId('status-button')).toBeVisible();
  // Hide the notification banner so screenshots show the working screen.
  const later = page.getByRole('button', { name: 'Не сейчас' });
  if (await later.isVisible()) await later.click();
}

/** A signed-in operator in a browser context of their own (own cookies, own storage). */
export async function operatorPage(browser: Browser, desk: Desk, name: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 820 } });
  const page = await ctx.newPage();
  await signIn(page, desk.ops[name]);
  return page;
}

const STATUS_LABEL = { available: 'Доступен', pause: 'Пауза', away: 'Нет на месте', offline: 'Не в сети' };

/** Picks a status from the avatar menu and waits until the app shows it. */
export async function chooseStatus(page: Page, status: keyof typeof STATUS_LABEL) {
  await page.getByTestId('status-button').click();
  await page.getByRole('menuitemradio', { name: STATUS_LABEL[status] }).click();
  await expect(page.getByTestId('status-button')).toHaveAttribute('data-status', status);
}

/** The list item of the conversation with this visitor name. */
/** A guest (no name given) in the list: «Гость #4821», a number of their own. */
export const GUEST = /^Гость #\d{4}$/;

export function listItem(page: Page, visitorName: string | RegExp) {
  return page.getByTestId('conv-item').filter({ has: page.getByTestId('conv-name').getByText(visitorName, { exact: true }) });
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: fileURLToPath(new URL(`./screenshots/${name}.png`, import.meta.url)) });
}

/** A supervisor of the desk's account, signed in through the API (for the browser: signIn with it). */
export async function createSupervisor(desk: Desk, name: string): Promise<DeskOperator> {
  const email = `sup-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@e2e.test`;
  const sup = await api('POST', '/api/v1/admin/operators', { name, email, password: 'e2e-password', role: 'supervisor', limit: 5 }, desk.adminToken);
  return { id: sup.id, name, email, password: 'e2e-password', token: await login(email, 'e2e-password') };
}

/** Closes a conversation as this operator, through the API (with a category id, or none). */
export async function closeApi(op: DeskOperator, conversationId: string, categoryId?: string) {
  return api('POST', `/api/v1/conversations/${conversationId}/close`, categoryId ? { category_id: categoryId } : {}, op.token);
}
