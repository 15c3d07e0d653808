import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PORT } from './playwright.config';

/** The livedesk binary under test (built by `make build`). */
export const BIN = fileURLToPath(new URL('../../bin/livedesk', import.meta.url));
/** Where global-setup records the server's data directory. */
export const DATA_FILE = fileURLToPath(new URL('./.data-dir', import.meta.url));
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
  const r = await fetch(BASE + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
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
  const data = readFileSync(DATA_FILE, 'utf8').trim();
  const n = `${process.pid}-${Date.now()}-${++seq}`;
  const adminEmail = `admin-${n}@e2e.test`;
  const password = 'e2e-password';
  const out = execFileSync(BIN, ['account', 'create', '--data', data, '--name', `${name} ${n}`,
    '--admin-email', adminEmail, '--admin-password', password, '--bcrypt-cost', '4']).toString();
  const { account_id } = JSON.parse(out);
  return { id: account_id, adminEmail, password, adminToken: await login(adminEmail, password) };
}
