// Ratings (CSAT) in the cabinet: the report's section (per day, operator, category, with the
// comments), the monitor's card of today, and the account's rating settings.

import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { AccountSettings, CSATReport, CSATTally } from '../api/types';
import { Empty } from '../components/ui';
import { type Lang, t } from '../i18n';
import { placeError } from '../lib/errors';
import { shortDay } from '../lib/format';
import { showToast } from '../lib/toast';

/** The browser's IANA time zone (the days of reports and «today» of the monitor). */
export function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** CSAT in per cent, «—» without ratings. */
export function percentText(tally: CSATTally, lang: Lang): string {
  return tally.percent == null ? '—' : tally.percent.toLocaleString(lang, { maximumFractionDigits: 0 }) + '%';
}

/** The mean of the stars, «—» without ratings on the stars scale. */
export function starsText(tally: CSATTally, lang: Lang): string {
  return tally.avg_stars == null ? '—' : tally.avg_stars.toLocaleString(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) + ' ★';
}

function Score({ scale, score }: { scale: string; score: number }) {
  if (scale === 'thumbs') {
    return <span class="csat-score" role="img" aria-label={t(score ? 'csat.up' : 'csat.down')}>{score ? '👍' : '👎'}</span>;
  }
  return (
    <span class="csat-score csat-stars" role="img" aria-label={t('csat.starsOf', { n: score })}>
      {'★'.repeat(score)}<span class="csat-off">{'★'.repeat(5 - score)}</span>
    </span>
  );
}

function TallyCells({ tally, lang }: { tally: CSATTally; lang: Lang }) {
  return (
    <>
      <td class="num">{tally.count}</td>
      <td class="num" data-testid="csat-percent">{percentText(tally, lang)}</td>
      <td class="num">{starsText(tally, lang)}</td>
    </>
  );
}

