// A mailbox's own servers (issue 16): the IMAP folder livedesk reads and the SMTP submission
// server its replies go out through. Passwords are write-only: the server answers
// password_set, the field shows «задан» and is sent only when the admin types a new one.

import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { ContactPoint, IMAPStatus, MailCheck } from '../api/types';
import { Field, described } from '../components/ui';
import { t } from '../i18n';
import { errorText } from '../lib/errors';

type Security = 'tls' | 'starttls' | 'none';

/** The IMAP and SMTP sections of the email contact point's form. */
export interface MailForm {
  imapOn: boolean;
  imapHost: string;
  imapPort: string;
  imapSecurity: Security;
  imapUser: string;
  /** A new password typed in ('' keeps the stored one). */
  imapPassword: string;
  imapFolder: string;
  imapMoveTo: string;
  smtpOn: boolean;
  smtpHost: string;
  smtpPort: string;
  smtpSecurity: Security;
  smtpUser: string;
  smtpPassword: string;
}

/** The usual port of a security (what port 0 means on the server). */
export function defaultPort(kind: 'imap' | 'smtp', sec: Security): number {
  if (kind === 'imap') return sec === 'tls' ? 993 : 143;
  return sec === 'tls' ? 465 : sec === 'starttls' ? 587 : 25;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function sec(v: unknown, dflt: Security): Security {
  return v === 'tls' || v === 'starttls' || v === 'none' ? v : dflt;
}

/** The form of a contact point's saved settings. */
export function mailFormOf(cp: ContactPoint): MailForm {
  const s = (cp.settings ?? {}) as Record<string, unknown>;
  const im = (s.imap ?? null) as Record<string, unknown> | null;
  const sm = (s.smtp ?? null) as Record<string, unknown> | null;
  const after = str(im?.after_fetch);
  return {
    imapOn: !!im,
    imapHost: str(im?.host),
    imapPort: im?.port ? String(im.port) : '',
    imapSecurity: sec(im?.security, 'tls'),
    imapUser: str(im?.username),
    imapPassword: '',
    imapFolder: str(im?.folder),
    imapMoveTo: after.startsWith('move:') ? after.slice(5) : '',
    smtpOn: !!sm,
    smtpHost: str(sm?.host),
    smtpPort: sm?.port ? String(sm.port) : '',
    smtpSecurity: sec(sm?.security, 'starttls'),
    smtpUser: str(sm?.username),
    smtpPassword: '',
  };
}

/** Whether the saved settings have a password of the section. */
export function passwordSet(cp: ContactPoint, kind: 'imap' | 'smtp'): boolean {
  const sec = (cp.settings as Record<string, unknown> | undefined)?.[kind] as { password_set?: boolean } | undefined;
  return sec?.password_set === true;
}

/** The imap section to send (null: none); the password only when one was typed. */
export function imapOf(f: MailForm): Record<string, unknown> | null {
  if (!f.imapOn) return null;
  const out: Record<string, unknown> = {
    host: f.imapHost.trim(), port: Number(f.imapPort) || 0, security: f.imapSecurity, username: f.imapUser.trim(),
  };
  if (f.imapFolder.trim()) out.folder = f.imapFolder.trim();
  if (f.imapMoveTo.trim()) out.after_fetch = 'move:' + f.imapMoveTo.trim();
  if (f.imapPassword) out.password = f.imapPassword;
  return out;
}

/** The smtp section to send (null: none). */
export function smtpOf(f: MailForm): Record<string, unknown> | null {
  if (!f.smtpOn) return null;
  const out: Record<string, unknown> = { host: f.smtpHost.trim(), port: Number(f.smtpPort) || 0, security: f.smtpSecurity, username: f.smtpUser.trim() };
  if (f.smtpPassword) out.password = f.smtpPassword;
  return out;
}

/** Checks the form can make before asking the server: field → i18n key. */
export function checkMailForm(f: MailForm): Record<string, string> {
  const errs: Record<string, string> = {};
  const port = (p: string) => p.trim() !== '' && !(/^\d+$/.test(p.trim()) && Number(p) >= 1 && Number(p) <= 65535);
  if (f.imapOn) {
    if (!f.imapHost.trim()) errs['imap.host'] = 'form.required';
    if (port(f.imapPort)) errs['imap.port'] = 'mail.portBad';
    if (!f.imapUser.trim()) errs['imap.username'] = 'form.required';
  }
  if (f.smtpOn) {
    if (!f.smtpHost.trim()) errs['smtp.host'] = 'form.required';
    if (port(f.smtpPort)) errs['smtp.port'] = 'mail.portBad';
  }
  return errs;
}

/** Where the server's refusals about the sections go in the form. */
export const MAIL_FIELDS: Record<string, string> = {
  'settings.imap.host': 'imap.host', 'settings.imap.port': 'imap.port', 'settings.imap.security': 'imap.security',
  'settings.imap.username': 'imap.username', 'settings.imap.password': 'imap.password', 'settings.imap.folder': 'imap.folder',
  'settings.imap.after_fetch': 'imap.moveTo',
  'settings.smtp.host': 'smtp.host', 'settings.smtp.port': 'smtp.port', 'settings.smtp.security': 'smtp.security',
  'settings.smtp.username': 'smtp.username', 'settings.smtp.password': 'smtp.password',
};

interface SectionProps {
  cp: ContactPoint;
  form: MailForm;
  set: (patch: Partial<MailForm>) => void;
  errors: Record<string, string>;
}

function SecuritySelect({ id, kind, value, onChange }: { id: string; kind: 'imap' | 'smtp'; value: Security; onChange: (s: Security) => void }) {
  const order: Security[] = kind === 'imap' ? ['tls', 'starttls', 'none'] : ['starttls', 'tls', 'none'];
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value as Security)} data-testid={id}>
      {order.map((s) => <option key={s} value={s}>{t('mail.security.' + s, { port: String(defaultPort(kind, s)) })}</option>)}
    </select>
  );
}

