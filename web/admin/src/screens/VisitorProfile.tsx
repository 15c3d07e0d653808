// The visitor profile's settings in the cabinet (docs/visitor-profile.md): whether the
// account keeps visitors' IP addresses (Настройки), and per webchat contact point how
// operators see the site's custom attributes (a label, or hidden) and the secret the site
// signs visitors' emails with (Точки контакта).

import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { ContactPoint } from '../api/types';
import { Field, described, useLoad } from '../components/ui';
import { getLang } from '../i18n';
import { errorText, placeError } from '../lib/errors';
import { showToast } from '../lib/toast';
import './visitorProfile.css';

const ru = {
  privacy: 'Данные посетителей',
  keepIPs: 'Хранить IP-адреса посетителей',
  keepIPsHint: 'Адрес показывается операторам в профиле посетителя. Выключение стирает уже сохранённые адреса. Что ещё хранится и как долго — в docs/visitor-profile.md.',
  saved: 'Сохранено',
  attrs: 'Данные сайта в профиле посетителя',
  attrsHint: 'Сайт передаёт их через Livedesk.identify({name, email, phone, …}). Здесь можно дать ключу понятное название или скрыть его от операторов.',
  key: 'Ключ',
  label: 'Название для операторов',
  hidden: 'Скрыть',
  add: 'Добавить ключ',
  remove: 'Убрать',
  secret: 'Секрет для подтверждения email',
  secretHint: 'Сайт передаёт email_signature = HMAC-SHA256(секрет, email в нижнем регистре) — такой email считается подтверждённым, и по нему находятся обращения посетителя в других точках контакта. 16–128 символов; пусто — не подтверждать.',
  generate: 'Создать секрет',
  save: 'Сохранить',
  saving: 'Сохраняем…',
  keyBad: 'Ключ: 1–64 латинских буквы, цифры, _ . -',
  secretBad: 'От 16 до 128 символов',
};

type Key = keyof typeof ru;

const en: Record<Key, string> = {
  privacy: 'Visitors\' data',
  keepIPs: 'Keep visitors\' IP addresses',
  keepIPsHint: 'Operators see the address in the visitor profile. Turning it off erases the addresses kept. What else is stored and for how long: docs/visitor-profile.md.',
  saved: 'Saved',
  attrs: 'The site\'s data in the visitor profile',
  attrsHint: 'The site passes it with Livedesk.identify({name, email, phone, …}). Give a key a name operators understand, or hide it from them.',
  key: 'Key',
  label: 'Name for operators',
  hidden: 'Hide',
  add: 'Add a key',
  remove: 'Remove',
  secret: 'Secret that verifies emails',
  secretHint: 'The site passes email_signature = HMAC-SHA256(secret, lower-case email): such an email is verified, and the visitor\'s conversations at other contact points are found by it. 16–128 characters; empty: never verified.',
  generate: 'Generate',
  save: 'Save',
  saving: 'Saving…',
  keyBad: 'Key: 1–64 Latin letters, digits, _ . -',
  secretBad: '16 to 128 characters',
};

function tv(key: Key): string {
  return (getLang() === 'en' ? en : ru)[key];
}

