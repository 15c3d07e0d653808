import { guestNumber } from '../../../shared/guest';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { ConversationPage, Conversation, Monitor as MonitorData, OperatorBrief } from '../api/types';
import { ChatIcon, MailIcon } from '../components/icons';
import { Empty, LoadError, Loading, PageHead } from '../components/ui';
import { type Lang, getLang, t } from '../i18n';
import { formatDuration, secondsSince } from '../lib/format';
import { type LiveRow, liveRows } from '../lib/live';
import { STATUSES, STATUS_COLOR, loadShare } from '../lib/status';
import { CSATTodayCard, browserZone } from './CSAT';

const REFRESH_MS = 5000;
/** Open conversations shown at most (one page of the list). */
const LIVE_LIMIT = 200;

/** Who is online with what load, the queue and the open conversations; refreshed every 5 s. */
export function Monitor() {
  const [data, setData] = useState<MonitorData>();
  const [live, setLive] = useState<ConversationPage>();
  const [liveError, setLiveError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [at, setAt] = useState<number>(0);
  const inFlight = useRef(false);

  async function load() {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    // The two requests go together; one failing keeps the other part fresh.
    const [mon, convs] = await Promise.allSettled([api.monitor(browserZone()), api.openConversations(LIVE_LIMIT)]);
    if (mon.status === 'fulfilled') {
      setData(mon.value);
      setAt(Date.now());
    }
    if (convs.status === 'fulfilled') {
      setLive(convs.value);
      setLiveError(null);
    } else {
      setLiveError(convs.reason);
    }
    setError(mon.status === 'rejected' ? mon.reason : convs.status === 'rejected' ? convs.reason : null);
    inFlight.current = false;
    setBusy(false);
  }

  useEffect(() => {
    void load();
    // Paused while the tab is hidden; brought up to date as soon as it is shown again.
    const timer = setInterval(() => {
      if (!document.hidden) void load();
    }, REFRESH_MS);
    const onVisible = () => {
      if (!document.hidden) void load();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, []);

  const lang = getLang();
  const ops = data ? sortOperators(data.operators) : [];
  const online = ops.filter((o) => o.status !== 'offline').length;

  return (
    <section data-testid="screen-monitor">
      <PageHead title={t('nav.monitor')} intro={t('monitor.intro')}>
        {at > 0 && <span class="muted small" data-testid="monitor-updated">{t('monitor.updated', { time: new Date(at).toLocaleTimeString(lang) })}</span>}
        <button type="button" class="btn" onClick={() => load()} disabled={busy} data-testid="monitor-refresh">
          {busy ? t('common.loading') : t('monitor.refresh')}
        </button>
      </PageHead>
      {!data && !error && <Loading />}
      {!data && error != null && <LoadError error={error} retry={load} />}
      {data && (
        <>
          {error != null && <p class="form-error" role="alert">{t('monitor.stale')}</p>}
          <div class="cards cards-4">
            <div class="card stat"><span class="stat-label">{t('monitor.online')}</span><span class="stat-value" data-testid="stat-online">{online}<small> / {ops.length}</small></span></div>
            <div class="card stat"><span class="stat-label">{t('monitor.queue')}</span><span class="stat-value" data-testid="stat-queue">{data.queue.length}</span></div>
            <div class="card stat"><span class="stat-label">{t('monitor.open')}</span><span class="stat-value" data-testid="stat-open">{data.open_conversations}</span></div>
            <CSATTodayCard tally={data.csat_today} lang={lang} />
          </div>
          <div class="two-col">
            <div class="panel">
              <h2 class="panel-title">{t('monitor.operators')}</h2>
              {ops.length === 0 ? <Empty title={t('monitor.noOperators')} /> : (
                <table class="table" data-testid="monitor-operators">
                  <thead><tr><th>{t('col.name')}</th><th>{t('col.status')}</th><th>{t('col.load')}</th><th>{t('monitor.since')}</th></tr></thead>
                  <tbody>
                    {ops.map((o) => (
                      <tr key={o.id} data-testid="monitor-operator" data-status={o.status}>
                        <td><span class="cell-strong">{o.name}</span>{o.role !== 'operator' && <span class="tag">{t('role.' + o.role)}</span>}</td>
                        <td><StatusBadge status={o.status} /></td>
                        <td><LoadBar open={o.open_count} limit={o.limit} /></td>
                        <td class="muted" data-testid="status-since">{o.status_at ? formatDuration(secondsSince(o.status_at, at), lang) : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
            <div class="panel">
              <h2 class="panel-title">{t('monitor.queue')} <span class="count">{data.queue.length}</span></h2>
              {data.queue.length === 0 ? <Empty title={t('monitor.queueEmpty')}>{t('monitor.queueEmptyHint')}</Empty> : (
                <table class="table" data-testid="monitor-queue">
                  <thead><tr><th>{t('col.visitor')}</th><th>{t('col.contactPoint')}</th><th class="num">{t('col.waiting')}</th></tr></thead>
                  <tbody>
                    {data.queue.map((c) => (
                      <tr key={c.id} data-testid="queue-item">
                        <td><span class="cell-strong">{c.visitor.display_name}</span>
                          {c.last_message && <span class="cell-sub">{c.last_message.text}</span>}</td>
                        <td>{c.contact_point.name}{c.channel === 'email' && <span class="tag">{t('channel.email')}</span>}</td>
                        <td class="num">{formatDuration(secondsSince(c.queued_at, at), lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          </div>
          <LiveConversations page={live} error={liveError} retry={load} operators={data.operators} total={data.open_conversations} now={at} lang={lang} />
        </>
      )}
    </section>
  );
}

/** The account's open conversations: who waits for an answer, with whom, since when. */
function LiveConversations({ page, error, retry, operators, total, now, lang }: {
  page: ConversationPage | undefined; error: unknown; retry: () => void; operators: OperatorBrief[]; total: number; now: number; lang: Lang;
}) {
  const names = new Map(operators.map((o) => [o.id, o.name]));
  const rows = page ? liveRows(page.items, now) : [];
  const more = page != null && page.next_cursor != null;
  const count = more ? Math.max(total, rows.length + 1) : rows.length;
  return (
    <div class="panel live-panel" data-testid="monitor-live">
      <h2 class="panel-title">{t('live.title')} {page && <span class="count" data-testid="live-count">{count}</span>}</h2>
      {!page && error == null && <Loading />}
      {!page && error != null && <LoadError error={error} retry={retry} />}
      {page && rows.length === 0 && <Empty title={t('live.empty')}>{t('live.emptyHint')}</Empty>}
      {page && rows.length > 0 && (
        <>
          <p class="hint hint-top">{t('live.intro')}</p>
          <div class="live-scroll">
            <table class="table live-table" data-testid="live-table">
              <colgroup>
                <col class="live-col-visitor" /><col class="live-col-operator" /><col /><col class="live-col-wait" /><col class="live-col-unread" /><col class="live-col-age" />
              </colgroup>
              <thead>
                <tr>
                  <th>{t('col.visitor')}</th><th>{t('col.operator')}</th><th>{t('live.lastMessage')}</th>
                  <th>{t('live.wait')}</th><th class="num">{t('live.unread')}</th><th class="num">{t('live.age')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => <LiveItem key={r.conv.id} row={r} names={names} now={now} lang={lang} />)}
              </tbody>
            </table>
          </div>
          {more && <p class="hint" data-testid="live-more">{t('live.more', { shown: rows.length, total: count })}</p>}
        </>
      )}
    </div>
  );
}

function LiveItem({ row, names, now, lang }: { row: LiveRow; names: Map<string, string>; now: number; lang: Lang }) {
  const c = row.conv;
  const m = c.last_message;
  const channel = t('channel.' + c.channel);
  const operator = c.assignee_id ? names.get(c.assignee_id) : undefined;
  const transferTo = c.pending_transfer ? names.get(c.pending_transfer.to_operator_id) ?? '…' : null;
  const waiting = row.waiting != null ? (row.longWait ? 'long' : 'yes') : 'no';
  return (
    <tr data-testid="live-item" data-id={c.id} data-waiting={waiting} class={row.longWait ? 'live-long' : undefined}>
      <td>
        <span class="live-name">
          <span class="cell-strong" data-testid="live-visitor">{visitorName(c)}</span>
          {c.visitor_closed && <span class="tag" data-testid="live-visitor-closed">{t('live.visitorClosed')}</span>}
          {transferTo != null && <span class="tag tag-info" data-testid="live-transfer">{t('live.transfer', { name: transferTo })}</span>}
        </span>
        <span class="cell-sub live-point" title={t('live.channelPoint', { channel, name: c.contact_point.name })}>
          {c.channel === 'email' ? <MailIcon /> : <ChatIcon />}<span class="live-point-name"><span class="sr-only">{channel}: </span>{c.contact_point.name}</span>
        </span>
      </td>
      <td class="live-operator" data-testid="live-operator">{operator ?? <span class="muted">{c.assignee_id ? '—' : t('live.noOperator')}</span>}</td>
      <td class="live-preview" title={m?.text}>
        {!m ? <span class="muted">{t('live.noMessages')}</span> : (
          <>{m.author === 'operator' && <span class="muted">{t('live.fromOperator')} </span>}<span class={m.author === 'system' ? 'muted' : undefined}>{m.text}</span></>
        )}
      </td>
      <td data-testid="live-wait">
        {row.waiting != null ? (
          <span class={'wait' + (row.longWait ? ' wait-long' : '')} title={row.longWait ? t('live.waitingLong') : undefined}>
            <span class="wait-label">{t('live.waiting')}</span>
            <span class="wait-time">{formatDuration(row.waiting, lang)}</span>
          </span>
        ) : <span class="muted small">{c.visitor_closed ? '—' : t('live.answered')}</span>}
      </td>
      <td class="num" data-testid="live-unread">
        {c.unread_count > 0 ? <span class="unread" title={t('live.unreadTitle', { n: c.unread_count })}>{c.unread_count}</span> : <span class="muted">0</span>}
      </td>
      <td class="num muted" title={t('live.ageTitle', { time: new Date(c.created_at).toLocaleString(lang) })}>{formatDuration(secondsSince(c.created_at, now), lang)}</td>
    </tr>
  );
}

/** The visitor's name; a visitor without one is «Гость #4821» (in the cabinet's language). */
function visitorName(c: Conversation): string {
  return c.visitor.name.trim() || t('live.guest') + ' #' + guestNumber(c.visitor.id);
}

/** Online first (in status order), then by name. */
function sortOperators(ops: OperatorBrief[]): OperatorBrief[] {
  return [...ops].sort((a, b) => STATUSES.indexOf(a.status) - STATUSES.indexOf(b.status) || a.name.localeCompare(b.name));
}

export function StatusBadge({ status }: { status: OperatorBrief['status'] }) {
  return (
    <span class="status" data-testid="status-badge" data-status={status} style={{ '--dot': STATUS_COLOR[status] }}>
      <span class="status-dot" aria-hidden="true" />{t('status.' + status)}
    </span>
  );
}

function LoadBar({ open, limit }: { open: number; limit: number }) {
  const share = loadShare(open, limit);
  const tone = share >= 1 ? 'full' : share >= 0.7 ? 'high' : 'ok';
  return (
    <div class="load" title={t('monitor.loadTitle', { open, limit })}>
      <div class="load-bar" role="meter" aria-valuemin={0} aria-valuemax={limit} aria-valuenow={open} aria-label={t('col.load')}>
        <span class={'load-fill load-' + tone} style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
      <span class="load-text">{open} / {limit}</span>
    </div>
  );
}
