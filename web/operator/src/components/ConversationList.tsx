import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Conversation, ID } from '../api/types';
import type { Controller } from '../controller';
import { getLang, t } from '../i18n';
import type { ConversationList as List } from '../state/conversationList';
import type { AppState } from '../state/reducer';
import { useAppState } from '../state/store';
import { listTime } from '../lib/format';
import { IconAlert, IconChat, IconMail, IconTransfer } from './icons';

const ROW = 78;
const ROW_CLOSED = 100;
const OVERSCAN = 6;
const rowHeight = (c: Conversation) => (c.visitor_closed ? ROW_CLOSED : ROW);

interface Props {
  ctl: Controller;
  which: 'open' | 'queue';
  onOpen: (id: ID) => void;
  onContextMenu: (id: ID, x: number, y: number) => void;
}

const selectList = (which: 'open' | 'queue') => (s: AppState) => s[which];
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
  const box = useRef<HTMLDivElement>(null);
  const [scroll, setScroll] = useState({ top: 0, height: 600 });
  const [active, setActive] = useState<ID | null>(null);

  const tops = useMemo(() => {
    const out = new Array<number>(list.order.length + 1);
    out[0] = 0;
    list.order.forEach((id, i) => { out[i + 1] = out[i] + rowHeight(list.byId[id]); });
    return out;
  }, [list]);
  const total = tops[tops.length - 1];

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setScroll({ top: el.scrollTop, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
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
      if (active && box.current) {
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
    rows.push(
      <Row key={c.id} c={c} top={tops[i]} selected={c.id === selectedId} active={c.id === active} meId={me.id}
        assignee={c.assignee_id && c.assignee_id !== me.id ? operators[c.assignee_id]?.name ?? '' : ''}
        onClick={() => { setActive(c.id); onOpen(c.id); }}
        onContextMenu={(e) => { e.preventDefault(); setActive(c.id); onContextMenu(c.id, e.clientX, e.clientY); }} />,
    );
  }

  return (
    <div class="conv-list" ref={box} tabIndex={0} role="listbox" aria-label={t('list.label')} data-testid={`list-${which}`}
      aria-activedescendant={active ? 'conv-' + active : undefined}
      onScroll={(e) => setScroll({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}
      onKeyDown={onKeyDown}>
      {list.loaded && list.order.length === 0 && (
        <div class="list-empty">
          <IconChat size={32} />
          <p>{t(which === 'open' ? 'list.empty' : 'list.queueEmpty')}</p>
          {which === 'open' && <p class="muted">{t('list.emptyHint')}</p>}
        </div>
      )}
      <div class="conv-list-inner" style={{ height: total + (list.cursor ? ROW : 0) + 'px' }}>
        {rows}
        {list.cursor && <div class="list-more" style={{ top: total + 'px' }}>{t('list.loadingMore')}</div>}
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
  onClick: () => void;
  onContextMenu: (e: MouseEvent) => void;
}

function Row({ c, top, selected, active, meId, assignee, onClick, onContextMenu }: RowProps) {
  const name = c.visitor.name ? c.visitor.display_name : t('list.guest');
  const lm = c.last_message;
  const preview = lm ? (lm.author === 'operator' ? t('list.you') : '') + lm.text : t('list.noMessages');
  const pending = c.pending_transfer && c.pending_transfer.from_operator_id === meId;
  const Channel = c.channel === 'email' ? IconMail : IconChat;
  return (
    <div id={'conv-' + c.id} role="option" aria-selected={selected} data-testid="conv-item" data-id={c.id}
      class={'conv' + (selected ? ' selected' : '') + (active ? ' active' : '') + (c.unread_count > 0 ? ' unread' : '')}
      style={{ top: top + 'px', height: rowHeight(c) + 'px' }} onClick={onClick} onContextMenu={onContextMenu}>
      <span class={'chan chan-' + c.channel} title={t('channel.' + c.channel)} data-testid="conv-channel" data-channel={c.channel}>
        <Channel size={18} title={t('channel.' + c.channel)} />
      </span>
      <div class="conv-body">
        <div class="conv-line">
          <span class="conv-name" data-testid="conv-name">{name}</span>
          <time class="conv-time" dateTime={c.last_message_at} data-testid="conv-time">{listTime(c.last_message_at, getLang())}</time>
        </div>
        <div class="conv-line">
          <span class="conv-preview" data-testid="conv-preview">{preview}</span>
          {c.unread_count > 0 && (
            <span class="badge" data-testid="conv-unread" title={t('list.unread', { n: c.unread_count })}
              aria-label={t('list.unread', { n: c.unread_count })}>{c.unread_count > 99 ? '99+' : c.unread_count}</span>
          )}
        </div>
        <div class="conv-line conv-meta">
          <span class="conv-cp" data-testid="conv-contact-point">{c.contact_point.name}</span>
          {assignee && <span class="conv-assignee">· {t('list.assignee', { name: assignee })}</span>}
          {pending && <span class="tag tag-wait"><IconTransfer size={12} />{t('list.pendingTransfer')}</span>}
        </div>
        {c.visitor_closed && (
          <div class="conv-system" data-testid="conv-visitor-closed"><IconAlert size={14} />{t('list.visitorClosed')}</div>
        )}
      </div>
    </div>
  );
}
