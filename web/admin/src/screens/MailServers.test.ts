import { describe, expect, it } from 'vitest';
import type { ContactPoint } from '../api/types';
import { checkMailForm, defaultPort, imapOf, mailFormOf, passwordSet, smtpOf } from './MailServers';

const cp = {
  id: '7', name: 'Почта', channel: 'email', key: 'k', created_at: '2026-01-01T00:00:00Z',
  settings: {
    address: 'support@shop.example',
    imap: { host: 'imap.shop.example', port: 993, security: 'tls', username: 'support', password_set: true, after_fetch: 'move:Done' },
  },
} as unknown as ContactPoint;

describe('mail servers form', () => {
  it('reads the saved settings; a stored password is only «set», never a value', () => {
    const f = mailFormOf(cp);
    expect(f).toMatchObject({ imapOn: true, imapHost: 'imap.shop.example', imapPort: '993', imapMoveTo: 'Done', imapPassword: '', smtpOn: false });
    expect(passwordSet(cp, 'imap')).toBe(true);
    expect(passwordSet(cp, 'smtp')).toBe(false);
  });
  it('sends a password only when one was typed, and null for a section turned off', () => {
    const f = mailFormOf(cp);
    expect(imapOf(f)).toEqual({ host: 'imap.shop.example', port: 993, security: 'tls', username: 'support', after_fetch: 'move:Done' });
    expect(imapOf({ ...f, imapPassword: 'new' })).toMatchObject({ password: 'new' });
    expect(smtpOf(f)).toBeNull();
    expect(smtpOf({ ...f, smtpOn: true, smtpHost: ' smtp.shop.example ', smtpPort: '' })).toEqual(
      { host: 'smtp.shop.example', port: 0, security: 'starttls', username: '' });
  });
  it('knows the usual ports and refuses what the server would', () => {
    expect([defaultPort('imap', 'tls'), defaultPort('imap', 'starttls'), defaultPort('smtp', 'starttls'), defaultPort('smtp', 'tls'), defaultPort('smtp', 'none')])
      .toEqual([993, 143, 587, 465, 25]);
    const f = { ...mailFormOf(cp), imapHost: '', imapPort: '70000', smtpOn: true, smtpHost: 'x', smtpPort: 'abc' };
    expect(checkMailForm(f)).toEqual({ 'imap.host': 'form.required', 'imap.port': 'mail.portBad', 'smtp.port': 'mail.portBad' });
  });
});