function PasswordField({ id, label, isSet, value, error, onInput }: {
  id: string; label: string; isSet: boolean; value: string; error: string | null; onInput: (v: string) => void;
}) {
  return (
    <Field label={label} id={id} error={error} hint={isSet ? t('mail.passwordKept') : t('mail.passwordNone')}>
      <input {...described(id, error, true)} type="password" value={value} autoComplete="new-password" spellcheck={false}
        placeholder={isSet ? t('mail.passwordSet') : ''} onInput={(e) => onInput(e.currentTarget.value)} data-testid={id} />
    </Field>
  );
}

/** The IMAP section: the folder livedesk reads, its check button and the watcher's status. */
export function IMAPSection({ cp, form, set, errors }: SectionProps) {
  const e = (k: string) => errors[k] ?? null;
  const [check, setCheck] = useState<MailCheck | null>(null);
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState('');
  async function test() {
    setChecking(true);
    setCheck(null);
    setCheckError('');
    try {
      setCheck(await api.imapTest(cp.id, { imap: imapOf(form) }));
    } catch (err) {
      setCheckError(errorText(err));
    } finally {
      setChecking(false);
    }
  }
  return (
    <fieldset class="field mail-server" data-testid="mail-imap">
      <legend>{t('mail.imap')}</legend>
      <label class="check"><input type="checkbox" checked={form.imapOn} onChange={(e) => set({ imapOn: e.currentTarget.checked })} data-testid="mail-imap-on" />
        {t('mail.imapOn')}</label>
      {form.imapOn && (
        <>
          <div class="form-row mail-row">
            <Field label={t('mail.host')} id="mail-imap-host" error={e('imap.host')}>
              <input {...described('mail-imap-host', e('imap.host'))} value={form.imapHost} placeholder="imap.yandex.ru" spellcheck={false}
                autoComplete="off" onInput={(e) => set({ imapHost: e.currentTarget.value })} />
            </Field>
            <Field label={t('mail.security')} id="mail-imap-security" error={e('imap.security')}>
              <SecuritySelect id="mail-imap-security" kind="imap" value={form.imapSecurity} onChange={(s) => set({ imapSecurity: s })} />
            </Field>
            <Field label={t('mail.port')} id="mail-imap-port" error={e('imap.port')}>
              <input {...described('mail-imap-port', e('imap.port'))} class="port" value={form.imapPort} inputMode="numeric" maxLength={5}
                placeholder={String(defaultPort('imap', form.imapSecurity))} onInput={(e) => set({ imapPort: e.currentTarget.value })} />
            </Field>
          </div>
          <div class="form-row">
            <Field label={t('mail.username')} id="mail-imap-user" error={e('imap.username')}>
              <input {...described('mail-imap-user', e('imap.username'))} value={form.imapUser} autoComplete="off" spellcheck={false}
                placeholder="support@shop.example" onInput={(e) => set({ imapUser: e.currentTarget.value })} />
            </Field>
            <PasswordField id="mail-imap-password" label={t('mail.password')} isSet={passwordSet(cp, 'imap')} value={form.imapPassword}
              error={e('imap.password')} onInput={(v) => set({ imapPassword: v })} />
          </div>
          <div class="form-row">
            <Field label={t('mail.folder')} id="mail-imap-folder" error={e('imap.folder')}>
              <input {...described('mail-imap-folder', e('imap.folder'))} value={form.imapFolder} placeholder="INBOX" spellcheck={false}
                onInput={(e) => set({ imapFolder: e.currentTarget.value })} />
            </Field>
            <Field label={t('mail.moveTo')} id="mail-imap-move" error={e('imap.moveTo')} hint={t('mail.moveToHint')}>
              <input {...described('mail-imap-move', e('imap.moveTo'), true)} value={form.imapMoveTo} spellcheck={false}
                onInput={(e) => set({ imapMoveTo: e.currentTarget.value })} />
            </Field>
          </div>
          <div class="mail-check">
            <button type="button" class="btn" disabled={checking} onClick={test} data-testid="mail-imap-test">
              {checking ? t('mail.checking') : t('mail.imapTest')}</button>
            <CheckResult check={check} error={checkError} okText={t('mail.imapOk')} testId="mail-imap-result" />
          </div>
          {passwordSet(cp, 'imap') && <WatcherStatus id={cp.id} />}
        </>
      )}
    </fieldset>
  );
}

