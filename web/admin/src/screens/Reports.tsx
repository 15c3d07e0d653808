import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Report, Stat } from '../api/types';
import { DownloadIcon } from '../components/icons';
import { Empty, LoadError, Loading, PageHead } from '../components/ui';
import { getLang, t } from '../i18n';
import { reportCsv, reportFileName, saveText } from '../lib/csv';
import { type Preset, type Range, checkRange, formatDuration, presetRange, rangePreset, shortDay } from '../lib/format';
import { CSATSection } from './CSAT';

function timeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Conversations created and closed over a range of days, reply and queue times, by category and operator. */
export function Reports() {
  const [range, setRange] = useState<Range>(() => presetRange('7d', new Date()));
  const [draft, setDraft] = useState<Range>(range);
  const [report, setReport] = useState<Report>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const tz = timeZone();

  async function load(r: Range) {
    const n = ++seq.current;
    setLoading(true);
    try {
      const rep = await api.reports(r.from, r.to, tz);
      if (n !== seq.current) return;
      setReport(rep);
      setError(null);
    } catch (err) {
      if (n === seq.current) setError(err);
    } finally {
      if (n === seq.current) setLoading(false);
    }
  }

  useEffect(() => { void load(range); }, [range.from, range.to]);

  function choose(p: Preset) {
    const r = presetRange(p, new Date());
    setDraft(r);
    setRange(r);
  }

  const rangeError = checkRange(draft);
  function applyCustom(e: Event) {
    e.preventDefault();
    if (!rangeError) setRange({ ...draft });
  }

  const preset = rangePreset(range, new Date());
  const lang = getLang();
  // The report on screen; while another range loads, the old one stays shown but is not offered.
  const shown = report && error == null ? report : undefined;
  function download() {
    if (shown) saveText(reportCsv(shown, lang), reportFileName(shown));
  }

  return (
    <section data-testid="screen-reports">
      <PageHead title={t('nav.reports')} intro={t('reports.intro', { tz })}>
        <button type="button" class="btn" onClick={download} disabled={!shown || loading} title={t('reports.downloadHint')}
          data-testid="report-download"><DownloadIcon />{t('reports.download')}</button>
      </PageHead>
      <form class="toolbar" onSubmit={applyCustom} aria-label={t('reports.range')}>
        <div class="segmented" role="group" aria-label={t('reports.presets')}>
          {(['today', '7d', '30d'] as Preset[]).map((p) => (
            <button type="button" key={p} class={'seg' + (preset === p ? ' active' : '')} aria-pressed={preset === p}
              data-preset={p} onClick={() => choose(p)}>{t('reports.preset.' + p)}</button>
          ))}
        </div>
        <label class="inline-label">{t('reports.from')}
          <input type="date" value={draft.from} max={draft.to} onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })} data-testid="report-from" />
        </label>
        <label class="inline-label">{t('reports.to')}
          <input type="date" value={draft.to} min={draft.from} onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })} data-testid="report-to" />
        </label>
        <button type="submit" class="btn" disabled={!!rangeError || (draft.from === range.from && draft.to === range.to)}>{t('reports.show')}</button>
        {rangeError && <span class="field-error" role="alert">{t(rangeError)}</span>}
        {loading && report && <span class="muted small">{t('common.loading')}</span>}
      </form>

      {!report && loading && <Loading />}
      {error != null && !loading && <LoadError error={error} retry={() => load(range)} />}
      {shown && <ReportView report={shown} lang={lang} />}
    </section>
  );
}

