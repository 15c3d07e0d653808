import { describe, expect, it } from 'vitest';
import enData from 'emojibase-data/en/compact.json';
import enMsg from 'emojibase-data/en/messages.json';
import ruData from 'emojibase-data/ru/compact.json';
import ruMsg from 'emojibase-data/ru/messages.json';
import { buildEmojiData, fold, searchEmoji, withSkin } from './data';
import { loadPrefs, pushRecent, RECENT_MAX, savePrefs } from './prefs';

const data = buildEmojiData(enData as any, ruData as any, enMsg as any, ruMsg as any, '17.0.0');
const find = (u: string) => data.emoji.find((e) => e.u === u)!;

describe('emoji data', () => {
  it('has the whole set in categories, without skin swatches, with both languages', () => {
    expect(data.emoji.length).toBeGreaterThan(1800);
    expect(data.groups.map((g) => g.key)).toEqual(['smileys-emotion', 'people-body', 'animals-nature', 'food-drink',
      'travel-places', 'activities', 'objects', 'symbols', 'flags']);
    expect(data.groups[0].ru).toBe('смайлики и люди');
    expect(data.emoji.some((e) => e.u === '🏻')).toBe(false);
    const heart = find('❤️');
    expect(heart.n).toBe('red heart');
    expect(heart.q.split(' ')).toContain('сердце');
    // Emoji 17 (2025) is in: e.g. the "fight cloud" / "treasure chest" generation.
    expect(data.emoji.some((e) => e.n === 'treasure chest')).toBe(true);
  });
});

describe('searchEmoji', () => {
  it('finds ❤️ by «сердце» and by "heart"', () => {
    expect(searchEmoji(data, 'сердце')[0].u).toBe('❤️');
    expect(searchEmoji(data, 'heart')[0].u).toBe('❤️');
    expect(searchEmoji(data, 'Сердце').map((e) => e.u)).toContain('❤️');
  });

  it('needs every word, at the start of a word, in either language', () => {
    const r = searchEmoji(data, 'красное сердце').map((e) => e.u);
    expect(r.slice(0, 2)).toContain('❤️');
    expect(r).not.toContain('💔');
    expect(searchEmoji(data, 'ерд')).toEqual([]);
    expect(searchEmoji(data, 'кот').map((e) => e.u)).toContain('🐱');
    expect(searchEmoji(data, 'cat face').map((e) => e.u)).toContain('🐱');
  });

  it('folds ё to е', () => {
    expect(fold('Ёлка Ещё')).toBe('елка еще');
    expect(searchEmoji(data, 'ёлка').map((e) => e.u)).toEqual(searchEmoji(data, 'елка').map((e) => e.u));
    expect(searchEmoji(data, 'елка').length).toBeGreaterThan(0);
  });

  it('answers nothing for an empty query and ranks whole words first', () => {
    expect(searchEmoji(data, '   ')).toEqual([]);
    expect(searchEmoji(data, 'thumbs up')[0].u.startsWith('👍')).toBe(true);
  });
});

describe('skin tones and recent emoji', () => {
  it('applies a tone only to emoji that have one', () => {
    const wave = find('👋');
    expect(withSkin(wave, 0)).toBe('👋');
    expect(withSkin(wave, 1)).toBe('👋🏻');
    expect(withSkin(wave, 5)).toBe('👋🏿');
    expect(withSkin(find('❤️'), 3)).toBe('❤️');
    // Two-person emoji get the uniform tone, not a mixed pair.
    expect(withSkin(find('🤝'), 2)).toBe('🤝🏼');
  });

  it('keeps recent emoji unique, newest first, at most RECENT_MAX', () => {
    let r: string[] = [];
    r = pushRecent(r, '😀');
    r = pushRecent(r, '❤️');
    r = pushRecent(r, '😀');
    expect(r).toEqual(['😀', '❤️']);
    for (let i = 0; i < 40; i++) r = pushRecent(r, String.fromCodePoint(0x1f600 + i));
    expect(r.length).toBe(RECENT_MAX);
    expect(r[0]).toBe(String.fromCodePoint(0x1f600 + 39));
  });

  it('remembers recent emoji and the tone, and survives bad storage', () => {
    const m = new Map<string, string>();
    const store = { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
    expect(loadPrefs(store)).toEqual({ recent: [], tone: 0 });
    savePrefs(store, { recent: ['👍🏽'], tone: 3 });
    expect(loadPrefs(store)).toEqual({ recent: ['👍🏽'], tone: 3 });
    m.set('livedesk.emoji', '{"recent":"nope","tone":9}');
    expect(loadPrefs(store)).toEqual({ recent: [], tone: 0 });
    m.set('livedesk.emoji', 'not json');
    expect(loadPrefs(store)).toEqual({ recent: [], tone: 0 });
    expect(loadPrefs(null)).toEqual({ recent: [], tone: 0 });
    const broken = { getItem: () => { throw new Error('blocked'); }, setItem: () => { throw new Error('full'); } };
    expect(loadPrefs(broken)).toEqual({ recent: [], tone: 0 });
    expect(() => savePrefs(broken, { recent: [], tone: 1 })).not.toThrow();
  });
});
