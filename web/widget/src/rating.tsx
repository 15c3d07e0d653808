// The rating card (docs/widget.md § Rating): after a conversation ends, «Оцените, пожалуйста,
// консультацию» with 1–5 stars or thumbs (the account's scale) and an optional comment; then
// the thanks, with «Изменить» while the rating may still change.

import { useEffect, useRef, useState } from 'preact/hooks';
import type { Chat, RatingPrompt } from './chat';
import type { Texts } from './i18n';

const STARS = [1, 2, 3, 4, 5];

function Stars({ value, hover, onPick, onHover, t, readOnly }: {
  value: number | null; hover: number | null; onPick?: (n: number) => void; onHover?: (n: number | null) => void; t: Texts; readOnly?: boolean;
}) {
  const shown = hover ?? value ?? 0;
  if (readOnly) {
    return (
      <span class="ld-stars ld-stars-ro" role="img" aria-label={t.rateStar(value ?? 0)}>
        {STARS.map((n) => <span class={'ld-star' + (n <= shown ? ' ld-star-on' : '')} aria-hidden="true">★</span>)}
      </span>
    );
  }
  return (
    <div class="ld-stars" role="radiogroup" aria-label={t.rateTitle} onMouseLeave={() => onHover?.(null)}>
      {STARS.map((n) => (
        <button type="button" role="radio" aria-checked={value === n} aria-label={t.rateStar(n)} title={t.rateStar(n)}
          class={'ld-star' + (n <= shown ? ' ld-star-on' : '')} data-testid={'rating-star-' + n}
          onMouseEnter={() => onHover?.(n)} onFocus={() => onHover?.(n)} onBlur={() => onHover?.(null)} onClick={() => onPick?.(n)}>★</button>
      ))}
    </div>
  );
}

function Thumbs({ value, onPick, t }: { value: number | null; onPick: (n: number) => void; t: Texts }) {
  return (
    <div class="ld-thumbs" role="radiogroup" aria-label={t.rateTitle}>
      {[{ n: 1, icon: '👍', label: t.rateUp }, { n: 0, icon: '👎', label: t.rateDown }].map(({ n, icon, label }) => (
        <button type="button" role="radio" aria-checked={value === n} class={'ld-thumb' + (value === n ? ' ld-thumb-on' : '')}
          data-testid={'rating-thumb-' + (n ? 'up' : 'down')} onClick={() => onPick(n)}>
          <span aria-hidden="true">{icon}</span> {label}
        </button>
      ))}
    </div>
  );
}

/** The card of the rating prompt `r` (shown at the end of the chat when no conversation is open). */
export function RatingCard({ chat, r, t }: { chat: Chat; r: RatingPrompt; t: Texts }) {
  const given = r.rating;
  const [editing, setEditing] = useState(!given);
  const [score, setScore] = useState<number | null>(given ? given.score : null);
  const [hover, setHover] = useState<number | null>(null);
  const [comment, setComment] = useState(given?.comment ?? '');
  const [now, setNow] = useState(Date.now());
  const text = useRef<HTMLTextAreaElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const thumbs = r.request.scale === 'thumbs';

  // A rating taken (here or in another tab) closes the form.
  useEffect(() => {
    if (!given) return;
    setEditing(false);
    setScore(given.score);
    setComment(given.comment);
  }, [given?.updated_at]);
  // «Изменить» goes when the rating may no longer change.
  useEffect(() => {
    const left = r.changeUntil - Date.now();
    if (!given || left <= 0) return;
    const id = setTimeout(() => setNow(Date.now()), left + 50);
    return () => clearTimeout(id);
  }, [r.changeUntil, given?.updated_at]);

  // A score opens the comment and «Отправить» below: bring them into view, then type.
  const pick = (n: number) => {
    setScore(n);
    setTimeout(() => {
      form.current?.scrollIntoView({ block: 'nearest' });
      text.current?.focus({ preventScroll: true });
    }, 0);
  };
  const error = r.error ? t.rateErrors[r.error] ?? t.rateErrors.failed : '';

  if (given && !editing) {
    return (
      <div class="ld-card ld-rate" data-testid="rating-card" aria-label={t.rateTitle}>
        <strong data-testid="rating-thanks">{t.rateThanks}</strong>
        <div class="ld-rate-given">
          <span class="ld-hint">{t.rateYours}:</span>
          {thumbs || given.scale === 'thumbs'
            ? <span>{given.score ? '👍 ' + t.rateUp : '👎 ' + t.rateDown}</span>
            : <Stars value={given.score} hover={null} t={t} readOnly />}
        </div>
        {given.comment && <p class="ld-rate-comment">«{given.comment}»</p>}
        {r.changeUntil > now && (
          <button type="button" class="ld-retry ld-rate-change" data-testid="rating-change" onClick={() => setEditing(true)}>{t.rateChange}</button>
        )}
      </div>
    );
  }
  return (
    <form ref={form} class="ld-card ld-rate" data-testid="rating-card" aria-label={t.rateTitle}
      onSubmit={(e) => { e.preventDefault(); if (score !== null) void chat.rate(score, comment); }}>
      <strong>{t.rateTitle}</strong>
      {thumbs ? <Thumbs value={score} onPick={pick} t={t} /> : <Stars value={score} hover={hover} onPick={pick} onHover={setHover} t={t} />}
      {score !== null && (
        <textarea ref={text} class="ld-input ld-rate-text" rows={2} maxLength={1000} placeholder={t.rateComment} aria-label={t.rateComment}
          value={comment} data-testid="rating-comment" onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)} />
      )}
      {error && <span class="ld-error" role="alert" data-testid="rating-error">{error}</span>}
      <div class="ld-row">
        {score !== null && (
          <button type="submit" class="ld-btn ld-btn-primary" disabled={r.sending} data-testid="rating-send">{t.rateSend}</button>
        )}
        {!given && <button type="button" class="ld-btn" data-testid="rating-skip" onClick={() => chat.skipRating()}>{t.rateSkip}</button>}
      </div>
    </form>
  );
}

/** The card's CSS (added to the widget's, styles.ts). */
export const ratingCss = `
.ld-rate{gap:10px}
.ld-stars{display:flex;gap:2px;margin:-2px 0}
.ld-star{border:0;background:none;padding:0 3px;font-size:30px;line-height:1;color:#d1d5db;transition:color .1s,transform .1s}
button.ld-star:hover{transform:scale(1.12)}
.ld-star-on{color:#f59e0b}
.ld-stars-ro .ld-star{font-size:18px;padding:0 1px}
.ld-thumbs{display:flex;gap:8px}
.ld-thumb{display:flex;align-items:center;gap:6px;border:1px solid #d1d5db;background:#fff;border-radius:10px;padding:7px 14px;font-size:14px}
.ld-thumb span{font-size:18px}
.ld-thumb-on{border-color:var(--ld-accent);background:color-mix(in srgb,var(--ld-accent) 10%,#fff);font-weight:600}
.ld-rate-text{min-height:56px}
.ld-rate-given{display:flex;align-items:center;gap:8px}
.ld-rate-comment{margin:0;color:#374151;font-size:13px;white-space:pre-wrap;overflow-wrap:anywhere}
.ld-rate-change{align-self:flex-start}
@media (prefers-reduced-motion:reduce){.ld-star{transition:none}}
`;