function ReportView({ report, lang }: { report: Report; lang: 'ru' | 'en' }) {
  const tot = report.totals;
  const cards: [string, number, string][] = [
    ['reports.created', tot.created, 'created'],
    ['reports.closed', tot.closed, 'closed'],
    ['reports.visitorClosed', tot.visitor_closed, 'visitor_closed'],
    ['reports.queuedNow', tot.queued_now, 'queued_now'],
    ['reports.openNow', tot.open_now, 'open_now'],
  ];
  return (
    <div data-testid="report">
      <div class="cards cards-5">
        {cards.map(([key, v, id]) => (
          <div class="card stat" key={id} data-testid={'total-' + id}>
            <span class="stat-label">{t(key)}</span><span class="stat-value">{v}</span>
          </div>
        ))}
      </div>
      <div class="cards cards-2">
        <TimeCard title={t('reports.firstReply')} stat={report.first_reply} lang={lang} testId="first-reply" />
        <TimeCard title={t('reports.queueWait')} stat={report.queue_wait} lang={lang} testId="queue-wait" />
      </div>
      <div class="panel">
        <h2 class="panel-title">{t('reports.byDay')}</h2>
        <DayChart days={report.by_day} lang={lang} />
      </div>
      <div class="two-col">
        <div class="panel">
          <h2 class="panel-title">{t('reports.byCategory')}</h2>
          {report.by_category.length === 0 ? <Empty title={t('reports.noClosed')} /> : (
            <table class="table" data-testid="report-categories">
              <thead><tr><th>{t('col.category')}</th><th class="num">{t('reports.closed')}</th></tr></thead>
              <tbody>
                {report.by_category.map((c) => (
                  <tr key={c.category_id ?? 'none'}>
                    <td class={c.category_id == null ? 'muted' : ''}>{c.category_id == null ? t('reports.noCategory') : c.name}</td>
                    <td class="num">{c.closed}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div class="panel">
          <h2 class="panel-title">{t('reports.byOperator')}</h2>
          {report.by_operator.length === 0 ? <Empty title={t('reports.noOperators')} /> : (
            <table class="table" data-testid="report-operators">
              <thead><tr><th>{t('col.operator')}</th><th class="num">{t('reports.closed')}</th><th class="num">{t('reports.firstReplyAvg')}</th></tr></thead>
              <tbody>
                {report.by_operator.map((o) => (
                  <tr key={o.operator_id}>
                    <td>{o.name}</td><td class="num">{o.closed}</td>
                    <td class="num">{formatDuration(o.first_reply_avg_seconds, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
      <CSATSection csat={report.csat} lang={lang} />
    </div>
  );
}

function TimeCard({ title, stat, lang, testId }: { title: string; stat: Stat; lang: 'ru' | 'en'; testId: string }) {
  return (
    <div class="card time-card" data-testid={testId}>
      <span class="stat-label">{title}</span>
      <div class="time-row">
        <div><span class="time-label">{t('reports.avg')}</span><span class="time-value">{stat.count ? formatDuration(stat.avg_seconds, lang) : '—'}</span></div>
        <div><span class="time-label">{t('reports.median')}</span><span class="time-value">{stat.count ? formatDuration(stat.median_seconds, lang) : '—'}</span></div>
        <div><span class="time-label">{t('reports.count')}</span><span class="time-value">{stat.count}</span></div>
      </div>
    </div>
  );
}

/** Created and closed per day as paired bars (plain SVG). */
function DayChart({ days, lang }: { days: Report['by_day']; lang: 'ru' | 'en' }) {
  if (days.every((d) => d.created === 0 && d.closed === 0)) return <Empty title={t('reports.noDays')}>{t('reports.noDaysHint')}</Empty>;
  const max = Math.max(1, ...days.map((d) => Math.max(d.created, d.closed)));
  const H = 160;
  const slot = Math.max(18, Math.min(56, 880 / days.length));
  const bar = Math.max(4, slot * 0.32);
  const W = slot * days.length;
  const every = Math.ceil(days.length / 15);
  const y = (v: number) => H - (v / max) * H;
  return (
    <div class="chart" data-testid="day-chart">
      <div class="chart-legend">
        <span><i class="sw sw-created" />{t('reports.created')}</span>
        <span><i class="sw sw-closed" />{t('reports.closed')}</span>
        <span class="muted">{t('reports.max', { n: max })}</span>
      </div>
      <div class="chart-scroll">
        <svg width={W} height={H + 22} viewBox={`0 0 ${W} ${H + 22}`} role="img" aria-label={t('reports.byDay')}>
          <line x1={0} x2={W} y1={H + 0.5} y2={H + 0.5} class="axis" />
          {days.map((d, i) => {
            const x = i * slot + (slot - bar * 2 - 2) / 2;
            return (
              <g key={d.date}>
                <title>{`${shortDay(d.date, lang)}: ${t('reports.created')} ${d.created}, ${t('reports.closed')} ${d.closed}`}</title>
                <rect x={x} y={y(d.created)} width={bar} height={H - y(d.created)} class="bar-created" rx={2} />
                <rect x={x + bar + 2} y={y(d.closed)} width={bar} height={H - y(d.closed)} class="bar-closed" rx={2} />
                {i % every === 0 && <text x={i * slot + slot / 2} y={H + 16} text-anchor="middle" class="tick">{shortDay(d.date, lang)}</text>}
              </g>
            );
          })}
        </svg>
      </div>
    </div>
  );
}
