import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Channel, ContactPoint, MailboxState } from '../api/types';
import { ChatIcon, MailIcon } from '../components/icons';
import { Empty, Field, LoadError, Loading, Modal, PageHead, described, useLoad } from '../components/ui';
import { t } from '../i18n';
import { errorText, placeError } from '../lib/errors';
import { COLOR_RE, parseOrigins, validateAddress } from '../lib/forms';
import { showToast } from '../lib/toast';
import { IMAPSection, MAIL_FIELDS, type MailForm, SMTPSection, checkMailForm, imapOf, mailFormOf, smtpOf } from './MailServers';
import { FOLLOWUP_FIELDS, type FollowupForm, FollowupSection, checkFollowupForm, followupFormOf, followupOf, mailboxesOf } from './Followup';
import { ProfileFieldsEditor } from './VisitorProfile';

const DEFAULT_COLOR = '#2563eb';

/** The embed snippet of a webchat contact point. */
export function snippet(origin: string, key: string): string {
  return `<script src="${origin}/widget.js?key=${encodeURIComponent(key)}" async></script>`;
}

/** Contact points: the list; a webchat one's widget appearance and snippet, an email one's mailbox. */
export function ContactPoints({ selected, select }: { selected: string; select: (id: string) => void }) {
  const points = useLoad(() => api.contactPoints().then((r) => r.items));
  const [creating, setCreating] = useState(false);
  const list = points.data ?? [];
  const current = list.find((p) => p.id === selected) ?? null;

  function saved(cp: ContactPoint) {
    points.set(list.some((p) => p.id === cp.id) ? list.map((p) => (p.id === cp.id ? cp : p)) : [...list, cp]);
  }

  return (
    <section data-testid="screen-contact-points">
      <PageHead title={t('nav.contact-points')} intro={t('cp.intro')}>
        <button type="button" class="btn btn-primary" onClick={() => setCreating(true)} data-testid="cp-new">{t('cp.add')}</button>
      </PageHead>
      {points.loading && !points.data && <Loading />}
      {points.error != null && !points.data && <LoadError error={points.error} retry={points.reload} />}
      {points.data && (list.length === 0 ? <Empty title={t('cp.empty')}>{t('cp.emptyHint')}</Empty> : (
        <div class="master-detail">
          <ul class="cp-list" aria-label={t('nav.contact-points')}>
            {list.map((p) => (
              <li key={p.id}>
                <button type="button" class={'cp-item' + (p.id === selected ? ' active' : '')} aria-current={p.id === selected ? 'true' : undefined}
                  onClick={() => select(p.id)} data-testid="cp-item">
                  <span class={'cp-swatch cp-swatch-' + p.channel} aria-hidden="true"
                    style={p.channel === 'webchat' ? { background: p.settings?.color || DEFAULT_COLOR } : undefined}>
                    {p.channel === 'email' ? <MailIcon /> : <ChatIcon />}
                  </span>
                  <span class="cp-item-text">
                    <span class="cell-strong">{p.name}</span>
                    <span class="cell-sub">{p.channel === 'email' && p.settings?.address ? p.settings.address : t('channel.' + p.channel)}</span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <div class="detail">
            {!current && <Empty title={selected ? t('cp.notFound') : t('cp.pick')}>{t('cp.pickHint')}</Empty>}
            {current && current.channel === 'email' && <EmailEditor key={current.id} cp={current} onSaved={saved} />}
            {current && current.channel === 'webchat' && <WidgetEditor key={current.id} cp={current} onSaved={saved} mailboxes={mailboxesOf(list)} />}
            {current && current.channel === 'webchat' && <ProfileFieldsEditor key={'profile-' + current.id} cp={current} onSaved={saved} />}
          </div>
        </div>
      ))}
      {creating && <CreateDialog onClose={() => setCreating(false)} onCreated={(cp) => { saved(cp); select(cp.id); }} />}
    </section>
  );
}

const CHANNELS: Channel[] = ['webchat', 'email'];

/** Where server refusals about a contact point go in its forms. */
const CP_FIELDS = {
  name: 'name',
  'settings.address': 'address',
  'settings.color': 'color',
  'settings.title': 'title',
  'settings.greeting': 'greeting',
  'settings.allowed_origins': 'origins',
};

function CreateDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (cp: ContactPoint) => void }) {
  const [channel, setChannel] = useState<Channel>('webchat');
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const email = channel === 'email';

  async function submit(e: Event) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!name.trim()) errs.name = t('form.required');
    const bad = email ? validateAddress(address) : null;
    if (bad) errs.address = t(bad);
    setErrors(errs);
    setFormError('');
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const cp = await api.createContactPoint(name.trim(), channel, email ? { address: address.trim() } : {});
      showToast(t('cp.created', { name: cp.name }));
      onCreated(cp);
      onClose();
    } catch (err) {
      const { field, text } = placeError(err, CP_FIELDS);
      if (field === 'name' || (field === 'address' && email)) setErrors({ [field]: text });
      else setFormError(text);
      setBusy(false);
    }
  }

  return (
    <Modal title={t('cp.add')} onClose={onClose} testId="cp-dialog">
      <form class="form" onSubmit={submit} noValidate>
        <fieldset class="field">
          <legend>{t('cp.channel')}</legend>
          <div class="channel-options">
            {CHANNELS.map((c) => (
              <label key={c} class={'channel-option' + (channel === c ? ' active' : '')}>
                <input type="radio" name="cp-channel" value={c} checked={channel === c}
                  aria-describedby={'cp-channel-' + c + '-hint'}
                  onChange={() => { setChannel(c); setErrors({}); setFormError(''); }} data-testid={'cp-channel-' + c} />
                <span class={'cp-swatch cp-swatch-' + c} aria-hidden="true">{c === 'email' ? <MailIcon /> : <ChatIcon />}</span>
                <span class="channel-text">
                  <span class="check-title">{t('channel.' + c)}</span>
                  {/* Read as the radio's description, not as part of its name. */}
                  <span class="hint" id={'cp-channel-' + c + '-hint'} aria-hidden="true">{t(c === 'email' ? 'cp.channelEmailHint' : 'cp.channelWebchatHint')}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <Field label={t('cp.name')} id="cp-new-name" error={errors.name} hint={t(email ? 'cp.nameEmailHint' : 'cp.nameHint')}>
          <input {...described('cp-new-name', errors.name, true)} value={name} maxLength={200}
            onInput={(e) => { setName(e.currentTarget.value); setErrors({ ...errors, name: '' }); }} />
        </Field>
        {email && (
          <Field label={t('cp.address')} id="cp-new-address" error={errors.address} hint={t('cp.addressHint')}>
            <input {...described('cp-new-address', errors.address, true)} type="email" value={address} maxLength={254} autoComplete="off" spellcheck={false}
              placeholder="support@shop.example" onInput={(e) => { setAddress(e.currentTarget.value); setErrors({ ...errors, address: '' }); }} />
          </Field>
        )}
        {formError && <p class="form-error" role="alert">{formError}</p>}
        <div class="form-actions">
          <button type="button" class="btn" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="cp-create">{busy ? t('common.saving') : t('common.create')}</button>
        </div>
      </form>
    </Modal>
  );
}

function addressOf(cp: ContactPoint): string {
  return typeof cp.settings?.address === 'string' ? cp.settings.address : '';
}

/** An email contact point: its name and mailbox address, and how mail reaches it and leaves it. */
function EmailEditor({ cp, onSaved }: { cp: ContactPoint; onSaved: (cp: ContactPoint) => void }) {
  const [name, setName] = useState(cp.name);
  const [address, setAddress] = useState(addressOf(cp));
  const [mail, setMail] = useState<MailForm>(() => mailFormOf(cp));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const saved = addressOf(cp);
  const dirty = name !== cp.name || address.trim() !== saved || JSON.stringify(mail) !== JSON.stringify(mailFormOf(cp));

  function reset() {
    setName(cp.name);
    setAddress(saved);
    setMail(mailFormOf(cp));
    setErrors({});
    setFormError('');
  }

  function setMailPart(patch: Partial<MailForm>) {
    setMail({ ...mail, ...patch });
    const next = { ...errors };
    for (const k of Object.keys(patch)) {
      const m = /^(imap|smtp)([A-Z].*)$/.exec(k);
      if (m) delete next[m[1] + '.' + m[2].charAt(0).toLowerCase() + m[2].slice(1)];
    }
    setErrors(next);
  }

  async function save(e: Event) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!name.trim()) errs.name = t('form.required');
    const bad = validateAddress(address);
    if (bad) errs.address = t(bad);
    for (const [k, v] of Object.entries(checkMailForm(mail))) errs[k] = t(v);
    setErrors(errs);
    setFormError('');
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const next = await api.updateContactPoint(cp.id, { name: name.trim(),
        settings: { address: address.trim(), imap: imapOf(mail), smtp: smtpOf(mail) } });
      onSaved(next);
      setName(next.name);
      setAddress(addressOf(next));
      setMail(mailFormOf(next));
      showToast(t('cp.saved', { name: next.name }));
    } catch (err) {
      const { field, text } = placeError(err, { ...CP_FIELDS, ...MAIL_FIELDS });
      if (field) setErrors({ [field]: text });
      else setFormError(text);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="panel widget-editor" onSubmit={save} noValidate data-testid="cp-email">
      <div class="editor-grid">
        <div class="editor-fields">
          <h2 class="panel-title">{cp.name} <span class="tag">{t('channel.email')}</span></h2>
          <Field label={t('cp.name')} id="cp-name" error={errors.name} hint={t('cp.nameEmailHint')}>
            <input {...described('cp-name', errors.name, true)} value={name} maxLength={200}
              onInput={(e) => { setName(e.currentTarget.value); setErrors({ ...errors, name: '' }); }} />
          </Field>
          <Field label={t('cp.address')} id="cp-address" error={errors.address} hint={saved ? t('cp.addressHint') : t('cp.noAddress')}>
            <input {...described('cp-address', errors.address, true)} type="email" value={address} maxLength={254} autoComplete="off" spellcheck={false}
              placeholder="support@shop.example" onInput={(e) => { setAddress(e.currentTarget.value); setErrors({ ...errors, address: '' }); }} />
          </Field>
          {saved && <MailboxConfirmation key={cp.id + ' ' + saved} id={cp.id} />}
          <IMAPSection cp={cp} form={mail} set={setMailPart} errors={errors} />
          <SMTPSection cp={cp} form={mail} set={setMailPart} errors={errors} />
        </div>
        <aside class="editor-side mail-how" data-testid="cp-mail-how">
          <h3 class="side-title">{t('cp.mailHow')}</h3>
          <ul class="mail-steps">
            <li><span class="check-title">{t('cp.mailIn')}</span>{withOptions(t('cp.mailInText'))}</li>
            <li><span class="check-title">{t('cp.mailOut')}</span>{withOptions(t('cp.mailOutText'))}</li>
            <li><span class="check-title">{t('cp.mailWait')}</span>{t('cp.mailWaitText')}</li>
          </ul>
          <p class="hint hint-top">{t('cp.mailAdmin')} {t('cp.mailNoWidget')}</p>
        </aside>
      </div>
      {formError && <p class="form-error" role="alert">{formError}</p>}
      <div class="form-actions sticky-actions">
        {dirty && <span class="muted small">{t('common.unsaved')}</span>}
        <button type="button" class="btn" disabled={!dirty || busy} onClick={reset}>{t('common.reset')}</button>
        <button type="submit" class="btn btn-primary" disabled={busy || !dirty} data-testid="cp-save">{busy ? t('common.saving') : t('common.save')}</button>
      </div>
    </form>
  );
}

