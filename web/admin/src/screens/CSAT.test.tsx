import { h, render } from 'preact';
import { describe, expect, it } from 'vitest';
import type { CSATReport, CSATTally } from '../api/types';
import { setLang } from '../i18n';
import { CSATSection, CSATTodayCard, percentText, starsText } from './CSAT';

const none: CSATTally = { count: 0, satisfied: 0, percent: null, stars: 0, avg_stars: null, thumbs_up: 0, thumbs_down: 0 };
const three: CSATTally = { count: 3, satisfied: 2, percent: 200 / 3, stars: 3, avg_stars: 11 / 3, thumbs_up: 0, thumbs_down: 0 };

function report(over: Partial<CSATReport> = {}): CSATReport {
  return {
    totals: three,
    by_day: [{ date: '2026-03-01', ...none }, { date: '2026-03-02', ...three }],
    by_operator: [{ operator_id: '7', name: 'Анна', ...three }],
    by_category: [{ category_id: '3', name: 'Оплата', ...three }, { category_id: null, name: '', ...none, count: 1, percent: 0 }],
    comments: [{ conversation_id: '31', scale: 'stars', score: 5, comment: 'Спасибо, всё решили быстро', at: '2026-03-02T09:42:00.000Z',
      visitor_name: 'Ирина', operator_id: '7', operator_name: 'Анна', category_name: 'Оплата' }],
    comments_total: 1,
    ...over,
  };
}

describe('CSAT figures', () => {
  it('rounds the share and gives the mean with one decimal; none is a dash', () => {
    expect(percentText(three, 'ru')).toBe('67%');
    expect(starsText(three, 'en')).toBe('3.7 ★');
    expect(starsText(three, 'ru')).toBe('3,7 ★');
    expect(percentText(none, 'ru')).toBe('—');
    expect(starsText(none, 'ru')).toBe('—');
  });

  it('shows the totals, the tables and the comments of a report', () => {
    const box = document.createElement('div');
    render(h(CSATSection, { csat: report(), lang: 'ru' }), box);
    expect(box.querySelector('[data-testid=csat-total-percent]')?.textContent).toContain('67%');
    expect(box.querySelector('[data-testid=csat-operator]')?.textContent).toBe('Анна367%3,7 ★');
    expect(box.querySelectorAll('[data-testid=csat-category]')[1]?.textContent).toContain('Без категории');
    const c = box.querySelector('[data-testid=csat-comment]')!;
    expect(c.textContent).toContain('Спасибо, всё решили быстро');
    expect(c.textContent).toContain('Ирина');
    expect(c.querySelector('[role=img]')?.getAttribute('aria-label')).toBe('5 из 5');
    render(null, box);
  });

  it('says when a period has no ratings, and the monitor card counts today (in English)', () => {
    setLang('en');
    const box = document.createElement('div');
    render(h(CSATSection, { csat: report({ totals: none, by_day: [], by_operator: [], by_category: [], comments: [], comments_total: 0 }), lang: 'en' }), box);
    expect(box.textContent).toContain('No ratings in this period');
    expect(box.querySelector('[data-testid=csat-comments]')).toBeNull();
    render(h(CSATTodayCard, { tally: three, lang: 'en' }), box);
    expect(box.querySelector('[data-testid=stat-csat]')?.textContent).toBe('CSAT today67% 3.7 ★ · ratings: 3');
    render(null, box);
    setLang('ru');
  });
});
