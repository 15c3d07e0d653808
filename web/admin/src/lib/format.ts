// Pure formatting helpers: durations, dates, report ranges.

import type { Lang } from '../../../shared/i18n';

export type { Lang };

const UNITS: Record<Lang, { d: string; h: string; m: string; s: string }> = {
  ru: { d: 'д', h: 'ч', m: 'мин', s: 'с' },
  en: { d: 'd', h: 'h', m: 'min', s: 's' },
};

/**
 * A duration for people: the two largest non-zero units, e.g. «1 мин 20 с», «2 ч 5 мин»,
 * «3 д 4 ч». Fractions are rounded to whole seconds; null or negative shows «—».
 */
export function formatDuration(seconds: number | null | undefined, lang: Lang = 'ru'): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const u = UNITS[lang];
  let s = Math.round(seconds);
  if (s < 60) return `${s} ${u.s}`;
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts: [number, string][] = [[d, u.d], [h, u.h], [m, u.m], [s, u.s]];
  const first = parts.findIndex(([n]) => n > 0);
  const out = [parts[first]];
  const next = parts[first + 1];
  if (next && next[0] > 0) out.push(next);
  return out.map(([n, unit]) => `${n} ${unit}`).join(' ');
}

/** YYYY-MM-DD of a date in the browser's time zone. */
export function isoDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The date `days` calendar days from d (negative: back), at the same local time. */
export function addDays(d: Date, days: number): Date {
  const r = new Date(d.getTime());
  r.setDate(r.getDate() + days);
  return r;
}

export type Preset = 'today' | '7d' | '30d';
export interface Range { from: string; to: string }

/** The inclusive day range of a preset ending today. */
export function presetRange(preset: Preset, today: Date): Range {
  const back = preset === 'today' ? 0 : preset === '7d' ? 6 : 29;
  return { from: isoDay(addDays(today, -back)), to: isoDay(today) };
}

/** Which preset a range is, if any. */
export function rangePreset(r: Range, today: Date): Preset | null {
  for (const p of ['today', '7d', '30d'] as Preset[]) {
    const x = presetRange(p, today);
    if (x.from === r.from && x.to === r.to) return p;
  }
  return null;
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Why a custom range cannot be asked for (a dictionary key), or null if it is fine. */
export function checkRange(r: Range): string | null {
  if (!DAY_RE.test(r.from) || !DAY_RE.test(r.to)) return 'reports.range.invalid';
  if (r.from > r.to) return 'reports.range.order';
  const days = (Date.parse(r.to + 'T00:00:00Z') - Date.parse(r.from + 'T00:00:00Z')) / 86400000 + 1;
  if (days > 366) return 'reports.range.tooLong';
  return null;
}

/** A short day label of YYYY-MM-DD: «05.03» (ru) or "03/05" (en). */
export function shortDay(day: string, lang: Lang = 'ru'): string {
  const [, m, d] = day.split('-');
  return lang === 'ru' ? `${d}.${m}` : `${m}/${d}`;
}

/** Seconds elapsed from an ISO time to now (never negative). */
export function secondsSince(iso: string, now: number): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 0;
  return Math.max(0, (now - t) / 1000);
}

/** Bytes for people: «512 КБ», "1.5 MB". */
export function formatBytes(n: number, lang: Lang = 'ru'): string {
  const units = lang === 'ru' ? ['Б', 'КБ', 'МБ'] : ['B', 'KB', 'MB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const num = i === 0 || v >= 10 ? String(Math.round(v)) : v.toFixed(1).replace(/\.0$/, '');
  return `${lang === 'ru' ? num.replace('.', ',') : num} ${units[i]}`;
}
