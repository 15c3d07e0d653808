import { Fragment } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { type EarlierConversation, profileApi, type VisitorEdit, type VisitorProfile } from '../api/profile';
import type { ID } from '../api/types';
import type { Controller } from '../controller';
import { getLang } from '../i18n';
import { closedTime, fullTime } from '../lib/format';
import * as hist from '../state/history';
import type { ProfileEntry, ProfileStore } from '../state/profile';
import { useAppState } from '../state/store';
import { History } from './History';
import { IconArrowLeft, IconCheck, IconChat, IconClock, IconGlobe, IconMail, IconX } from './icons';
import { useNarrow } from '../lib/narrow';
import { Modal } from './Modal';
import { tp } from './visitorPanel.i18n';
import './visitorPanel.css';

/** The profile store's entry for a conversation, re-rendered on every change. */
function useEntry(store: ProfileStore, id: ID): ProfileEntry {
  const [entry, setEntry] = useState(() => store.get(id));
  useEffect(() => {
    const check = () => setEntry(store.get(id));
    check();
    return store.subscribe(check);
  }, [store, id]);
  return entry;
}

function why(err: unknown): string {
  return err instanceof ApiError || err instanceof Error ? err.message : String(err);
}

/** A page address without the scheme, for reading at a glance. */
function shortURL(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/$/, '');
}

/** The visitor's local time now: by their time zone's name, else by the offset they reported. */
export function visitorClock(now: Date, timeZone: string, offsetMinutes: number | null, lang: 'ru' | 'en'): string {
  const locale = lang === 'en' ? 'en-GB' : 'ru-RU';
  if (timeZone) {
    try {
      return now.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', timeZone });
    } catch { /* an unknown zone: the offset below */ }
  }
  if (offsetMinutes === null) return '';
  const t = new Date(now.getTime() + offsetMinutes * 60_000);
  return t.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
}

/** «UTC+3», «UTC−5:30». */
export function utcOffset(minutes: number): string {
  const sign = minutes < 0 ? '−' : '+';
  const m = Math.abs(minutes);
  return `UTC${sign}${Math.floor(m / 60)}${m % 60 ? ':' + String(m % 60).padStart(2, '0') : ''}`;
}

