// Form validation and server error → field mapping.

import type { AccountSettings } from '../api/types';

/** Field name → dictionary key of the problem. */
export type FieldErrors = Record<string, string>;

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface OperatorForm {
  name: string;
  email: string;
  password: string;
  limit: string;
}

/** Checks the new-operator form (edit: no email or password). */
export function validateOperator(f: OperatorForm, creating: boolean): FieldErrors {
  const e: FieldErrors = {};
  if (!f.name.trim()) e.name = 'form.required';
  else if ([...f.name.trim()].length > 100) e.name = 'form.tooLong100';
  if (creating) {
    if (!f.email.trim()) e.email = 'form.required';
    else if (!EMAIL_RE.test(f.email.trim())) e.email = 'form.email';
    if (f.password.length < 8) e.password = 'form.password';
    else if (new TextEncoder().encode(f.password).length > 72) e.password = 'form.passwordLong';
  }
  const n = Number(f.limit);
  if (!/^\d+$/.test(f.limit.trim()) || n < 1 || n > 1000) e.limit = 'form.limit';
  return e;
}

/** The account settings that are numbers in a range (the others are choices and switches). */
type NumericSetting = keyof Pick<AccountSettings, 'default_limit' | 'transfer_timeout_seconds' | 'offline_requeue_seconds' | 'file_retention_days'>;

/** Bounds of the account settings (AccountSettings in docs/openapi.yaml). */
export const SETTINGS_BOUNDS: Record<NumericSetting, [number, number]> = {
  default_limit: [1, 1000],
  transfer_timeout_seconds: [5, 3600],
  offline_requeue_seconds: [0, 86400],
  file_retention_days: [1, 3650],
};

export type SettingsForm = Record<keyof typeof SETTINGS_BOUNDS, string>;

/** Checks the settings form; each error names the allowed range. */
export function validateSettings(f: SettingsForm): Record<string, { key: string; min: number; max: number }> {
  const out: Record<string, { key: string; min: number; max: number }> = {};
  for (const [field, [min, max]] of Object.entries(SETTINGS_BOUNDS)) {
    const v = f[field as keyof SettingsForm].trim();
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max) out[field] = { key: 'form.range', min, max };
  }
  return out;
}

/** An origin as the widget accepts it: scheme://host[:port], a host may start with "*.". */
const ORIGIN_RE = /^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i;

/** Splits the origins textarea (one per line, commas allowed) and lists the malformed ones. */
export function parseOrigins(text: string): { origins: string[]; bad: string[] } {
  const origins = text.split(/[\n,]/).map((s) => s.trim().replace(/\/+$/, '')).filter(Boolean);
  return { origins, bad: origins.filter((o) => !ORIGIN_RE.test(o)) };
}

export const COLOR_RE = /^#[0-9a-fA-F]{6}$/;

/** A server message that begins with the field at fault ("limit must be…", "settings.color must…"). */
const LEADING_FIELD = /^([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*)(?: is | must | has | are |: )/;

/** Refusals whose message names no field but that are about one (the server's field name). */
const MESSAGE_FIELD: [RegExp, string][] = [
  [/operator with this email exists/, 'email'],
  [/another contact point has the address/, 'settings.address'],
];

/** Server field names (details.field) → the form's own names; a list means the same names. */
export type FieldMap = string[] | Record<string, string>;

/**
 * The form field a server refusal is about, or null for the form as a whole.
 * `details.field` decides when the server sends it; only a refusal without it is read from
 * its message (the field it starts with, or a known message such as the duplicate email).
 */
export function errorField(message: string, details: Record<string, string>, fields: FieldMap): string | null {
  const map: Record<string, string> = Array.isArray(fields) ? Object.fromEntries(fields.map((f) => [f, f])) : fields;
  const pick = (server: string) => (Object.prototype.hasOwnProperty.call(map, server) ? map[server] : null);
  if (details.field) return pick(details.field);
  const m = LEADING_FIELD.exec(message);
  if (m) return pick(m[1]);
  for (const [re, field] of MESSAGE_FIELD) if (re.test(message)) return pick(field);
  return null;
}

/** A mailbox address as the server accepts it (it stores it in lower case). */
export function validateAddress(address: string): string | null {
  const a = address.trim();
  if (!a) return 'cp.addressRequired';
  // Loose on purpose: the server (Go's net/mail) has the final word, e.g. on user@localhost.
  if (a.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(a)) return 'cp.addressBad';
  return null;
}