/** The account's privacy setting: keep visitors' IP addresses (off by default). */
export function PrivacySettings() {
  const settings = useLoad(() => api.settings());
  const [busy, setBusy] = useState(false);
  if (!settings.data) return null;
  const on = !!settings.data.keep_visitor_ips;
  async function toggle(next: boolean) {
    setBusy(true);
    try {
      settings.set(await api.updateSettings({ keep_visitor_ips: next }));
      showToast(tv('saved'));
    } catch (err) {
      showToast(errorText(err), 'error');
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="panel form" data-testid="privacy-settings">
      <h2 class="panel-title">{tv('privacy')}</h2>
      <label class="check check-block">
        <input type="checkbox" checked={on} disabled={busy} onChange={(e) => void toggle(e.currentTarget.checked)} name="keep_visitor_ips"
          data-testid="keep-visitor-ips" />
        <span><span class="check-title">{tv('keepIPs')}</span><span class="hint">{tv('keepIPsHint')}</span></span>
      </label>
    </div>
  );
}

interface Row {
  key: string;
  label: string;
  hidden: boolean;
}

const KEY_RE = /^[A-Za-z0-9_.-]{1,64}$/;

function rowsOf(cp: ContactPoint): Row[] {
  const a = (cp.settings?.attributes ?? {}) as Record<string, { label?: string; hidden?: boolean }>;
  return Object.entries(a).map(([key, v]) => ({ key, label: v?.label ?? '', hidden: !!v?.hidden }));
}

function secretOf(cp: ContactPoint): string {
  return typeof cp.settings?.identity_secret === 'string' ? cp.settings.identity_secret : '';
}

/** A random secret of 32 hex characters. */
function newSecret(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** A webchat contact point's attribute labels and hidden keys, and its identity secret. */
export function ProfileFieldsEditor({ cp, onSaved }: { cp: ContactPoint; onSaved: (cp: ContactPoint) => void }) {
  const [rows, setRows] = useState<Row[]>(() => rowsOf(cp));
  const [secret, setSecret] = useState(() => secretOf(cp));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const dirty = JSON.stringify(rows) !== JSON.stringify(rowsOf(cp)) || secret !== secretOf(cp);

  async function save(e: Event) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    rows.forEach((r, i) => { if (!KEY_RE.test(r.key.trim())) errs['key' + i] = tv('keyBad'); });
    if (secret && (secret.length < 16 || secret.length > 128)) errs.secret = tv('secretBad');
    setErrors(errs);
    setFormError('');
    if (Object.keys(errs).length) return;
    const attributes: Record<string, { label?: string; hidden?: boolean }> = {};
    for (const r of rows) attributes[r.key.trim()] = { ...(r.label.trim() ? { label: r.label.trim() } : {}), ...(r.hidden ? { hidden: true } : {}) };
    setBusy(true);
    try {
      const next = await api.updateContactPoint(cp.id, {
        settings: { attributes: rows.length ? attributes : null, identity_secret: secret || null },
      });
      onSaved(next);
      setRows(rowsOf(next));
      setSecret(secretOf(next));
      showToast(tv('saved'));
    } catch (err) {
      const { field, text } = placeError(err, { 'settings.identity_secret': 'secret' });
      if (field) setErrors({ [field]: text });
      else setFormError(text);
    } finally {
      setBusy(false);
    }
  }

  const set = (i: number, patch: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <form class="panel form" onSubmit={save} noValidate data-testid="cp-profile-fields">
      <h2 class="panel-title">{tv('attrs')}</h2>
      <p class="hint">{tv('attrsHint')}</p>
      {rows.map((r, i) => (
        <div class="attr-row" key={i}>
          <Field label={tv('key')} id={'attr-key-' + i} error={errors['key' + i]}>
            <input {...described('attr-key-' + i, errors['key' + i])} value={r.key} maxLength={64} onInput={(e) => set(i, { key: e.currentTarget.value })}
              data-testid="attr-key" />
          </Field>
          <Field label={tv('label')} id={'attr-label-' + i}>
            <input id={'attr-label-' + i} value={r.label} maxLength={60} disabled={r.hidden} onInput={(e) => set(i, { label: e.currentTarget.value })}
              data-testid="attr-label" />
          </Field>
          <label class="check attr-hidden">
            <input type="checkbox" checked={r.hidden} onChange={(e) => set(i, { hidden: e.currentTarget.checked })} data-testid="attr-hidden" />
            {tv('hidden')}
          </label>
          <button type="button" class="btn btn-small" onClick={() => setRows(rows.filter((_, j) => j !== i))}>{tv('remove')}</button>
        </div>
      ))}
      <button type="button" class="btn btn-small" onClick={() => setRows([...rows, { key: '', label: '', hidden: false }])} data-testid="attr-add">
        {tv('add')}</button>
      <Field label={tv('secret')} id="cp-identity-secret" error={errors.secret} hint={tv('secretHint')}>
        <div class="input-unit">
          <input {...described('cp-identity-secret', errors.secret, true)} value={secret} maxLength={128} autocomplete="off" spellcheck={false}
            onInput={(e) => setSecret(e.currentTarget.value)} data-testid="cp-identity-secret" />
          <button type="button" class="btn btn-small" onClick={() => setSecret(newSecret())}>{tv('generate')}</button>
        </div>
      </Field>
      {formError && <p class="form-error" role="alert">{formError}</p>}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy || !dirty} data-testid="cp-profile-save">{busy ? tv('saving') : tv('save')}</button>
      </div>
    </form>
  );
}
