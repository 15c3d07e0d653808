// Server refusals in words for people.

import { ApiError } from '../api/client';
import { t } from '../i18n';

// Known server messages that have a text of our own (the server speaks English).
const KNOWN: [RegExp, string][] = [
  [/operator with this email exists/, 'error.emailTaken'],
  [/cannot deactivate yourself/, 'error.selfDeactivate'],
  [/cannot take the admin role from yourself/, 'error.selfDemote'],
  [/^email is not an email address/, 'form.email'],
  [/^password must be at least/, 'form.password'],
  [/^password must be at most/, 'form.passwordLong'],
  [/^limit must be between/, 'form.limit'],
  [/^name is required/, 'form.required'],
  [/^text (is required|must be non-empty)/, 'form.textRequired'],
  [/allowed_origins/, 'cp.originsBad'],
  [/^settings\.color/, 'cp.colorBad'],
];

/** The text for a refusal (or any thrown value). */
export function errorText(err: unknown): string {
  if (!(err instanceof ApiError)) return t('error.unknown', { message: String(err) });
  for (const [re, key] of KNOWN) if (re.test(err.message)) return t(key);
  switch (err.code) {
    case 'network': return t('error.network');
    case 'unauthenticated': return t('error.unauthenticated');
    case 'forbidden': return t('error.forbidden');
    case 'not_found': return t('error.notFound');
    case 'rate_limited': return t('error.rateLimited');
    case 'internal':
    case 'unavailable': return t('error.server');
    default: return t('error.refused', { message: err.message });
  }
}
