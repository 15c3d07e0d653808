import type { Rating } from '../api/types';
import { getLang, t } from '../i18n';
import { fullTime } from '../lib/format';

/** The stars (or thumb) of a visitor's rating, with its meaning for screen readers. */
export function RatingMark({ rating }: { rating: Rating }) {
  if (rating.scale === 'thumbs') {
    const up = rating.score === 1;
    return (
      <span class={'rating-mark rating-thumb ' + (up ? 'rating-good' : 'rating-bad')} role="img"
        aria-label={t(up ? 'rating.up' : 'rating.down')} title={t(up ? 'rating.up' : 'rating.down')}>{up ? '👍' : '👎'}</span>
    );
  }
  const label = t('rating.stars', { n: String(rating.score) });
  return (
    <span class={'rating-mark rating-stars ' + (rating.score >= 4 ? 'rating-good' : rating.score <= 2 ? 'rating-bad' : '')}
      role="img" aria-label={label} title={label}>
      {'★'.repeat(rating.score)}<span class="rating-off">{'★'.repeat(5 - rating.score)}</span>
    </span>
  );
}

/** The conversation list's mark: the rating, its comment in the tooltip. */
export function RatingTag({ rating }: { rating: Rating }) {
  return (
    <span class="tag tag-rating" data-testid="conv-rating" data-score={rating.score}
      title={t('rating.label') + (rating.comment ? ': «' + rating.comment + '»' : '')}>
      <RatingMark rating={rating} />
    </span>
  );
}

/** The banner of a rated conversation above its history: the rating, the comment, when and how. */
export function RatingBanner({ rating }: { rating: Rating }) {
  const changed = rating.updated_at !== rating.created_at;
  return (
    <div class="chat-banner banner-rating" data-testid="chat-rating" data-score={rating.score}>
      <span class="rating-what">
        <strong>{t('rating.label')}:</strong> <RatingMark rating={rating} />
        {rating.comment && <q class="rating-comment" data-testid="chat-rating-comment">{rating.comment}</q>}
      </span>
      <time class="muted small" dateTime={rating.updated_at}>
        {fullTime(rating.updated_at, getLang())}
        {rating.source === 'email' ? ' · ' + t('rating.fromEmail') : ''}{changed ? ' · ' + t('rating.changed') : ''}
      </time>
    </div>
  );
}
