// The emoji and sticker window of both apps (operator composer and visitor widget): one
// button opens it; two tabs, emoji (categories, search in Russian and English, recently
// used, skin tones) and stickers (the packs; picking one sends it at once).

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Emoji, EmojiData, SkinTone } from '../emoji/data';
import { searchEmoji, withSkin } from '../emoji/data';
import { loadPrefs, pushRecent, savePrefs } from '../emoji/prefs';
import { AsyncImg, type ImageSource } from './Media';
import type { MediaLang, MediaTexts } from './texts';

import type { Sticker, StickerPack } from '../api/types.gen';

export type { Sticker, StickerPack };

type Tab = 'emoji' | 'stickers';

const GROUP_ICONS: Record<string, string> = {
  'smileys-emotion': '😀', 'people-body': '👋', 'animals-nature': '🐻', 'food-drink': '🍔', 'travel-places': '🚗',
  activities: '⚽', objects: '💡', symbols: '❤️', flags: '🏁',
};
const TONE_SWATCH = ['✋', '✋🏻', '✋🏼', '✋🏽', '✋🏾', '✋🏿'];
const COLS = 8;

export interface PickerProps {
  lang: MediaLang;
  tx: MediaTexts;
  loadEmoji: () => Promise<EmojiData>;
  loadPacks: () => Promise<StickerPack[]>;
  image: ImageSource;
  onEmoji: (emoji: string) => void;
  onSticker: (s: Sticker) => void;
  onClose: () => void;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  /** Stickers cannot be sent now (e.g. writing a comment): the tab says why. */
  stickersOff?: string | undefined;
  initialTab?: Tab;
}

function useLoad<T>(load: () => Promise<T>): [T | null, boolean, () => void] {
  const [value, setValue] = useState<T | null>(null);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setFailed(false);
    load().then((v) => { if (live) setValue(v); }, () => { if (live) setFailed(true); });
    return () => { live = false; };
  }, [attempt]);
  return [value, failed, () => setAttempt((n) => n + 1)];
}

/** Moves the focus in a grid of buttons with the arrow keys, Home and End. */
function gridKeys(e: KeyboardEvent, cols: number) {
  const grid = e.currentTarget as HTMLElement;
  const items = Array.from(grid.querySelectorAll<HTMLButtonElement>('button[data-cell]'));
  const i = items.indexOf(e.target as HTMLButtonElement);
  if (i < 0) return;
  const step: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: cols, ArrowUp: -cols };
  let j = -1;
  if (e.key in step) j = i + step[e.key];
  else if (e.key === 'Home') j = 0;
  else if (e.key === 'End') j = items.length - 1;
  else return;
  e.preventDefault();
  if (j < 0 && e.key === 'ArrowUp') {
    grid.closest('.mp')?.querySelector<HTMLInputElement>('.mp-search')?.focus();
    return;
  }
  items[Math.max(0, Math.min(items.length - 1, j))]?.focus();
}

export function Picker(p: PickerProps) {
  const [tab, setTab] = useState<Tab>(p.initialTab ?? 'emoji');
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const onDown = (e: MouseEvent) => {
      const path = e.composedPath();
      if (root.current && !path.includes(root.current) && !path.some((n) => (n as HTMLElement).dataset?.mediaToggle)) p.onClose();
    };
    // Esc closes it wherever the focus is (it may still be on the button that opened it).
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) {
        e.preventDefault();
        p.onClose();
      }
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, []);
  const tabBtn = (t: Tab, label: string) => (
    <button type="button" role="tab" class={'mp-tab' + (tab === t ? ' mp-tab-on' : '')} aria-selected={tab === t}
      data-testid={'picker-tab-' + t} onClick={() => setTab(t)}>{label}</button>
  );
  return (
    <div class="mp" ref={root} role="dialog" aria-label={p.tx.pickerTitle} data-testid="media-picker"
      onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); p.onClose(); } }}>
      <div class="mp-tabs" role="tablist">
        {tabBtn('emoji', p.tx.emoji)}
        {tabBtn('stickers', p.tx.stickers)}
      </div>
      {tab === 'emoji' ? <EmojiTab {...p} /> : <StickerTab {...p} />}
    </div>
  );
}

