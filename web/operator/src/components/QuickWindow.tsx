import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { QuickMessage } from '../api/types';
import { errorText } from '../controller';
import { t } from '../i18n';
import { type Segment, categoryOf, highlight, insertAt } from '../state/quick';
import type { QuickCache } from '../state/quickStore';
import { formatHotkey } from '../state/quickHotkeys';
import { IconSearch, IconX } from './icons';
import { QuickHotkey } from './QuickHotkey';

/** At most this many rows are in the DOM; a narrower search shows the rest. */
const MAX_ROWS = 200;

/** Placeholders shown as what they become: «имя посетителя», «ваше имя». */
function withTokens(text: string) {
  return text.split(/(\{visitor_name\}|\{operator_name\})/).map((part) => (
    part === '{visitor_name}' || part === '{operator_name}'
      ? <span class="ph" title={part}>{t(part === '{visitor_name}' ? 'quick.phVisitor' : 'quick.phOperator')}</span>
      : part));
}

/** Text with the matched parts marked (and placeholders as tokens). */
export function Marked({ segs }: { segs: Segment[] }) {
  return <>{segs.map((s) => (s.hit ? <mark>{withTokens(s.text)}</mark> : withTokens(s.text)))}</>;
}

/** Subscribes to the cache; returns a number that changes whenever it does. */
export function useQuickVersion(cache: QuickCache): number {
  const [v, setV] = useState(0);
  useEffect(() => cache.subscribe(() => setV((n) => n + 1)), [cache]);
  return v;
}

type Pane = { kind: 'view' } | { kind: 'new' } | { kind: 'edit'; id: string };

interface Props {
  cache: QuickCache;
  onPick: (m: QuickMessage) => void;
  onClose: () => void;
}

/**
 * The quick-message window above the composer: category filter, search as you type (from 2
 * characters), the list with matches marked, and on the right the message with Вставить, the
 * editor of personal messages and the hotkey. ↓/↑ move, Enter or a double click inserts, Esc closes.
 */