/** The SMTP section: the submission server replies go out through, and the test mail. */
export function SMTPSection({ cp, form, set, errors }: SectionProps) {
  const e = (k: string) => errors[k] ?? null;
  const [to, setTo] = useState('');
  const [check, setCheck] = useState<MailCheck | null>(null);
  const [sending, setSending] = useState(false);
  const [checkError, setCheckError] = useState('');
  async function send() {
    if (!to.trim()) {
      setCheckError(t('mail.toRequired'));
      return;
    }
    setSending(true);
    setCheck(null);
    setCheckError('');
    try {
      setCheck(await api.smtpTest(cp.id, to.trim(), { smtp: smtpOf(form) }));
    } catch (err) {
      setCheckError(errorText(err));
    } finally {
      setSending(false);
    }
  }
  return (
    <fieldset class="field mail-server" data-testid="mail-smtp">
      <legend>{t('mail.smtp')}</legend>
      <label class="check"><input type="checkbox" checked={form.smtpOn} onChange={(e) => set({ smtpOn: e.currentTarget.checked })} data-testid="mail-smtp-on" />
        {t('mail.smtpOn')}</label>
      {form.smtpOn && (
        <>
          <div class="form-row mail-row">
            <Field label={t('mail.host')} id="mail-smtp-host" error={e('smtp.host')}>
              <input {...described('mail-smtp-host', e('smtp.host'))} value={form.smtpHost} placeholder="smtp.yandex.ru" spellcheck={false}
                autoComplete="off" onInput={(e) => set({ smtpHost: e.currentTarget.value })} />
            </Field>
            <Field label={t('mail.security')} id="mail-smtp-security" error={e('smtp.security')}>
              <SecuritySelect id="mail-smtp-security" kind="smtp" value={form.smtpSecurity} onChange={(s) => set({ smtpSecurity: s })} />
            </Field>
            <Field label={t('mail.port')} id="mail-smtp-port" error={e('smtp.port')}>
              <input {...described('mail-smtp-port', e('smtp.port'))} class="port" value={form.smtpPort} inputMode="numeric" maxLength={5}
                placeholder={String(defaultPort('smtp', form.smtpSecurity))} onInput={(e) => set({ smtpPort: e.currentTarget.value })} />
            </Field>
          </div>
          <div class="form-row">
            <Field label={t('mail.username')} id="mail-smtp-user" error={e('smtp.username')}>
              <input {...described('mail-smtp-user', e('smtp.username'))} value={form.smtpUser} autoComplete="off" spellcheck={false}
                placeholder="support@shop.example" onInput={(e) => set({ smtpUser: e.currentTarget.value })} />
            </Field>
            <PasswordField id="mail-smtp-password" label={t('mail.password')} isSet={passwordSet(cp, 'smtp')} value={form.smtpPassword}
              error={e('smtp.password')} onInput={(v) => set({ smtpPassword: v })} />
          </div>
          <div class="mail-check">
            <label class="sr-only" for="mail-smtp-to">{t('mail.testTo')}</label>
            <input id="mail-smtp-to" type="email" value={to} placeholder={t('mail.testTo')} autoComplete="email" spellcheck={false}
              onInput={(e) => { setTo(e.currentTarget.value); setCheckError(''); }} data-testid="mail-smtp-to" />
            <button type="button" class="btn" disabled={sending} onClick={send} data-testid="mail-smtp-test">
              {sending ? t('mail.sending') : t('mail.smtpTest')}</button>
            <CheckResult check={check} error={checkError} okText={t('mail.smtpOk', { to: to.trim() })} testId="mail-smtp-result" />
          </div>
        </>
      )}
    </fieldset>
  );
}

