import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { ContactPointBrief, ID, SearchResult } from '../api/types';
import { type Controller, errorText } from '../controller';
import { getLang, t } from '../i18n';
import { closedTime, fullTime, guestNumber } from '../lib/format';
import { type SearchFilters, activeFilters, emptyFilters, mergeResults, searchParams } from '../lib/search';
import type { AppState } from '../state/reducer';
import { useAppState } from '../state/store';
import { IconChat, IconMail, IconNote, IconSearch, IconX } from './icons';

/** How long typing pauses before the search is asked (results as you type). */
const DEBOUNCE_MS = 250;

const selectOperators = (s: AppState) => s.operators;
const selectCategories = (s: AppState) => s.categories;
const selectSelected = (s: AppState) => s.selectedId;

interface Props {
  ctl: Controller;
  /** The search has a query: the sidebar shows its results instead of the lists. */
  onActive: (active: boolean) => void;
  /** A result is opened: its conversation, at the message it was found by. */
  onOpen: (r: SearchResult) => void;
}

interface Results {
  items: SearchResult[];
  next: ID | null;
  /** The query and filters these results are for. */
  key: string;
}

/**
 * One search box for every conversation the operator may read (docs/search.md): text in any
 * word form, "phrases", a visitor's name, email or phone, a conversation number; with
 * filters. Results come as the operator types; a result opens the conversation at the
 * message it was found by.
 */
