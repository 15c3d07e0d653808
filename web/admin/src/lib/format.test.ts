import { describe, expect, it } from 'vitest';
import { checkRange, formatBytes, formatDuration, presetRange, rangePreset, secondsSince, shortDay } from './format';

describe('formatDuration', () => {
  it('shows seconds under a minute', () => {
    expect(formatDuration(0)).toBe('0 с');
    expect(formatDuration(45.4)).toBe('45 с');
    expect(formatDuration(59.6)).toBe('1 мин');
  });
  it('shows the two largest units', () => {
    expect(formatDuration(80)).toBe('1 мин 20 с');
    expect(formatDuration(120)).toBe('2 мин');
    expect(formatDuration(3600 * 2 + 5 * 60 + 7)).toBe('2 ч 5 мин');
    expect(formatDuration(3600 + 30)).toBe('1 ч');
    expect(formatDuration(86400 * 3 + 3600 * 4)).toBe('3 д 4 ч');
  });
  it('speaks English', () => {
    expect(formatDuration(80, 'en')).toBe('1 min 20 s');
    expect(formatDuration(7200, 'en')).toBe('2 h');
  });
  it('shows a dash for nothing', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(-1)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});

describe('report ranges', () => {
  const today = new Date(2026, 2, 5, 15, 30); // 5 March 2026, local time
  it('presets end today and include it', () => {
    expect(presetRange('today', today)).toEqual({ from: '2026-03-05', to: '2026-03-05' });
    expect(presetRange('7d', today)).toEqual({ from: '2026-02-27', to: '2026-03-05' });
    expect(presetRange('30d', today)).toEqual({ from: '2026-02-04', to: '2026-03-05' });
  });
  it('recognises a preset range', () => {
    expect(rangePreset({ from: '2026-02-27', to: '2026-03-05' }, today)).toBe('7d');
    expect(rangePreset({ from: '2026-02-28', to: '2026-03-05' }, today)).toBeNull();
  });
  it('checks custom ranges', () => {
    expect(checkRange({ from: '2026-03-01', to: '2026-03-05' })).toBeNull();
    expect(checkRange({ from: '2026-03-05', to: '2026-03-05' })).toBeNull();
    expect(checkRange({ from: '2026-03-06', to: '2026-03-05' })).toBe('reports.range.order');
    expect(checkRange({ from: '', to: '2026-03-05' })).toBe('reports.range.invalid');
    expect(checkRange({ from: '2024-01-01', to: '2026-03-05' })).toBe('reports.range.tooLong');
  });
  it('labels days', () => {
    expect(shortDay('2026-03-05')).toBe('05.03');
    expect(shortDay('2026-03-05', 'en')).toBe('03/05');
  });
});

describe('misc', () => {
  it('counts seconds since a time, never negative', () => {
    const now = Date.parse('2026-03-05T10:00:00Z');
    expect(secondsSince('2026-03-05T09:58:40Z', now)).toBe(80);
    expect(secondsSince('2026-03-05T10:00:10Z', now)).toBe(0);
    expect(secondsSince('garbage', now)).toBe(0);
  });
  it('formats bytes', () => {
    expect(formatBytes(512)).toBe('512 Б');
    expect(formatBytes(512 * 1024)).toBe('512 КБ');
    expect(formatBytes(1536 * 1024, 'en')).toBe('1.5 MB');
    expect(formatBytes(1536 * 1024)).toBe('1,5 МБ');
  });
});