function EmojiTab(p: PickerProps) {
  const [data, failed, retry] = useLoad(p.loadEmoji);
  const [q, setQ] = useState('');
  const [prefs, setPrefs] = useState(() => loadPrefs(p.storage));
  const [tones, setTones] = useState(false);
  const body = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => { search.current?.focus(); }, []);

  const results = useMemo(() => (data && q.trim() ? searchEmoji(data, q) : null), [data, q]);
  const byGroup = useMemo(() => {
    if (!data) return [];
    const out: Emoji[][] = data.groups.map(() => []);
    for (const e of data.emoji) out[e.g].push(e);
    return out;
  }, [data]);

  const pick = (e: Emoji | string) => {
    const ch = typeof e === 'string' ? e : withSkin(e, prefs.tone);
    const next = { ...prefs, recent: pushRecent(prefs.recent, ch) };
    setPrefs(next);
    savePrefs(p.storage, next);
    p.onEmoji(ch);
  };
  const setTone = (tone: SkinTone) => {
    const next = { ...prefs, tone };
    setPrefs(next);
    savePrefs(p.storage, next);
    setTones(false);
  };
  const cell = (e: Emoji) => {
    const ch = withSkin(e, prefs.tone);
    const label = p.lang === 'ru' && e.r ? e.r : e.n;
    // Not in the Tab order (2,000 stops): ↓ from the search enters the grid, arrows move.
    return <button type="button" class="mp-e" data-cell key={e.u} title={label} aria-label={label} data-emoji={e.u} tabIndex={-1}
      onClick={() => pick(e)}>{ch}</button>;
  };
  const jump = (id: string) => body.current?.querySelector('#' + id)?.scrollIntoView({ block: 'start' });

  return (
    <div class="mp-pane">
      <div class="mp-bar">
        <input ref={search} class="mp-search" type="search" value={q} placeholder={p.tx.search} aria-label={p.tx.search}
          data-testid="emoji-search"
          onInput={(e) => setQ((e.target as HTMLInputElement).value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && results?.[0]) { e.preventDefault(); pick(results[0]); }
            else if (e.key === 'ArrowDown') { e.preventDefault(); body.current?.querySelector<HTMLButtonElement>('button[data-cell]')?.focus(); }
          }} />
        <div class="mp-tone-wrap">
          <button type="button" class="mp-tone" aria-label={p.tx.skinTone + ': ' + p.tx.tones[prefs.tone]} title={p.tx.skinTone}
            aria-expanded={tones} data-testid="skin-tone" onClick={() => setTones(!tones)}>{TONE_SWATCH[prefs.tone]}</button>
          {tones && (
            <div class="mp-tones" role="listbox" aria-label={p.tx.skinTone}>
              {TONE_SWATCH.map((s, i) => (
                <button type="button" role="option" aria-selected={prefs.tone === i} class="mp-e" title={p.tx.tones[i]}
                  aria-label={p.tx.tones[i]} data-testid={'tone-' + i} onClick={() => setTone(i as SkinTone)}>{s}</button>
              ))}
            </div>
          )}
        </div>
      </div>
      {data && !results && (
        <nav class="mp-cats" aria-label={p.tx.emoji}>
          {prefs.recent.length > 0 && <button type="button" class="mp-cat" title={p.tx.recent} aria-label={p.tx.recent} onClick={() => jump('mp-g-recent')}>🕘</button>}
          {data.groups.map((g, i) => (
            <button type="button" class="mp-cat" title={p.lang === 'ru' ? g.ru : g.en} aria-label={p.lang === 'ru' ? g.ru : g.en}
              onClick={() => jump('mp-g-' + i)}>{GROUP_ICONS[g.key] ?? '•'}</button>
          ))}
        </nav>
      )}
      <div class="mp-body" ref={body} onKeyDown={(e) => gridKeys(e, COLS)}>
        {!data && !failed && <div class="mp-note">{p.tx.loading}</div>}
        {failed && <div class="mp-note">{p.tx.loadFailed} <button type="button" class="mp-link" onClick={retry}>{p.tx.retry}</button></div>}
        {results && (results.length
          ? <div class="mp-grid" data-testid="emoji-results">{results.map(cell)}</div>
          : <div class="mp-note">{p.tx.noResults}</div>)}
        {data && !results && (
          <>
            {prefs.recent.length > 0 && (
              <section id="mp-g-recent">
                <h3 class="mp-h">{p.tx.recent}</h3>
                <div class="mp-grid" data-testid="emoji-recent">
                  {prefs.recent.map((ch) => <button type="button" class="mp-e" data-cell key={ch} tabIndex={-1} onClick={() => pick(ch)}>{ch}</button>)}
                </div>
              </section>
            )}
            {data.groups.map((g, i) => (
              <section id={'mp-g-' + i} class="mp-section">
                <h3 class="mp-h">{p.lang === 'ru' ? g.ru : g.en}</h3>
                <div class="mp-grid">{byGroup[i].map(cell)}</div>
              </section>
            ))}
          </>
        )}
      </div>
    </div>
  );
}

function StickerTab(p: PickerProps) {
  const [packs, failed, retry] = useLoad(p.loadPacks);
  if (p.stickersOff) return <div class="mp-pane"><div class="mp-note">{p.stickersOff}</div></div>;
  return (
    <div class="mp-pane">
      <div class="mp-body mp-stickers" onKeyDown={(e) => gridKeys(e, 4)}>
        {!packs && !failed && <div class="mp-note">{p.tx.loading}</div>}
        {failed && <div class="mp-note">{p.tx.loadFailed} <button type="button" class="mp-link" onClick={retry}>{p.tx.retry}</button></div>}
        {packs && packs.every((x) => !x.stickers.length) && <div class="mp-note">{p.tx.noStickers}</div>}
        {packs?.filter((x) => x.stickers.length).map((pack) => (
          <section key={pack.id}>
            <h3 class="mp-h">{pack.name}</h3>
            <div class="mp-sgrid">
              {pack.stickers.map((s) => (
                <button type="button" class="mp-s" data-cell key={s.id} title={s.name} aria-label={p.tx.sticker + ' «' + s.name + '»'}
                  data-sticker={s.id} onClick={() => p.onSticker(s)}>
                  <AsyncImg src={s.url} image={p.image} alt={s.name} />
                </button>
              ))}
            </div>
          </section>
        ))}
      </div>
    </div>
  );
}