/**
 * Whether the mailbox's address is confirmed: replies use it as the sender only then (until
 * then they come from the platform address with Reply-To it). The admin enters the code
 * mailed to the address, or asks for a new one.
 */
function MailboxConfirmation({ id }: { id: string }) {
  const state = useLoad(() => api.mailbox(id));
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const m = state.data;
  if (state.loading && !m) return null;
  if (!m) return <p class="form-error" role="alert">{errorText(state.error)}</p>;

  async function run(fn: () => Promise<MailboxState>, done?: string) {
    setBusy(true);
    setError('');
    try {
      state.set(await fn());
      if (done) showToast(done);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  function confirm() {
    if (!code.trim()) {
      setError(t('mailbox.codeRequired'));
      return;
    }
    void run(() => api.confirmMailbox(id, code.trim()), t('mailbox.confirmed', { address: m!.address })).then(() => setCode(''));
  }

  const verified = !!m.verified_at;
  return (
    <div class="mailbox-state" data-testid="mailbox-state" data-state={verified ? 'verified' : 'unverified'}>
      <p class="mailbox-line">
        <span class={verified ? 'tag tag-ok' : 'tag tag-warn'}>{verified ? t('mailbox.verified') : t('mailbox.unverified')}</span>
        <span class="hint">{verified ? t('mailbox.verifiedText') : t('mailbox.unverifiedText')}</span>
      </p>
      {!verified && (
        <>
          <p class="hint" data-testid="mailbox-sent">
            {m.confirmation_error ? t('mailbox.notSent', { error: m.confirmation_error })
              : m.confirmation_sent_at ? t('mailbox.sent', { address: m.address, time: new Date(m.confirmation_sent_at).toLocaleString() })
              : t('mailbox.waiting')}
          </p>
          <div class="mailbox-code">
            <label for="mailbox-code">{t('mailbox.code')}</label>
            <input id="mailbox-code" value={code} maxLength={20} inputMode="numeric" autoComplete="one-time-code" placeholder="1234-5678"
              aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'mailbox-code-error' : undefined}
              onInput={(e) => { setCode(e.currentTarget.value); setError(''); }}
              onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); confirm(); } }} />
            <button type="button" class="btn btn-primary" disabled={busy} onClick={confirm} data-testid="mailbox-confirm">{t('mailbox.confirm')}</button>
            <button type="button" class="btn" disabled={busy} onClick={() => void run(() => api.resendMailboxCode(id), t('mailbox.resent'))} data-testid="mailbox-resend">
              {t('mailbox.resend')}
            </button>
          </div>
          {error && <p class="form-error" id="mailbox-code-error" role="alert">{error}</p>}
        </>
      )}
    </div>
  );
}

