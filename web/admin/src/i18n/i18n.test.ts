import { describe, expect, it } from 'vitest';
import { en } from './en';
import { ru } from './ru';
import { getLang, setLang, t } from '.';

describe('i18n', () => {
  it('has the same keys and placeholders in both languages', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ru).sort());
    const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const k of Object.keys(ru) as (keyof typeof ru)[]) expect(ph(en[k]), k).toEqual(ph(ru[k]));
  });
  it('is Russian by default, switches and remembers English', () => {
    expect(getLang()).toBe('ru');
    expect(t('nav.reports')).toBe('Отчёты');
    setLang('en');
    expect(t('nav.reports')).toBe('Reports');
    expect(localStorage.getItem('livedesk.lang')).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    setLang('ru');
  });
  it('fills placeholders and falls back to the key', () => {
    expect(t('common.deleted', { name: 'Оплата' })).toBe('Удалено: «Оплата»');
    expect(t('no.such.key')).toBe('no.such.key');
  });
});