function CheckResult({ check, error, okText, testId }: { check: MailCheck | null; error: string; okText: string; testId: string }) {
  if (error) return <p class="form-error mail-result" role="alert" data-testid={testId}>{error}</p>;
  if (!check) return null;
  return check.ok
    ? <p class="mail-result ok" role="status" data-testid={testId} data-ok="true">{okText}</p>
    : <p class="form-error mail-result" role="alert" data-testid={testId} data-ok="false">
      {check.auth_failed ? t('mail.authFailed') + ' ' : ''}<span class="server-words">{check.error}</span></p>;
}

/** The IMAP watcher's live status, read every few seconds. */
export function WatcherStatus({ id }: { id: string }) {
  const [st, setSt] = useState<IMAPStatus | null>(null);
  useEffect(() => {
    let alive = true;
    let timer = 0;
    async function look() {
      try {
        const m = await api.mailbox(id);
        if (alive) setSt(m.imap_status);
      } catch {
        // keep the last status; the next look tries again
      }
      if (alive) timer = window.setTimeout(look, 3000);
    }
    void look();
    return () => { alive = false; clearTimeout(timer); };
  }, [id]);
  if (!st) return null;
  const bad = st.phase === 'error';
  const ok = st.phase === 'idle' || st.phase === 'polling';
  return (
    <div class="mailbox-state watcher" data-testid="mail-imap-status" data-phase={st.phase} data-auth-failed={st.auth_failed ? 'true' : 'false'} aria-live="polite">
      <p class="mailbox-line">
        <span class={'tag ' + (bad ? 'tag-warn' : ok ? 'tag-ok' : '')}>{t('mail.phase.' + st.phase)}</span>
        <span class="hint">
          {ok && t(st.idle ? 'mail.idleText' : 'mail.pollingText')}
          {bad && st.auth_failed && t('mail.authFailed')}
          {bad && st.retry_at && ' ' + t('mail.retryAt', { time: new Date(st.retry_at).toLocaleTimeString() })}
        </span>
      </p>
      {bad && st.error && <p class="server-words" data-testid="mail-imap-error">{st.error}</p>}
      {st.last_success && <p class="hint">{t('mail.lastSuccess', { time: new Date(st.last_success).toLocaleString() })}</p>}
    </div>
  );
}
