import type { Lang } from '../i18n';

const locale = (lang: Lang) => (lang === 'ru' ? 'ru-RU' : 'en-GB');

export function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** The list's time column: the time for today, the date for earlier days. */
export function listTime(iso: string, lang: Lang, now = new Date()): string {
  const d = new Date(iso);
  if (sameDay(d, now)) return d.toLocaleTimeString(locale(lang), { hour: '2-digit', minute: '2-digit' });
  const opts: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short' };
  if (d.getFullYear() !== now.getFullYear()) opts.year = 'numeric';
  return d.toLocaleDateString(locale(lang), opts).replace(/\.$/, '');
}

export function clockTime(iso: string, lang: Lang): string {
  return new Date(iso).toLocaleTimeString(locale(lang), { hour: '2-digit', minute: '2-digit' });
}

/** A day separator's label: «Сегодня», «Вчера» or the full date. */
export function dayLabel(iso: string, lang: Lang, today: string, yesterday: string, now = new Date()): string {
  const d = new Date(iso);
  if (sameDay(d, now)) return today;
  const y = new Date(now);
  y.setDate(now.getDate() - 1);
  if (sameDay(d, y)) return yesterday;
  const opts: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', weekday: 'long' };
  if (d.getFullYear() !== now.getFullYear()) opts.year = 'numeric';
  return d.toLocaleDateString(locale(lang), opts);
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts[1]?.[0] ?? '')).toUpperCase();
}

/** A client id for an idempotent send (printable ASCII, ≤ 64 chars). */
export function clientId(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2);
}

/** Where to put a context menu of about this size so that it stays inside the window. */
export function menuPosition(x: number, y: number, width = 240, height = 110): { left: string; top: string } {
  return {
    left: Math.max(4, Math.min(x, window.innerWidth - width - 4)) + 'px',
    top: Math.max(4, Math.min(y, window.innerHeight - height - 4)) + 'px',
  };
}

/** When a conversation was closed, for the archive: «14:05» today, else «12 мар, 14:05» (the year if not this one). */
export function closedTime(iso: string, lang: Lang, now = new Date()): string {
  const d = new Date(iso);
  const time = clockTime(iso, lang);
  if (sameDay(d, now)) return time;
  const opts: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short' };
  if (d.getFullYear() !== now.getFullYear()) opts.year = 'numeric';
  return d.toLocaleDateString(locale(lang), opts).replace(/\.$/, '').replace(/ г$/, '') + ', ' + time;
}

/** The full date and time, for the header of a closed conversation. */
export function fullTime(iso: string, lang: Lang): string {
  return new Date(iso).toLocaleString(locale(lang), { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export { guestNumber } from '../../../shared/guest';
