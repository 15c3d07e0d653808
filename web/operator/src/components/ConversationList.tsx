import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Conversation, ID } from '../api/types';
import type { Controller } from '../controller';
import { getLang, t } from '../i18n';
import type { ConversationList as List } from '../state/conversationList';
import { type AppState, isStaff } from '../state/reducer';
import { useAppState } from '../state/store';
import { closedTime, listTime, guestNumber } from '../lib/format';
import { IconAlert, IconArchive, IconChat, IconMail, IconTransfer } from './icons';
import { RatingTag } from './Rating';

const ROW = 78;
const ROW_CLOSED = 100;
const OVERSCAN = 6;
const rowHeight = (c: Conversation, archive: boolean) => (c.visitor_closed && !archive ? ROW_CLOSED : ROW);

export type Which = 'open' | 'queue' | 'archive';

interface Props {
  ctl: Controller;
  which: Which;
  onOpen: (id: ID) => void;
  /** The conversation's menu (Завершить, Передать); the archive has none. */
  onContextMenu?: ((id: ID, x: number, y: number) => void) | undefined;
}

const selectList = (which: Which) => (s: AppState) => s[which];
const selectCategories = (s: AppState) => s.categories;
/** Where each list was scrolled to, so switching tabs comes back to the same place. */
const scrolled: Partial<Record<Which, number>> = {};
const selectSelected = (s: AppState) => s.selectedId;
const selectMe = (s: AppState) => s.me;
const selectOperators = (s: AppState) => s.operators;

/**
 * The conversation list, newest first. Only the rows in view are in the DOM (rows have one of
 * two known heights), so hundreds of open conversations scroll smoothly; the next page is
 * fetched when the end comes into view.
 */
