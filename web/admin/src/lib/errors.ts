// Server refusals in words for people.

import { ApiError } from '../api/client';
import { t } from '../i18n';
import { type FieldMap, errorField } from './forms';

// Refusals about a field (details.field) that have a text of our own whatever the wording.
const BY_FIELD: Record<string, string> = {
  'conflict settings.address': 'cp.addressTaken',
  'conflict email': 'error.emailTaken',
  'invalid_input settings.address': 'cp.addressBad',
  'invalid_input settings.color': 'cp.colorBad',
  'invalid_input email': 'form.email',
  'invalid_input limit': 'form.limit',
  'invalid_input settings.imap.security': 'mail.securityNone',
  'invalid_input settings.smtp.security': 'mail.securityNone',
  'invalid_input settings.imap.password': 'mail.passwordAgain',
  'invalid_input settings.smtp.password': 'mail.passwordAgain',
  'invalid_input settings.imap.port': 'mail.portBad',
  'invalid_input settings.smtp.port': 'mail.portBad',
};

// Known server messages that have a text of our own (the server speaks English).
const KNOWN: [RegExp, string][] = [
  [/operator with this email exists/, 'error.emailTaken'],
  [/another contact point has the address|this address cannot be used/, 'cp.addressTaken'],
  [/^the code is wrong/, 'mailbox.codeWrong'],
  [/^this code no longer works/, 'mailbox.codeExpired'],
  [/^a confirmation mail was sent less than a minute ago/, 'mailbox.tooSoon'],
  [/cannot deactivate yourself/, 'error.selfDeactivate'],
  [/cannot take the admin role from yourself/, 'error.selfDemote'],
  [/^email is not an email address/, 'form.email'],
  [/^password must be at least/, 'form.password'],
  [/^password must be at most/, 'form.passwordLong'],
  [/^limit must be between/, 'form.limit'],
  [/^name is required/, 'form.required'],
  [/^text (is required|must be non-empty)/, 'form.textRequired'],
  [/^settings\.allowed_origins has more than/, 'cp.originsMany'],
  [/allowed_origins/, 'cp.originsBad'],
  [/^settings\.color/, 'cp.colorBad'],
  [/^settings\.address is required with imap or smtp/, 'mail.addressNeeded'],
  [/^settings\.address/, 'cp.addressBad'],
];

/** The text for a refusal (or any thrown value). */
export function errorText(err: unknown): string {
  if (!(err instanceof ApiError)) return t('error.unknown', { message: String(err) });
  const byField = err.details.field ? BY_FIELD[err.code + ' ' + err.details.field] : undefined;
  if (byField) return t(byField);
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

/**
 * Where a refusal goes in a form: `{field, text}` for the form field it is about
 * (see errorField: details.field first, the message only as a fallback), or
 * `{field: null, text}` for the form as a whole.
 */
export function placeError(err: unknown, fields: FieldMap): { field: string | null; text: string } {
  const field = err instanceof ApiError ? errorField(err.message, err.details, fields) : null;
  return { field, text: errorText(err) };
}
