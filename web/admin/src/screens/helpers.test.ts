import { describe, expect, it } from 'vitest';
import { snippet } from './ContactPoints';
import { filterWords } from './Dictionary';
import { checkStickerFiles } from './Stickers';

const limits = { max_packs: 10, max_stickers_per_pack: 3, max_image_bytes: 512 * 1024 };

describe('screen helpers', () => {
  it('builds the widget snippet', () => {
    expect(snippet('https://desk.example', 'abc 1')).toBe('<script src="https://desk.example/widget.js?key=abc%201" async></script>');
  });
  it('filters dictionary words ignoring case and ё', () => {
    expect(filterWords(['Ёлка', 'livedesk', 'елочный', 'Яблоко'], 'ел')).toEqual(['Ёлка', 'елочный']);
    expect(filterWords(['b', 'a'], '')).toEqual(['a', 'b']);
  });
  it('checks sticker files against the limits', () => {
    expect(checkStickerFiles([{ name: 'a.png', type: 'image/png', size: 1000 }], 0, limits)).toEqual([]);
    expect(checkStickerFiles([{ name: 'a.svg', type: 'image/svg+xml', size: 10 }], 0, limits)[0]).toContain('a.svg');
    expect(checkStickerFiles([{ name: 'big.gif', type: 'image/gif', size: 600 * 1024 }], 0, limits)[0]).toContain('512 КБ');
    expect(checkStickerFiles([{ name: 'a.png', type: 'image/png', size: 1 }, { name: 'b.png', type: 'image/png', size: 1 }], 2, limits)[0])
      .toContain('ещё 1');
  });
});

describe('mail explanation', () => {
  it('keeps server options whole', async () => {
    const { withOptions } = await import('./ContactPoints');
    const parts = withOptions('a --smtp-listen b --smtp-relay.');
    expect(parts.filter((p) => typeof p === 'string')).toEqual(['a ', ' b ', '.']);
    expect(parts.filter((p) => typeof p !== 'string').map((p: any) => p.props.children)).toEqual(['--smtp-listen', '--smtp-relay']);
  });
});