/** The report's ratings: totals, a day chart, by operator and category, and the comments. */
export function CSATSection({ csat, lang }: { csat: CSATReport; lang: Lang }) {
  const tot = csat.totals;
  return (
    <section class="csat" data-testid="report-csat" aria-label={t('csat.title')}>
      <h2 class="section-title">{t('csat.title')}</h2>
      <div class="cards cards-4">
        <div class="card stat" data-testid="csat-total-percent" title={t('csat.percentHint')}>
          <span class="stat-label">{t('csat.percent')}</span><span class="stat-value">{percentText(tot, lang)}</span>
        </div>
        <div class="card stat" data-testid="csat-total-stars">
          <span class="stat-label">{t('csat.avgStars')}</span><span class="stat-value">{starsText(tot, lang)}</span>
        </div>
        <div class="card stat" data-testid="csat-total-count">
          <span class="stat-label">{t('csat.count')}</span>
          <span class="stat-value">{tot.count}{tot.thumbs_up + tot.thumbs_down > 0 && <small> · 👍 {tot.thumbs_up} 👎 {tot.thumbs_down}</small>}</span>
        </div>
        <div class="card stat" data-testid="csat-total-comments">
          <span class="stat-label">{t('csat.comments')}</span><span class="stat-value">{csat.comments_total}</span>
        </div>
      </div>
      {tot.count === 0 ? <div class="panel"><Empty title={t('csat.none')}>{t('csat.noneHint')}</Empty></div> : (
        <>
          <div class="panel">
            <h2 class="panel-title">{t('csat.byDay')}</h2>
            <CSATDays days={csat.by_day} lang={lang} />
          </div>
          <div class="two-col">
            <div class="panel">
              <h2 class="panel-title">{t('csat.byOperator')}</h2>
              {csat.by_operator.length === 0 ? <Empty title={t('csat.none')} /> : (
                <table class="table" data-testid="csat-operators">
                  <thead><tr><th>{t('col.operator')}</th><th class="num">{t('csat.count')}</th><th class="num">CSAT</th><th class="num">{t('csat.avgStarsShort')}</th></tr></thead>
                  <tbody>
                    {csat.by_operator.map((o) => <tr key={o.operator_id} data-testid="csat-operator"><td>{o.name}</td><TallyCells tally={o} lang={lang} /></tr>)}
                  </tbody>
                </table>
              )}
            </div>
            <div class="panel">
              <h2 class="panel-title">{t('csat.byCategory')}</h2>
              <table class="table" data-testid="csat-categories">
                <thead><tr><th>{t('col.category')}</th><th class="num">{t('csat.count')}</th><th class="num">CSAT</th><th class="num">{t('csat.avgStarsShort')}</th></tr></thead>
                <tbody>
                  {csat.by_category.map((c) => (
                    <tr key={c.category_id ?? 'none'} data-testid="csat-category">
                      <td class={c.category_id == null ? 'muted' : ''}>{c.category_id == null ? t('reports.noCategory') : c.name}</td>
                      <TallyCells tally={c} lang={lang} />
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
          <div class="panel">
            <h2 class="panel-title">{t('csat.commentsTitle')} <span class="count">{csat.comments_total}</span></h2>
            {csat.comments.length === 0 ? <Empty title={t('csat.noComments')} /> : (
              <ul class="csat-comments" data-testid="csat-comments">
                {csat.comments.map((c) => (
                  <li key={c.conversation_id} data-testid="csat-comment">
                    <div class="csat-comment-head">
                      <Score scale={c.scale} score={c.score} />
                      <span class="cell-strong">{c.visitor_name}</span>
                      <span class="muted small">
                        {[c.operator_name, c.category_name, new Date(c.at).toLocaleString(lang, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })]
                          .filter(Boolean).join(' · ')}
                      </span>
                    </div>
                    <p class="csat-comment-text">{c.comment}</p>
                  </li>
                ))}
              </ul>
            )}
            {csat.comments_total > csat.comments.length && <p class="muted small">{t('csat.commentsMore', { n: csat.comments.length })}</p>}
          </div>
        </>
      )}
    </section>
  );
}

/** CSAT per day as bars of the share of satisfied ratings (days without ratings are gaps). */
function CSATDays({ days, lang }: { days: CSATReport['by_day']; lang: Lang }) {
  const H = 120;
  const slot = Math.max(18, Math.min(56, 880 / days.length));
  const bar = Math.max(6, slot * 0.5);
  const W = slot * days.length;
  const every = Math.ceil(days.length / 15);
  return (
    <div class="chart" data-testid="csat-chart">
      <div class="chart-scroll">
        <svg width={W} height={H + 22} viewBox={`0 0 ${W} ${H + 22}`} role="img" aria-label={t('csat.byDay')}>
          <line x1={0} x2={W} y1={H + 0.5} y2={H + 0.5} class="axis" />
          {days.map((d, i) => {
            const p = d.percent ?? 0;
            const h = (p / 100) * H;
            return (
              <g key={d.date}>
                <title>{`${shortDay(d.date, lang)}: ${d.count ? percentText(d, lang) + ' · ' + t('csat.ofN', { n: d.count }) : t('csat.none')}`}</title>
                {d.count > 0 && <rect x={i * slot + (slot - bar) / 2} y={H - h} width={bar} height={Math.max(h, 2)} rx={2}
                  class={p >= 80 ? 'bar-good' : p >= 50 ? 'bar-mid' : 'bar-bad'} />}
                {i % every === 0 && <text x={i * slot + slot / 2} y={H + 16} text-anchor="middle" class="tick">{shortDay(d.date, lang)}</text>}
              </g>
            );
          })}
        </svg>
      </div>
    </div>
  );
}

/** The monitor's card: today's CSAT and how many ratings it is of. */
export function CSATTodayCard({ tally, lang }: { tally: CSATTally; lang: Lang }) {
  return (
    <div class="card stat" data-testid="stat-csat" title={t('csat.percentHint')}>
      <span class="stat-label">{t('csat.today')}</span>
      <span class="stat-value">{percentText(tally, lang)}
        <small> {tally.avg_stars != null ? starsText(tally, lang) + ' · ' : ''}{t('csat.ofN', { n: tally.count })}</small></span>
    </div>
  );
}

/** The account's rating settings: the scale (or off) and the closing mail's rating link. */
export function RatingSettings({ initial, onSaved }: { initial: AccountSettings; onSaved: (s: AccountSettings) => void }) {
  const [scale, setScale] = useState(initial.ratings);
  const [email, setEmail] = useState(initial.rating_email);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const dirty = scale !== initial.ratings || email !== initial.rating_email;

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const s = await api.updateSettings({ ratings: scale, rating_email: email });
      onSaved(s);
      setScale(s.ratings);
      setEmail(s.rating_email);
      showToast(t('settings.saved'));
    } catch (err) {
      setError(placeError(err, []).text);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="panel form" onSubmit={submit} noValidate data-testid="rating-settings">
      <div>
        <h2 class="panel-title">{t('csat.settings')}</h2>
        <p class="muted small csat-intro">{t('csat.settingsIntro')}</p>
      </div>
      <fieldset class="choice-list" role="radiogroup">
        <legend class="field-label">{t('csat.scale')}</legend>
        {(['stars', 'thumbs', 'off'] as const).map((v) => (
          <label class="check check-block" key={v}>
            <input type="radio" name="ratings" value={v} checked={scale === v} onChange={() => setScale(v)} data-testid={'ratings-' + v} />
            <span><span class="check-title">{t('csat.scale.' + v)}</span><span class="hint">{t('csat.scaleHint.' + v)}</span></span>
          </label>
        ))}
      </fieldset>
      <label class="check check-block">
        <input type="checkbox" checked={email} disabled={scale === 'off'} onChange={(e) => setEmail(e.currentTarget.checked)} data-testid="rating-email" />
        <span><span class="check-title">{t('csat.email')}</span><span class="hint">{t('csat.emailHint')}</span></span>
      </label>
      {error && <p class="form-error" role="alert">{error}</p>}
      <div class="form-actions">
        {dirty && <span class="muted small">{t('common.unsaved')}</span>}
        <button type="submit" class="btn btn-primary" disabled={busy || !dirty} data-testid="rating-settings-save">{busy ? t('common.saving') : t('common.save')}</button>
      </div>
    </form>
  );
}