export function Search({ ctl, onActive, onOpen }: Props) {
  const operators = useAppState(ctl.store, selectOperators);
  const categories = useAppState(ctl.store, selectCategories);
  const selectedId = useAppState(ctl.store, selectSelected);
  const [q, setQ] = useState('');
  const [filters, setFilters] = useState<SearchFilters>(emptyFilters);
  const [showFilters, setShowFilters] = useState(false);
  const [results, setResults] = useState<Results | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState('');
  const [points, setPoints] = useState<ContactPointBrief[]>([]);
  const seq = useRef(0);
  const input = useRef<HTMLInputElement>(null);
  const active = q.trim() !== '';
  const key = JSON.stringify([q.trim(), filters]);

  useEffect(() => onActive(active), [active]);

  // The filters' choices: contact points and categories, once they are shown.
  useEffect(() => {
    if (!showFilters) return;
    if (!points.length) api.contactPoints().then((r) => setPoints(r.items), () => {});
    if (!Object.keys(categories).length) void ctl.loadCategories();
  }, [showFilters]);

  // Results as you type: the newest request wins, older answers are dropped.
  useEffect(() => {
    if (!active) {
      seq.current++;
      setResults(null);
      setError('');
      setLoading(false);
      return;
    }
    const n = ++seq.current;
    const ctrl = new AbortController();
    setLoading(true);
    const timer = setTimeout(() => {
      api.search(searchParams(q, filters), ctrl.signal).then((page) => {
        if (n !== seq.current) return;
        setResults({ items: page.results, next: page.next_before, key });
        setError('');
        setLoading(false);
      }, (err) => {
        if (n !== seq.current) return;
        setError(errorText(err));
        setLoading(false);
      });
    }, DEBOUNCE_MS);
    return () => { clearTimeout(timer); ctrl.abort(); };
  }, [key]);

  const more = () => {
    if (!results?.next) return;
    const n = ++seq.current;
    const at = results;
    setLoading(true);
    api.search({ ...searchParams(q, filters), before: at.next! }).then((page) => {
      if (n !== seq.current) return;
      setResults({ items: mergeResults(at.items, page.results), next: page.next_before, key: at.key });
      setLoading(false);
    }, (err) => {
      if (n !== seq.current) return;
      setError(errorText(err));
      setLoading(false);
    });
  };

  const clear = () => {
    setQ('');
    input.current?.focus();
  };
  const set = (patch: Partial<SearchFilters>) => setFilters({ ...filters, ...patch });
  const nFilters = activeFilters(filters);
  const opList = Object.values(operators).sort((a, b) => a.name.localeCompare(b.name));
  const catList = Object.values(categories).sort((a, b) => a.position - b.position);

  return (
    <>
      <div class="conv-search" role="search">
        <div class="search-bar">
          <IconSearch size={18} />
          <input ref={input} type="search" class="search-input" data-testid="search-input" value={q} maxLength={200}
            placeholder={t('search.placeholder')} aria-label={t('search.label')}
            onInput={(e) => setQ(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && q) { e.preventDefault(); clear(); }
              if (e.key === 'ArrowDown') { e.preventDefault(); document.querySelector<HTMLElement>('[data-testid=search-result]')?.focus(); }
            }} />
          {q && <button class="icon-btn search-clear" aria-label={t('search.clear')} title={t('search.clear')} onClick={clear}
            data-testid="search-clear"><IconX size={16} /></button>}
          <button class={'btn btn-small search-filter-toggle' + (nFilters ? ' on' : '')} aria-expanded={showFilters}
            data-testid="search-filters-toggle" onClick={() => setShowFilters(!showFilters)}>
            {t('search.filters')}{nFilters ? <span class="count">{nFilters}</span> : null}</button>
        </div>
        {showFilters && (
          <div class="search-filters" data-testid="search-filters">
            <label>{t('search.state')}
              <select value={filters.state} onChange={(e) => set({ state: e.currentTarget.value as SearchFilters['state'] })} data-testid="filter-state">
                <option value="">{t('search.any')}</option>
                <option value="open">{t('search.state.open')}</option>
                <option value="queued">{t('search.state.queued')}</option>
                <option value="closed">{t('search.state.closed')}</option>
              </select></label>
            <label>{t('search.operator')}
              <select value={filters.operator} onChange={(e) => set({ operator: e.currentTarget.value })} data-testid="filter-operator">
                <option value="">{t('search.any')}</option>
                {opList.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
              </select></label>
            <label>{t('search.category')}
              <select value={filters.category} onChange={(e) => set({ category: e.currentTarget.value })} data-testid="filter-category">
                <option value="">{t('search.any')}</option>
                {catList.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
              </select></label>
            <label>{t('search.channel')}
              <select value={filters.channel} onChange={(e) => set({ channel: e.currentTarget.value as SearchFilters['channel'] })} data-testid="filter-channel">
                <option value="">{t('search.any')}</option>
                <option value="webchat">{t('channel.webchat')}</option>
                <option value="email">{t('channel.email')}</option>
              </select></label>
            <label>{t('search.contactPoint')}
              <select value={filters.contactPoint} onChange={(e) => set({ contactPoint: e.currentTarget.value })} data-testid="filter-contact-point">
                <option value="">{t('search.any')}</option>
                {points.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
              </select></label>
            <label>{t('search.from')}
              <input type="date" value={filters.from} max={filters.to || undefined} onInput={(e) => set({ from: e.currentTarget.value })}
                data-testid="filter-from" /></label>
            <label>{t('search.to')}
              <input type="date" value={filters.to} min={filters.from || undefined} onInput={(e) => set({ to: e.currentTarget.value })}
                data-testid="filter-to" /></label>
            {nFilters > 0 && <button class="btn btn-small btn-ghost" onClick={() => setFilters(emptyFilters)} data-testid="filters-reset">
              {t('search.reset')}</button>}
          </div>
        )}
      </div>
      {active && (
        <div class="search-results" role="listbox" aria-label={t('search.results')} aria-busy={loading} data-testid="search-results">
          {error && <div class="search-note search-error" role="alert">{error}</div>}
          {!error && results && results.key === key && results.items.length === 0 && !loading && (
            <div class="list-empty" data-testid="search-empty">
              <IconSearch size={32} />
              <p>{t('search.nothing')}</p>
              <p class="muted">{t('search.nothingHint')}</p>
            </div>
          )}
          {results?.items.map((r) => (
            <Hit key={r.conversation.id} r={r} selected={r.conversation.id === selectedId}
              operator={r.conversation.assignee_id ? operators[r.conversation.assignee_id]?.name ?? '' : ''}
              onOpen={() => onOpen(r)} />
          ))}
          {loading && <div class="search-note" data-testid="search-loading">{t('search.loading')}</div>}
          {!loading && results?.next && (
            <button class="btn btn-small search-more" onClick={more} data-testid="search-more">{t('search.more')}</button>
          )}
        </div>
      )}
    </>
  );
}

interface HitProps {
  r: SearchResult;
  selected: boolean;
  operator: string;
  onOpen: () => void;
}

/** One result: who, when, where it stands, and the snippet with what matched marked. */
function Hit({ r, selected, operator, onOpen }: HitProps) {
  const c = r.conversation;
  const name = c.visitor.name ? c.visitor.display_name : t('list.guestN', { n: String(guestNumber(c.visitor.id)) });
  const at = r.message?.created_at ?? c.last_message_at;
  const Channel = c.channel === 'email' ? IconMail : IconChat;
  const label = r.match === 'id' ? t('search.byNumber', { id: c.id })
    : r.match === 'visitor' ? t('search.field.' + (r.field ?? 'name'))
      : r.message?.kind === 'comment' ? t('chat.commentLabel')
        : r.message?.author.type === 'operator' ? r.message.author.name : '';
  return (
    <button class={'search-hit' + (selected ? ' selected' : '')} role="option" aria-selected={selected} data-testid="search-result"
      data-conversation={c.id} data-match={r.match} data-message={r.message?.id}
      onClick={onOpen}
      onKeyDown={(e) => {
        const el = e.currentTarget;
        if (e.key === 'ArrowDown') { e.preventDefault(); (el.nextElementSibling as HTMLElement | null)?.focus(); }
        if (e.key === 'ArrowUp') {
          e.preventDefault();
          const prev = el.previousElementSibling as HTMLElement | null;
          (prev?.classList.contains('search-hit') ? prev : document.querySelector<HTMLElement>('[data-testid=search-input]'))?.focus();
        }
      }}>
      <span class={'chan chan-' + c.channel} title={t('channel.' + c.channel)}><Channel size={18} /></span>
      <span class="conv-body">
        <span class="conv-line">
          <span class="conv-name" data-testid="search-result-name">{name}</span>
          <time class="conv-time" dateTime={at} title={fullTime(at, getLang())}>{closedTime(at, getLang())}</time>
        </span>
        <span class="search-snippet" data-testid="search-snippet">
          {r.message?.kind === 'comment' && <IconNote size={13} />}
          {label && <b class="search-label">{label}: </b>}
          {r.snippet.map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
        </span>
        <span class="conv-line conv-meta">
          <span class={'tag tag-state tag-' + c.state} data-testid="search-result-state">{t('search.state.' + (c.state === 'assigned' ? 'open' : c.state))}</span>
          <span class="conv-cp">{c.contact_point.name}</span>
          {operator && <span class="conv-assignee">· {operator}</span>}
          <span class="search-number">#{c.id}</span>
        </span>
      </span>
    </button>
  );
}