function useNow(everyMs: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

interface Props {
  ctl: Controller;
  store: ProfileStore;
  /** The conversation whose visitor is shown. */
  id: ID;
  /** Collapse (wide screens) or close (the phone's sheet). */
  onClose: () => void;
  /** The phone's layout: a sheet over the conversation. */
  sheet: boolean;
}

const selectMe = (s: { me: import('../api/types').Operator }) => s.me;

/**
 * The visitor profile panel right of the history (docs/visitor-profile.md): who the visitor
 * is (editable), the operators' note, where they are now and what they saw in this visit,
 * where they came from, their browser, language and local time, what the site told, the
 * mailbox of an email visitor, and their earlier conversations, each opening read-only here.
 */
export function VisitorPanel({ ctl, store, id, onClose, sheet }: Props) {
  const entry = useEntry(store, id);
  const me = useAppState(ctl.store, selectMe);
  const [other, setOther] = useState<EarlierConversation | null>(null);

  useEffect(() => setOther(null), [id]);
  // Loaded when shown, and again after a resync forgot it.
  useEffect(() => {
    if (!entry.profile && !entry.error) void store.load(id);
  }, [id, entry]);

  const p = entry.profile;
  return (
    <aside class={'vp' + (sheet ? ' vp-sheet' : '')} data-testid="visitor-panel" aria-label={tp('open')}>
      <header class="vp-head">
        {other ? (
          <button class="icon-btn" onClick={() => setOther(null)} aria-label={tp('back')} title={tp('back')} data-testid="vp-back">
            <IconArrowLeft /></button>
        ) : null}
        <h2>{other ? tp('readonly') : tp('title')}</h2>
        <button class="icon-btn" onClick={onClose} aria-label={sheet ? tp('close') : tp('collapse')} title={sheet ? tp('close') : tp('collapse')}
          data-testid="vp-close"><IconX /></button>
      </header>
      {other ? <EarlierHistory id={id} other={other} /> : !p ? (
        <div class="vp-body">
          {entry.error ? (
            <p class="vp-error">{tp('failed', { why: entry.error })}{' '}
              <button class="link-btn" onClick={() => void store.load(id)}>{tp('retry')}</button></p>
          ) : <p class="muted">{tp('loading')}</p>}
        </div>
      ) : (
        <div class="vp-body">
          <Contact ctl={ctl} store={store} id={id} p={p} />
          <Note ctl={ctl} store={store} id={id} p={p} />
          {p.channel === 'email' ? <MailBlock p={p} /> : <Where p={p} />}
          {p.attributes.length > 0 && (
            <section class="vp-sec" data-testid="vp-attributes">
              <h3>{tp('attributes')}</h3>
              <dl class="vp-kv">
                {p.attributes.map((a) => <Fragment key={a.key}><dt title={a.key}>{a.label}</dt><dd>{a.value}</dd></Fragment>)}
              </dl>
            </section>
          )}
          <Earlier items={entry.earlier ?? []} onOpen={setOther} />
          {me.role === 'admin' && <DeleteVisitor ctl={ctl} store={store} p={p} count={(entry.earlier?.length ?? 0) + 1} />}
        </div>
      )}
    </aside>
  );
}

function Contact({ ctl, store, id, p }: { ctl: Controller; store: ProfileStore; id: ID; p: VisitorProfile }) {
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState({ name: '', email: '', phone: '' });
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const v = p.visitor;
  const start = () => {
    setForm({ name: v.name, email: v.email ?? '', phone: v.phone ?? '' });
    setError('');
    setEditing(true);
  };
  const save = async (e: Event) => {
    e.preventDefault();
    const patch: VisitorEdit = {};
    if (form.name.trim() !== v.name) patch.name = form.name;
    if (form.email.trim() !== (v.email ?? '') && p.channel !== 'email') patch.email = form.email;
    if (form.phone.trim() !== (v.phone ?? '')) patch.phone = form.phone;
    setBusy(true);
    try {
      if (Object.keys(patch).length) store.setProfile(id, await profileApi.edit(id, patch));
      setEditing(false);
    } catch (err) {
      setError(tp('editFailed', { why: why(err) }));
    } finally {
      setBusy(false);
    }
  };
  const closed = ctl.state.archive.byId[id] !== undefined && !ctl.state.open.byId[id];
  if (editing) {
    return (
      <form class="vp-sec vp-form" onSubmit={save} data-testid="vp-edit-form">
        <label>{tp('name')}<input value={form.name} maxLength={100} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })}
          data-testid="vp-edit-name" /></label>
        {p.channel !== 'email' && (
          <label>{tp('email')}<input type="email" value={form.email} maxLength={254} onInput={(e) => setForm({ ...form, email: e.currentTarget.value })}
            data-testid="vp-edit-email" /></label>
        )}
        <label>{tp('phone')}<input value={form.phone} maxLength={40} onInput={(e) => setForm({ ...form, phone: e.currentTarget.value })}
          data-testid="vp-edit-phone" /></label>
        {error && <p class="form-error" role="alert">{error}</p>}
        <div class="vp-form-actions">
          <button type="button" class="btn btn-small" onClick={() => setEditing(false)}>{tp('cancel')}</button>
          <button type="submit" class="btn btn-small btn-primary" disabled={busy} data-testid="vp-edit-save">{tp('save')}</button>
        </div>
      </form>
    );
  }
  return (
    <section class="vp-sec vp-who" data-testid="vp-contact">
      <div class="vp-who-head">
        <strong class="vp-name" data-testid="vp-name">{v.display_name}</strong>
        {!closed && <button class="link-btn" onClick={start} data-testid="vp-edit">{tp('edit')}</button>}
      </div>
      <dl class="vp-kv">
        <dt>{tp('email')}</dt>
        <dd data-testid="vp-email">{v.email ? <>{v.email}{p.email_verified && (
          <span class="vp-verified" title={tp('verifiedHint')} data-testid="vp-verified"><IconCheck size={13} />{tp('verified')}</span>)}</>
          : <span class="muted">{tp('noValue')}</span>}</dd>
        <dt>{tp('phone')}</dt>
        <dd data-testid="vp-phone">{v.phone || <span class="muted">{tp('noValue')}</span>}</dd>
      </dl>
    </section>
  );
}