/** Server options (--smtp-listen) in a text as unbreakable code. */
export function withOptions(text: string) {
  return text.split(/(--[a-z][a-z-]*)/).map((part, i) => (i % 2 ? <code key={i} class="opt">{part}</code> : part));
}

interface WidgetForm extends FollowupForm {
  name: string;
  color: string;
  title: string;
  greeting: string;
  position: 'left' | 'right';
  ask_email: boolean;
  ask_phone: boolean;
  origins: string;
}

function formOf(cp: ContactPoint): WidgetForm {
  const s = cp.settings ?? {};
  return {
    name: cp.name,
    color: typeof s.color === 'string' && COLOR_RE.test(s.color) ? s.color : DEFAULT_COLOR,
    title: typeof s.title === 'string' ? s.title : '',
    greeting: typeof s.greeting === 'string' ? s.greeting : '',
    position: s.position === 'left' ? 'left' : 'right',
    ask_email: s.ask_email === true,
    ask_phone: s.ask_phone === true,
    origins: Array.isArray(s.allowed_origins) ? s.allowed_origins.join('\n') : '',
    ...followupFormOf(cp),
  };
}

function WidgetEditor({ cp, onSaved, mailboxes }: { cp: ContactPoint; onSaved: (cp: ContactPoint) => void; mailboxes: ContactPoint[] }) {
  const [form, setForm] = useState<WidgetForm>(() => formOf(cp));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);
  const code = snippet(location.origin, cp.key);
  const dirty = JSON.stringify(form) !== JSON.stringify(formOf(cp));

  function set<K extends keyof WidgetForm>(k: K, v: WidgetForm[K]) {
    setForm({ ...form, [k]: v });
    if (errors[k]) setErrors({ ...errors, [k]: '' });
  }

  async function save(e: Event) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!form.name.trim()) errs.name = t('form.required');
    if (!COLOR_RE.test(form.color)) errs.color = t('cp.colorBad');
    const { origins, bad } = parseOrigins(form.origins);
    if (bad.length) errs.origins = t('cp.originsBadList', { list: bad.join(', ') });
    if (origins.length > 50) errs.origins = t('cp.originsMany');
    for (const [k, v] of Object.entries(checkFollowupForm(form, mailboxes))) errs[k] = t(v);
    setErrors(errs);
    setFormError('');
    if (Object.values(errs).some(Boolean)) return;
    setBusy(true);
    try {
      const next = await api.updateContactPoint(cp.id, {
        name: form.name.trim(),
        settings: {
          color: form.color.toLowerCase(),
          title: form.title.trim() || null,
          greeting: form.greeting.trim() || null,
          position: form.position,
          ask_email: form.ask_email,
          ask_phone: form.ask_phone,
          allowed_origins: origins.length ? origins : null,
          email_followup: followupOf(form),
        },
      });
      onSaved(next);
      setForm(formOf(next));
      showToast(t('cp.saved', { name: next.name }));
    } catch (err) {
      const { field, text } = placeError(err, { ...CP_FIELDS, ...FOLLOWUP_FIELDS });
      if (field && field !== 'address') setErrors({ [field]: text });
      else setFormError(text);
    } finally {
      setBusy(false);
    }
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(code);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // No clipboard (plain http): select the text so Ctrl+C copies it.
      const el = document.getElementById('cp-snippet') as HTMLTextAreaElement | null;
      el?.focus();
      el?.select();
      showToast(t('cp.copyManual'));
    }
  }

  return (
    <form class="panel widget-editor" onSubmit={save} noValidate data-testid="cp-editor">
      <div class="editor-grid">
        <div class="editor-fields">
          <Field label={t('cp.name')} id="cp-name" error={errors.name}>
            <input {...described('cp-name', errors.name)} value={form.name} maxLength={200} onInput={(e) => set('name', e.currentTarget.value)} />
          </Field>
          <div class="form-row">
            <Field label={t('cp.color')} id="cp-color" error={errors.color}>
              <div class="color-row">
                <input type="color" id="cp-color" value={COLOR_RE.test(form.color) ? form.color : DEFAULT_COLOR} aria-label={t('cp.color')}
                  onInput={(e) => set('color', e.currentTarget.value)} data-testid="cp-color" />
                <input type="text" class="color-text" value={form.color} maxLength={7} aria-label={t('cp.colorHex')} spellcheck={false}
                  aria-invalid={errors.color ? true : undefined} onInput={(e) => set('color', e.currentTarget.value.trim())} data-testid="cp-color-text" />
              </div>
            </Field>
            <fieldset class="field">
              <legend>{t('cp.position')}</legend>
              <div class="radio-row">
                {(['left', 'right'] as const).map((p) => (
                  <label key={p} class="radio"><input type="radio" name="cp-position" value={p} checked={form.position === p}
                    onChange={() => set('position', p)} />{t('cp.position.' + p)}</label>
                ))}
              </div>
            </fieldset>
          </div>
          <Field label={t('cp.title')} id="cp-title" error={errors.title} hint={t('cp.titleHint')}>
            <input {...described('cp-title', errors.title, true)} value={form.title} maxLength={60} placeholder={t('cp.titleDefault')}
              onInput={(e) => set('title', e.currentTarget.value)} />
          </Field>
          <Field label={t('cp.greeting')} id="cp-greeting" error={errors.greeting} hint={t('cp.greetingHint')}>
            <textarea id="cp-greeting" rows={3} value={form.greeting} maxLength={500} placeholder={t('cp.greetingDefault')}
              onInput={(e) => set('greeting', e.currentTarget.value)} />
          </Field>
          <fieldset class="field">
            <legend>{t('cp.ask')}</legend>
            <p class="hint hint-top">{t('cp.askHint')}</p>
            <label class="check"><input type="checkbox" checked disabled />{t('cp.askName')}</label>
            <label class="check"><input type="checkbox" checked={form.ask_email} onChange={(e) => set('ask_email', e.currentTarget.checked)} />{t('cp.askEmail')}</label>
            <label class="check"><input type="checkbox" checked={form.ask_phone} onChange={(e) => set('ask_phone', e.currentTarget.checked)} />{t('cp.askPhone')}</label>
          </fieldset>
          <FollowupSection form={form} boxes={mailboxes} askEmail={form.ask_email} errors={errors}
            set={(patch) => {
              setForm({ ...form, ...patch });
              const next = { ...errors };
              for (const k of Object.keys(patch)) delete next[k];
              setErrors(next);
            }} />
          <Field label={t('cp.origins')} id="cp-origins" error={errors.origins} hint={t('cp.originsHint')}>
            <textarea id="cp-origins" rows={3} value={form.origins} placeholder="https://shop.example&#10;https://*.shop.example" spellcheck={false}
              aria-invalid={errors.origins ? true : undefined} onInput={(e) => set('origins', e.currentTarget.value)} />
          </Field>
        </div>
        <aside class="editor-side">
          <h3 class="side-title">{t('cp.preview')}</h3>
          <Preview form={form} />
          <h3 class="side-title">{t('cp.snippet')}</h3>
          <p class="hint hint-top">{t('cp.snippetHint')}</p>
          <textarea id="cp-snippet" class="snippet" readOnly rows={3} value={code} data-testid="cp-snippet" aria-label={t('cp.snippet')}
            onFocus={(e) => e.currentTarget.select()} />
          <button type="button" class="btn btn-small" onClick={copy} data-testid="cp-copy">{copied ? t('cp.copied') : t('cp.copy')}</button>
        </aside>
      </div>
      {formError && <p class="form-error" role="alert">{formError}</p>}
      <div class="form-actions sticky-actions">
        {dirty && <span class="muted small">{t('common.unsaved')}</span>}
        <button type="button" class="btn" disabled={!dirty || busy} onClick={() => { setForm(formOf(cp)); setErrors({}); setFormError(''); }}>{t('common.reset')}</button>
        <button type="submit" class="btn btn-primary" disabled={busy || !dirty} data-testid="cp-save">{busy ? t('common.saving') : t('common.save')}</button>
      </div>
    </form>
  );
}

/** A small picture of a page with the launcher and the open chat window in the chosen colour and corner. */
function Preview({ form }: { form: WidgetForm }) {
  const color = COLOR_RE.test(form.color) ? form.color : DEFAULT_COLOR;
  return (
    <div class={'preview preview-' + form.position} data-testid="cp-preview" data-position={form.position} style={{ '--w': color }} aria-hidden="true">
      <div class="preview-page"><span /><span /><span class="short" /></div>
      <div class="preview-window">
        <div class="preview-head">{form.title.trim() || t('cp.titleDefault')}</div>
        <div class="preview-body"><div class="preview-bubble">{form.greeting.trim() || t('cp.greetingDefault')}</div></div>
      </div>
      <div class="preview-launcher" data-testid="cp-launcher" />
    </div>
  );
}
