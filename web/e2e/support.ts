import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PORT } from './playwright.config';

/** The livedesk binary under test (built by `make build`). */
export const BIN = fileURLToPath(new URL('../../bin/livedesk', import.meta.url));
/** Base URL of the server under test. */
export const BASE = `http://127.0.0.1:${PORT}`;

let seq = 0;

/** A fresh account with its admin, made with `livedesk account create` on the running server's database. */
export interface Account {
  id: string;
  adminEmail: string;
  password: string;
  adminToken: string;
}

/** JSON request to the API; throws with the server's error on a non-2xx answer. */
export async function api<T = any>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  return apiAt<T>(BASE, method, path, body, token);
}

/** JSON request to the API of the server at base (another node: cluster.ts). */
export async function apiAt<T = any>(base: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const r = await fetch(base + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  const json = text ? JSON.parse(text) : {};
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return json as T;
}

/** Logs in and returns the bearer token. */
export async function login(email: string, password: string): Promise<string> {
  const r = await api<{ token: string }>('POST', '/api/v1/auth/login', { email, password });
  return r.token;
}

/** Creates an isolated account for one test. */
export async function createAccount(name = 'E2E'): Promise<Account> {
  const data = process.env.LIVEDESK_E2E_DATA;
  if (!data) throw new Error('LIVEDESK_E2E_DATA is not set: run through playwright.config.ts');
  const n = `${process.pid}-${Date.now()}-${++seq}`;
  const adminEmail = `admin-${n}@e2e.test`;
  const password = 'e2e-password';
  const out = execFileSync(BIN, ['account', 'create', '--data', data, '--name', `${name} ${n}`,
    '--admin-email', adminEmail, '--admin-password', password, '--bcrypt-cost', '4']).toString();
  const { account_id } = JSON.parse(out);
  return { id: account_id, adminEmail, password, adminToken: await login(adminEmail, password) };
}

// ---- visitor widget helpers (widget.spec.ts) ----

/** Creates a webchat contact point (optionally with widget settings) and returns its id and key. */
export async function createWebchatPoint(adminToken: string, settings: Record<string, unknown> = {}): Promise<{ id: string; key: string }> {
  return api('POST', '/api/v1/admin/contact-points', { name: 'Сайт e2e', channel: 'webchat', settings }, adminToken);
}

/** Creates an operator in the account, logs them in, sets the status; returns the token and id. */
export async function createOperator(acc: Account, name: string, status = 'available'): Promise<{ token: string; id: string }> {
  const email = `op-${process.pid}-${Date.now()}-${++seq}@e2e.test`;
  const op = await api<{ id: string }>('POST', '/api/v1/admin/operators',
    { name, email, password: 'e2e-password', role: 'operator', limit: 5 }, acc.adminToken);
  const token = await login(email, 'e2e-password');
  if (status !== 'offline') await api('PUT', '/api/v1/me/status', { status }, token);
  return { token, id: op.id };
}

/** A web page served from another origin (its own port on 127.0.0.1), for embedding the widget. */
export interface HostPage {
  url: string;
  origin: string;
  close(): Promise<void>;
}

/** Serves html at / from a fresh port: a "customer's site" on another origin than livedesk. */
export async function serveHostPage(html: string): Promise<HostPage> {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    if (req.url === '/' || req.url?.startsWith('/?')) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(html);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: origin + '/', origin,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** A customer's page with the widget's one-line snippet for key (lang: the page language;
 * base: the livedesk server the snippet loads the widget from). */
export function widgetHostHTML(key: string, lang = 'ru', extra = '', base = BASE): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Host site</title>
<style>body{font:16px Georgia,serif;margin:0;padding:2rem;background:#fafaf7;color:#222} *{color:#c00 !important}
h1{font-size:2rem} button{all:unset}</style></head>
<body><h1>${lang === 'ru' ? 'Интернет-магазин' : 'Online shop'}</h1><p>Host page content.</p>${extra}
<script src="${base}/widget.js?key=${encodeURIComponent(key)}" async></script></body></html>`;
}