function Note({ ctl, store, id, p }: { ctl: Controller; store: ProfileStore; id: ID; p: VisitorProfile }) {
  const [text, setText] = useState(p.note.text);
  const [state, setState] = useState<'idle' | 'busy' | 'saved'>('idle');
  const [error, setError] = useState('');
  useEffect(() => setText(p.note.text), [p.note.text]);
  const closed = ctl.state.archive.byId[id] !== undefined && !ctl.state.open.byId[id];
  const save = async () => {
    setState('busy');
    setError('');
    try {
      store.setProfile(id, await profileApi.edit(id, { note: text }));
      setState('saved');
    } catch (err) {
      setError(tp('editFailed', { why: why(err) }));
      setState('idle');
    }
  };
  return (
    <section class="vp-sec">
      <h3>{tp('note')}</h3>
      <textarea class="vp-note" value={text} maxLength={2000} rows={3} placeholder={tp('notePlaceholder')} readOnly={closed}
        onInput={(e) => { setText(e.currentTarget.value); setState('idle'); }} data-testid="vp-note" />
      {p.note.updated_by && p.note.updated_at && (
        <p class="vp-meta">{tp('noteBy', { name: p.note.updated_by.name, when: closedTime(p.note.updated_at, getLang()) })}</p>
      )}
      {error && <p class="form-error" role="alert">{error}</p>}
      {!closed && text !== p.note.text && (
        <button class="btn btn-small" onClick={() => void save()} disabled={state === 'busy'} data-testid="vp-note-save">{tp('noteSave')}</button>
      )}
      {state === 'saved' && text === p.note.text && <p class="vp-meta vp-saved" role="status">{tp('saved')}</p>}
    </section>
  );
}

function Where({ p }: { p: VisitorProfile }) {
  const c = p.context;
  const now = useNow(30_000);
  const [allPages, setAllPages] = useState(false);
  if (!c) return <section class="vp-sec"><p class="muted">{tp('noPages')}</p></section>;
  const lang = getLang();
  const pages = [...c.pages].reverse(); // newest first
  const shown = allPages ? pages : pages.slice(0, 5);
  const device = c.device ? (tp(c.device as 'desktop') || c.device) : '';
  const browser = [c.browser.name && `${c.browser.name} ${c.browser.version.split('.')[0]}`.trim(), c.os.name && `${c.os.name} ${c.os.version}`.trim(), device]
    .filter(Boolean).join(' · ');
  const clock = visitorClock(now, c.time_zone, c.utc_offset_minutes ?? null, lang);
  const fv = c.first_visit;
  return (
    <>
      {c.page && (
        <section class="vp-sec vp-now" data-testid="vp-current-page">
          <h3><IconGlobe size={14} />{tp('nowOn')}</h3>
          <a href={c.page.url} target="_blank" rel="noopener noreferrer" class="vp-page-title" data-testid="vp-current-title">
            {c.page.title || shortURL(c.page.url)}</a>
          <span class="vp-url" title={c.page.url}>{shortURL(c.page.url)}</span>
        </section>
      )}
      {pages.length > 0 && (
        <section class="vp-sec">
          <h3>{tp('pages', { n: pages.length })}</h3>
          <ol class="vp-pages" data-testid="vp-pages">
            {shown.map((pg) => (
              <li key={pg.at + pg.url}>
                <time>{new Date(pg.at).toLocaleTimeString(lang === 'en' ? 'en-GB' : 'ru-RU', { hour: '2-digit', minute: '2-digit' })}</time>
                <a href={pg.url} target="_blank" rel="noopener noreferrer" title={pg.url}>{pg.title || shortURL(pg.url)}</a>
              </li>
            ))}
          </ol>
          {pages.length > 5 && !allPages && <button class="link-btn" onClick={() => setAllPages(true)}>+{pages.length - 5}</button>}
        </section>
      )}
      <section class="vp-sec">
        <dl class="vp-kv">
          {browser && <><dt>{tp('device')}</dt><dd data-testid="vp-browser" title={c.user_agent}>{browser}</dd></>}
          {c.screen && <><dt>{tp('screen')}</dt><dd>{c.screen.width} × {c.screen.height}</dd></>}
          {c.language && <><dt>{tp('language')}</dt><dd data-testid="vp-language">{c.language}</dd></>}
          {clock && <><dt>{tp('localTime')}</dt><dd data-testid="vp-local-time"><IconClock size={13} /> {clock}
            {c.utc_offset_minutes !== null && c.utc_offset_minutes !== undefined && <span class="muted"> ({utcOffset(c.utc_offset_minutes)})</span>}</dd></>}
          {c.time_zone && <><dt>{tp('timeZone')}</dt><dd>{c.time_zone}</dd></>}
          {c.ip && <><dt>{tp('ip')}</dt><dd data-testid="vp-ip">{c.ip}</dd></>}
        </dl>
      </section>
      {fv && (
        <section class="vp-sec" data-testid="vp-source">
          <h3>{tp('source')}</h3>
          <dl class="vp-kv">
            <dt>{tp('referrer')}</dt><dd>{fv.referrer ? <span title={fv.referrer}>{shortURL(fv.referrer)}</span> : <span class="muted">{tp('direct')}</span>}</dd>
            {fv.landing && <><dt>{tp('landing')}</dt><dd title={fv.landing}>{shortURL(fv.landing)}</dd></>}
            {Object.entries(fv.utm ?? {}).map(([k, v]) => <Fragment key={k}><dt>{k}</dt><dd data-testid={'vp-' + k}>{v}</dd></Fragment>)}
            <dt>{tp('firstAt')}</dt><dd>{fullTime(fv.at, lang)}</dd>
          </dl>
        </section>
      )}
    </>
  );
}