export function ConversationList({ ctl, which, onOpen, onContextMenu }: Props) {
  const listSel = useMemo(() => selectList(which), [which]);
  const list: List = useAppState(ctl.store, listSel);
  const selectedId = useAppState(ctl.store, selectSelected);
  const me = useAppState(ctl.store, selectMe);
  const operators = useAppState(ctl.store, selectOperators);
  const categories = useAppState(ctl.store, selectCategories);
  const archive = which === 'archive';
  const box = useRef<HTMLDivElement>(null);
  const [scroll, setScroll] = useState({ top: scrolled[which] ?? 0, height: 600 });
  const [active, setActive] = useState<ID | null>(null);
  /** The archive's first row in view and its offset, kept in place when a page slots rows above it. */
  const anchor = useRef<{ id: ID; at: number } | null>(null);

  const tops = useMemo(() => {
    const out = new Array<number>(list.order.length + 1);
    out[0] = 0;
    list.order.forEach((id, i) => { out[i + 1] = out[i] + rowHeight(list.byId[id], archive); });
    return out;
  }, [list]);
  const total = tops[tops.length - 1];

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    if (scrolled[which]) el.scrollTop = scrolled[which]!;
    const measure = () => setScroll({ top: el.scrollTop, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // The archive is sorted by closing time but paged by last message: a later page may hold a
  // conversation closed more recently than those in view. Keep the row in view where it was.
  useLayoutEffect(() => {
    const el = box.current, a = anchor.current;
    if (!archive || !el) return;
    if (a && el.scrollTop > 0) {
      const i = list.order.indexOf(a.id);
      if (i >= 0 && tops[i] !== a.at) el.scrollTop += tops[i] - a.at;
    }
    keepAnchor(el.scrollTop);
  }, [tops]);

  function keepAnchor(top: number) {
    const i = indexAt(top);
    anchor.current = i < list.order.length ? { id: list.order[i], at: tops[i] } : null;
  }

  // The archive loads when its tab is first opened.
  useEffect(() => {
    if (archive && !list.loaded) void ctl.loadArchive();
  }, []);

  // The end of the loaded part is in view: load the next page.
  useEffect(() => {
    if (list.cursor && scroll.top + scroll.height > total - 2 * ROW) void ctl.loadMore(which);
  }, [scroll, total, list.cursor]);

  // Keep the highlighted row on the selected conversation when selection changes elsewhere.
  useEffect(() => { if (selectedId) setActive(selectedId); }, [selectedId]);

  function indexAt(y: number): number {
    let lo = 0, hi = list.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tops[mid + 1] <= y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  function scrollIntoView(i: number) {
    const el = box.current;
    if (!el) return;
    if (tops[i] < el.scrollTop) el.scrollTop = tops[i];
    else if (tops[i + 1] > el.scrollTop + el.clientHeight) el.scrollTop = tops[i + 1] - el.clientHeight;
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const n = list.order.length;
    if (n === 0) return;
    let i = active ? list.order.indexOf(active) : -1;
    if (e.key === 'ArrowDown') i = Math.min(n - 1, i + 1);
    else if (e.key === 'ArrowUp') i = Math.max(0, i - 1);
    else if (e.key === 'Home') i = 0;
    else if (e.key === 'End') i = n - 1;
    else if (e.key === 'PageDown') i = Math.min(n - 1, i + 6);
    else if (e.key === 'PageUp') i = Math.max(0, i - 6);
    else if (e.key === 'Enter' || e.key === ' ') {
      if (active) { e.preventDefault(); onOpen(active); }
      return;
    } else if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
      if (active && box.current && onContextMenu) {
        e.preventDefault();
        const r = box.current.getBoundingClientRect();
        const ai = list.order.indexOf(active);
        onContextMenu(active, r.left + 60, r.top + tops[ai] - box.current.scrollTop + 30);
      }
      return;
    } else return;
    e.preventDefault();
    if (i < 0) i = 0;
    setActive(list.order[i]);
    scrollIntoView(i);
  }

  const first = Math.max(0, indexAt(scroll.top) - OVERSCAN);
  const last = Math.min(list.order.length, indexAt(scroll.top + scroll.height) + OVERSCAN + 1);
  const rows = [];
  for (let i = first; i < last; i++) {
    const c = list.byId[list.order[i]];
    const assignee = c.assignee_id && (archive ? isStaff(me) : c.assignee_id !== me.id) ? operators[c.assignee_id]?.name ?? '' : '';
    rows.push(
      <Row key={c.id} c={c} top={tops[i]} selected={c.id === selectedId} active={c.id === active} meId={me.id}
        assignee={assignee} archive={archive} category={archive && c.category_id ? categories[c.category_id]?.name ?? '' : ''}
        onClick={() => { setActive(c.id); onOpen(c.id); }}
        onContextMenu={(e) => { if (!onContextMenu) return; e.preventDefault(); setActive(c.id); onContextMenu(c.id, e.clientX, e.clientY); }} />,
    );
  }
  const more = list.cursor || (archive && !list.loaded);
  const Empty = archive ? IconArchive : IconChat;

  return (
    <div class="conv-list" ref={box} tabIndex={0} role="listbox" aria-label={t(archive ? 'list.archiveLabel' : 'list.label')} data-testid={`list-${which}`}
      aria-activedescendant={active ? 'conv-' + active : undefined} aria-busy={archive && !list.loaded}
      onScroll={(e) => {
        const el = e.currentTarget;
        scrolled[which] = el.scrollTop;
        if (archive) keepAnchor(el.scrollTop);
        setScroll({ top: el.scrollTop, height: el.clientHeight });
      }}
      onKeyDown={onKeyDown}>
      {list.loaded && list.order.length === 0 && (
        <div class="list-empty" data-testid="list-empty">
          <Empty size={32} />
          <p>{t(which === 'open' ? 'list.empty' : archive ? 'list.archiveEmpty' : 'list.queueEmpty')}</p>
          {which !== 'queue' && <p class="muted">{t(archive ? 'list.archiveEmptyHint' : 'list.emptyHint')}</p>}
        </div>
      )}
      <div class="conv-list-inner" style={{ height: total + (more ? ROW : 0) + 'px' }}>
        {rows}
        {more && <div class="list-more" style={{ top: total + 'px' }}>{t('list.loadingMore')}</div>}
      </div>
    </div>
  );
}

interface RowProps {
  c: Conversation;
  top: number;
  selected: boolean;
  active: boolean;
  meId: ID;
  assignee: string;
  /** An archive row: the closing time instead of the last message's, the category as a tag. */
  archive: boolean;
  category: string;
  onClick: () => void;
  onContextMenu: (e: MouseEvent) => void;
}

function Row({ c, top, selected, active, meId, assignee, archive, category, onClick, onContextMenu }: RowProps) {
  const name = c.visitor.name ? c.visitor.display_name : t('list.guestN', { n: String(guestNumber(c.visitor.id)) });
  const lm = c.last_message;
  // «Вы:» only on one's own reply; a colleague's (a supervisor sees everyone's) by name.
  const by = lm?.author !== 'operator' ? '' : !lm.author_id || lm.author_id === meId ? t('list.you') : (lm.author_name ?? '') + ': ';
  const preview = lm ? by + lm.text : t('list.noMessages');
  const pending = c.pending_transfer && c.pending_transfer.from_operator_id === meId;
  const Channel = c.channel === 'email' ? IconMail : IconChat;
  const unread = !archive && c.unread_count > 0;
  const at = archive ? c.closed_at ?? c.last_message_at : c.last_message_at;
  return (
    <div id={'conv-' + c.id} role="option" aria-selected={selected} data-testid="conv-item" data-id={c.id}
      class={'conv' + (selected ? ' selected' : '') + (active ? ' active' : '') + (unread ? ' unread' : '')}
      style={{ top: top + 'px', height: rowHeight(c, archive) + 'px' }} onClick={onClick} onContextMenu={onContextMenu}>
      <span class={'chan chan-' + c.channel} title={t('channel.' + c.channel)} data-testid="conv-channel" data-channel={c.channel}>
        <Channel size={18} title={t('channel.' + c.channel)} />
      </span>
      <div class="conv-body">
        <div class="conv-line">
          <span class="conv-name" data-testid="conv-name">{name}</span>
          <time class="conv-time" dateTime={at} data-testid="conv-time" title={archive ? t('list.closedAt') : undefined}>
            {archive ? closedTime(at, getLang()) : listTime(at, getLang())}</time>
        </div>
        <div class="conv-line">
          <span class="conv-preview" data-testid="conv-preview">{preview}</span>
          {unread && (
            <span class="badge" data-testid="conv-unread" title={t('list.unread', { n: c.unread_count })}
              aria-label={t('list.unread', { n: c.unread_count })}>{c.unread_count > 99 ? '99+' : c.unread_count}</span>
          )}
        </div>
        <div class="conv-line conv-meta">
          <span class="conv-cp" data-testid="conv-contact-point">{c.contact_point.name}</span>
          {assignee && (archive
            ? <span class="conv-assignee" data-testid="conv-operator" title={t('list.operator')}>· {assignee}</span>
            : <span class="conv-assignee">· {t('list.assignee', { name: assignee })}</span>)}
          {category && <span class="tag tag-cat" data-testid="conv-category" title={t('close.category')}>{category}</span>}
          {c.rating && <RatingTag rating={c.rating} />}
          {pending && !archive && <span class="tag tag-wait"><IconTransfer size={12} />{t('list.pendingTransfer')}</span>}
        </div>
        {c.visitor_closed && !archive && (
          <div class="conv-system" data-testid="conv-visitor-closed"><IconAlert size={14} />{t('list.visitorClosed')}</div>
        )}
      </div>
    </div>
  );
}
