import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Monitor as MonitorData, OperatorBrief } from '../api/types';
import { Empty, LoadError, Loading, PageHead } from '../components/ui';
import { getLang, t } from '../i18n';
import { formatDuration, secondsSince } from '../lib/format';
import { STATUSES, STATUS_COLOR, loadShare } from '../lib/status';

const REFRESH_MS = 5000;

/** Who is online with what load, the queue and the open conversations; refreshed every 5 s. */
export function Monitor() {
  const [data, setData] = useState<MonitorData>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [at, setAt] = useState<number>(0);
  const inFlight = useRef(false);

  async function load() {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    try {
      setData(await api.monitor());
      setError(null);
      setAt(Date.now());
    } catch (err) {
      setError(err);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }

  useEffect(() => {
    void load();
    const timer = setInterval(() => {
      if (!document.hidden) void load();
    }, REFRESH_MS);
    return () => clearInterval(timer);
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
          <div class="cards">
            <div class="card stat"><span class="stat-label">{t('monitor.online')}</span><span class="stat-value" data-testid="stat-online">{online}<small> / {ops.length}</small></span></div>
            <div class="card stat"><span class="stat-label">{t('monitor.queue')}</span><span class="stat-value" data-testid="stat-queue">{data.queue.length}</span></div>
            <div class="card stat"><span class="stat-label">{t('monitor.open')}</span><span class="stat-value" data-testid="stat-open">{data.open_conversations}</span></div>
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
        </>
      )}
    </section>
  );
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