function MailBlock({ p }: { p: VisitorProfile }) {
  return (
    <section class="vp-sec" data-testid="vp-mail">
      <h3><IconMail size={14} />{tp('mail')}</h3>
      <dl class="vp-kv">
        <dt>{tp('email')}</dt><dd>{p.visitor.email}</dd>
        {p.mailbox && <><dt>{tp('mailbox')}</dt><dd data-testid="vp-mailbox">{p.mailbox.name}{p.mailbox.address ? ` · ${p.mailbox.address}` : ''}</dd></>}
      </dl>
    </section>
  );
}

function Earlier({ items, onOpen }: { items: EarlierConversation[]; onOpen: (c: EarlierConversation) => void }) {
  const lang = getLang();
  return (
    <section class="vp-sec" data-testid="vp-earlier">
      <h3>{tp('earlier', { n: items.length })}</h3>
      {items.length === 0 ? <p class="muted vp-meta">{tp('noEarlier')}</p> : (
        <ul class="vp-earlier">
          {items.map((c) => (
            <li key={c.id}>
              <button class="vp-earlier-item" onClick={() => onOpen(c)} data-testid="vp-earlier-item" data-conversation={c.id}>
                <span class="vp-earlier-top">
                  {c.channel === 'email' ? <IconMail size={13} /> : <IconChat size={13} />}
                  <time>{closedTime(c.closed_at ?? c.created_at, lang)}</time>
                  <span class="tag tag-cat">{c.state === 'closed' ? (c.category?.name ?? tp('noCategory')) : tp(c.state === 'queued' ? 'queued_state' : 'open_state')}</span>
                </span>
                <span class="vp-earlier-line">{c.first_line || '—'}</span>
                <span class="vp-meta">{[c.operator?.name, c.same_visitor ? '' : tp('otherPoint') + ' · ' + c.contact_point.name].filter(Boolean).join(' · ')}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** An earlier conversation's history, read-only, beside the current one. */
function EarlierHistory({ id, other }: { id: ID; other: EarlierConversation }) {
  const [h, setH] = useState<hist.History>(hist.emptyHistory);
  const [error, setError] = useState('');
  const load = useCallback(async (before: string | null) => {
    try {
      const page = await profileApi.earlierMessages(id, other.id, before);
      setH((cur) => hist.addPage(cur, page.items, page.next_cursor));
    } catch (err) {
      setError(why(err));
    }
  }, [id, other.id]);
  useEffect(() => {
    setH(hist.emptyHistory);
    void load(null);
  }, [id, other.id]);
  const lang = getLang();
  return (
    <div class="vp-history" data-testid="vp-earlier-history" data-conversation={other.id}>
      <p class="vp-history-head">
        {fullTime(other.created_at, lang)} · {other.contact_point.name}
        {other.category && <> · <span class="tag tag-cat">{other.category.name}</span></>}
        {other.operator && <> · {other.operator.name}</>}
      </p>
      {error ? <p class="vp-error">{error}</p> : (
        <History messages={h.messages} loaded={h.loaded} hasOlder={!!h.before} typing={false}
          onLoadOlder={() => load(h.before)} onQuote={() => {}} onRetry={() => {}} canQuote={false} sendCount={0} />
      )}
    </div>
  );
}

function DeleteVisitor({ ctl, store, p, count }: { ctl: Controller; store: ProfileStore; p: VisitorProfile; count: number }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const run = async () => {
    setBusy(true);
    try {
      const r = await profileApi.deleteVisitor(p.visitor.id);
      store.forget(r.conversation_ids);
      ctl.dispatch({ type: 'notice', tone: 'success', key: 'raw', params: { text: tp('deleted', { n: r.conversation_ids.length }) } });
      setAsking(false);
    } catch (err) {
      setError(tp('deleteFailed', { why: why(err) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="vp-sec vp-danger">
      <button class="btn btn-small vp-delete" onClick={() => { setError(''); setAsking(true); }} data-testid="vp-delete">{tp('delete')}</button>
      {asking && (
        <Modal title={tp('deleteTitle')} onClose={() => setAsking(false)} testId="vp-delete-dialog" footer={<>
          <button class="btn" onClick={() => setAsking(false)}>{tp('cancel')}</button>
          <button class="btn btn-danger" onClick={() => void run()} disabled={busy} data-testid="vp-delete-confirm">{tp('deleteConfirm')}</button>
        </>}>
          <p>{tp('deleteText', { n: count })}</p>
          <p><strong>{p.visitor.display_name}</strong>{p.visitor.email ? ` · ${p.visitor.email}` : ''}</p>
          {error && <p class="form-error" role="alert">{error}</p>}
        </Modal>
      )}
    </section>
  );
}

/** Re-renders on every change of the profile store (the panel's open state included). */
function useProfileStore(store: ProfileStore): number {
  const [n, setN] = useState(0);
  useEffect(() => store.subscribe(() => setN((x) => x + 1)), [store]);
  return n;
}

/**
 * The header's button that opens and closes the profile: the panel on a wide screen (the
 * choice is remembered per operator), the sheet on a phone.
 */
export function ProfileToggle({ ctl }: { ctl: Controller }) {
  const store = ctl.profiles;
  useProfileStore(store);
  const narrow = useNarrow();
  const open = narrow ? store.sheetOpen : store.panelOpen;
  return (
    <button class={'icon-btn vp-toggle' + (open ? ' active' : '')} aria-pressed={open} aria-label={tp('open')} title={tp('open')}
      data-testid="profile-toggle" onClick={() => { if (narrow) store.sheetOpen = !open; else store.panelOpen = !open; }}>
      <IconPerson /></button>
  );
}

/** Where the panel goes: right of the conversation (wide), or a sheet over it (phone). */
export function ProfileSlot({ ctl, id }: { ctl: Controller; id: ID }) {
  const store = ctl.profiles;
  useProfileStore(store);
  const narrow = useNarrow();
  // A phone's sheet belongs to the conversation it was opened on.
  useEffect(() => () => { store.sheetOpen = false; }, [id]);
  if (narrow ? !store.sheetOpen : !store.panelOpen) return null;
  return <VisitorPanel ctl={ctl} store={store} id={id} sheet={narrow}
    onClose={() => { if (narrow) store.sheetOpen = false; else store.panelOpen = false; }} />;
}

function IconPerson({ size = 20 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"
      stroke-linejoin="round" aria-hidden="true"><circle cx="12" cy="8" r="4" /><path d="M4.5 20a7.5 7.5 0 0115 0" /></svg>
  );
}