export function QuickWindow({ cache, onPick, onClose }: Props) {
  const version = useQuickVersion(cache);
  const [q, setQ] = useState('');
  const [category, setCategory] = useState('');
  const [found, setFound] = useState<QuickMessage[] | null>(() => cache.searchLocal('', ''));
  const [activeId, setActiveId] = useState<string | null>(null);
  const [pane, setPane] = useState<Pane>({ kind: 'view' });
  const root = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => { search.current?.focus(); }, []);

  // The results: at once from the cache, or from the server when the cache is not complete.
  useEffect(() => {
    const local = cache.searchLocal(q, category);
    if (local) { setFound(local); return; }
    let live = true;
    const timer = setTimeout(() => {
      cache.search(q, category).then((r) => { if (live) setFound(r); }, () => { if (live) setFound([]); });
    }, 120);
    return () => { live = false; clearTimeout(timer); };
  }, [q, category, version]);

  const rows = useMemo(() => (found ?? []).slice(0, MAX_ROWS), [found]);
  // The active row stays on its message while the list changes, else goes to the first.
  useEffect(() => {
    if (!rows.some((m) => m.id === activeId)) setActiveId(rows[0]?.id ?? null);
  }, [rows]);
  useEffect(() => {
    list.current?.querySelector('[aria-selected=true]')?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);

  // A click outside (but not on the button that toggles the window) closes it.
  useEffect(() => {
    const away = (e: MouseEvent) => {
      const el = e.target as HTMLElement;
      if (!root.current?.contains(el) && !el.closest?.('[data-testid=quick-button]')) onClose();
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, []);

  const active = rows.find((m) => m.id === activeId) ?? null;

  function move(delta: number) {
    if (!rows.length) return;
    const i = rows.findIndex((m) => m.id === activeId);
    const next = i < 0 ? 0 : Math.max(0, Math.min(rows.length - 1, i + delta));
    setActiveId(rows[next].id);
    if (pane.kind !== 'view') setPane({ kind: 'view' });
  }

  function onKeyDown(e: KeyboardEvent) {
    const el = e.target as HTMLElement;
    const inEditor = !!el.closest?.('.quick-side');
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      if (inEditor && pane.kind !== 'view') { setPane({ kind: 'view' }); search.current?.focus(); }
      else onClose();
      return;
    }
    if (inEditor || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') { e.preventDefault(); move(e.key === 'ArrowDown' ? 1 : -1); }
    else if (e.key === 'PageDown' || e.key === 'PageUp') { e.preventDefault(); move(e.key === 'PageDown' ? 8 : -8); }
    else if (e.key === 'Enter' && !e.isComposing && el.tagName !== 'BUTTON' && el.tagName !== 'SELECT') {
      e.preventDefault();
      if (active) onPick(active);
    }
  }

  const words = q;
  const cats = cache.categories;
  // «Мои быстрые сообщения» comes from the server in Russian; the app says it in its language.
  const label = (c: { name: string; personal: boolean }) => (c.personal ? t('quick.mine') : c.name);
  const catName = (id: string) => { const c = cats.find((x) => x.id === id); return c ? label(c) : ''; };
  let lastCat: string | null = null;

  return (
    <div class="quick" role="dialog" aria-label={t('quick.title')} ref={root} onKeyDown={onKeyDown} data-testid="quick-window">
      <header class="quick-head">
        <h3>{t('quick.title')}</h3>
        <select class="quick-cat" value={category} aria-label={t('quick.category')} data-testid="quick-category"
          onChange={(e) => setCategory(e.currentTarget.value)}>
          <option value="">{t('quick.all')}</option>
          {cats.map((c) => <option value={c.id}>{label(c)}</option>)}
        </select>
        <label class="search quick-search">
          <IconSearch size={16} />
          <input ref={search} type="search" value={q} placeholder={t('quick.search')} aria-label={t('quick.search')}
            aria-controls="quick-list" aria-activedescendant={activeId ? 'quick-' + activeId : undefined}
            data-testid="quick-search" onInput={(e) => setQ(e.currentTarget.value)} />
        </label>
        <button class="icon-btn quick-add" title={t('quick.add')} aria-label={t('quick.add')} data-testid="quick-add"
          onClick={() => setPane({ kind: 'new' })}>
          <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true">
            <path d="M12 5v14M5 12h14" /></svg>
        </button>
        <button class="icon-btn" title={t('quick.close')} aria-label={t('quick.close')} onClick={onClose}><IconX size={18} /></button>
      </header>
      <div class="quick-body">
        <div class={'quick-list' + (pane.kind === 'view' ? '' : ' dim')} id="quick-list" role="listbox" aria-label={t('quick.title')} ref={list} data-testid="quick-list">
          {found === null && <p class="quick-note">{t('quick.loading')}</p>}
          {found !== null && rows.length === 0 && (
            <p class="quick-note" data-testid="quick-empty">
              {q.trim().length >= 2 ? t('quick.noMatch', { q: q.trim() }) : category ? t('quick.emptyCategory') : t('quick.empty')}</p>
          )}
          {rows.map((m) => {
            const cat = categoryOf(m);
            const head = !category && cat !== lastCat;
            lastCat = cat;
            return (
              <>
                {head && <div class="quick-group" role="presentation">{catName(cat)}</div>}
                <div id={'quick-' + m.id} role="option" aria-selected={m.id === activeId} data-testid="quick-item" data-id={m.id}
                  class={'quick-item' + (m.id === activeId ? ' active' : '')}
                  onMouseDown={(e) => { if (e.detail > 1) e.preventDefault(); }}
                  onClick={() => { setActiveId(m.id); setPane({ kind: 'view' }); }}
                  onDblClick={() => onPick(m)}>
                  <div class="quick-item-top">
                    <span class="quick-item-title"><Marked segs={highlight(m.title || t('quick.untitled'), words)} /></span>
                    {m.hotkey && <kbd>{formatHotkey(m.hotkey)}</kbd>}
                  </div>
                  <div class="quick-item-text"><Marked segs={highlight(m.text, words)} /></div>
                </div>
              </>
            );
          })}
          {found && found.length > rows.length && <p class="quick-note">{t('quick.more', { n: found.length - rows.length })}</p>}
        </div>
        <div class="quick-side" data-testid="quick-editor">
          {pane.kind === 'new' && <QuickEditor cache={cache} onDone={(m) => { setPane({ kind: 'view' }); if (m) { setQ(''); setActiveId(m.id); } search.current?.focus(); }} />}
          {pane.kind === 'edit' && cache.byId(pane.id) && (
            <QuickEditor cache={cache} m={cache.byId(pane.id)} onDone={() => { setPane({ kind: 'view' }); search.current?.focus(); }} />
          )}
          {pane.kind === 'view' && (active
            ? <QuickView m={active} cache={cache} words={words} onPick={onPick} onEdit={() => setPane({ kind: 'edit', id: active.id })} />
            : <p class="quick-note">{t('quick.pickHint')}</p>)}
        </div>
      </div>
      <footer class="quick-foot">{t('quick.keysHint')}</footer>
    </div>
  );
}

/** The chosen message: text, category, Вставить, Изменить / Удалить (personal only), the hotkey. */
function QuickView({ m, cache, words, onPick, onEdit }: {
  m: QuickMessage; cache: QuickCache; words: string; onPick: (m: QuickMessage) => void; onEdit: () => void;
}) {
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState('');
  useEffect(() => { setConfirm(false); setError(''); }, [m.id]);

  async function remove() {
    try {
      await cache.remove(m.id);
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <div class="quick-view" data-testid="quick-view">
      <div class="quick-view-head">
        <h4><Marked segs={highlight(m.title || t('quick.untitled'), words)} /></h4>
        <span class={'quick-badge' + (m.personal ? ' personal' : '')}>{m.personal ? t('quick.personal') : cache.categoryName(m)}</span>
      </div>
      <div class="quick-view-text" data-testid="quick-view-text">{withTokens(m.text)}</div>
      <div class="quick-actions">
        <button class="btn btn-small btn-primary" onClick={() => onPick(m)} data-testid="quick-insert">{t('quick.insert')}
          <span class="btn-kbd">Enter</span></button>
        {m.personal && <button class="btn btn-small" onClick={onEdit} data-testid="quick-edit">{t('quick.edit')}</button>}
        {m.personal && (confirm
          ? <button class="btn btn-small btn-danger" onClick={() => void remove()} data-testid="quick-delete-confirm">{t('quick.deleteConfirm')}</button>
          : <button class="btn btn-small btn-ghost" onClick={() => setConfirm(true)} data-testid="quick-delete">{t('quick.delete')}</button>)}
      </div>
      {!m.personal && <p class="hint">{t('quick.readonly')}</p>}
      {error && <p class="form-error" role="alert">{error}</p>}
      <QuickHotkey m={m} cache={cache} />
    </div>
  );
}

/** Сохранить a new personal message, or Изменить one: title and text (with placeholders). */
function QuickEditor({ cache, m, onDone }: { cache: QuickCache; m?: QuickMessage | undefined; onDone: (m?: QuickMessage) => void }) {
  const [title, setTitle] = useState(m?.title ?? '');
  const [text, setText] = useState(m?.text ?? '');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const caret = useRef<number | null>(null);
  useLayoutEffect(() => { first.current?.focus(); }, []);
  useLayoutEffect(() => {
    if (caret.current !== null) area.current?.setSelectionRange(caret.current, caret.current);
    caret.current = null;
  }, [text]);

  /** A placeholder button: puts the placeholder at the caret of the text. */
  function put(ph: string) {
    const el = area.current;
    const r = insertAt(text, el?.selectionStart ?? text.length, el?.selectionEnd ?? text.length, ph);
    el?.focus(); // at once: the next key typed goes into the text
    caret.current = r.caret;
    setText(r.value);
  }

  async function save(e?: Event) {
    e?.preventDefault();
    if (!text.trim()) { setError(t('quick.textRequired')); return; }
    setBusy(true);
    setError('');
    try {
      const saved = m ? await cache.update(m.id, title.trim(), text) : await cache.create(title.trim(), text);
      onDone(saved);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  }

  return (
    <form class="quick-form" onSubmit={save} data-testid="quick-form"
      onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void save(e); }}>
      <h4>{m ? t('quick.editing') : t('quick.new')}</h4>
      <label class="field">{t('quick.fieldTitle')}
        <input ref={first} value={title} maxLength={100} placeholder={t('quick.fieldTitlePh')} data-testid="quick-title"
          onInput={(e) => setTitle(e.currentTarget.value)} />
      </label>
      <label class="field">{t('quick.fieldText')}
        <textarea ref={area} rows={5} value={text} maxLength={4000} placeholder={t('quick.fieldTextPh')} data-testid="quick-text"
          onInput={(e) => setText(e.currentTarget.value)} />
      </label>
      <div class="ph-row">
        <span class="hint">{t('quick.insertPh')}</span>
        <button type="button" class="ph ph-btn" title="{visitor_name}" onClick={() => put('{visitor_name}')}>{t('quick.phVisitor')}</button>
        <button type="button" class="ph ph-btn" title="{operator_name}" onClick={() => put('{operator_name}')}>{t('quick.phOperator')}</button>
      </div>
      {error && <p class="form-error" role="alert" data-testid="quick-form-error">{error}</p>}
      <div class="quick-actions">
        <button type="submit" class="btn btn-small btn-primary" disabled={busy} data-testid="quick-save">{t('quick.save')}</button>
        <button type="button" class="btn btn-small" onClick={() => onDone()}>{t('quick.cancel')}</button>
      </div>
    </form>
  );
}
