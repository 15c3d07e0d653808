// Spell check in the composer (issue 7, DESIGN §2.9): red wavy underlines under misspelled
// words and the menu of suggestions. The underlines are drawn by an overlay laid exactly
// over the textarea (same box, font, padding and wrapping; transparent text; no pointer
// events), scrolled with it. Composer.tsx only places what this hook returns.
import type { RefObject } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import { api } from '../api/client';
import { t } from '../i18n';
import { type Misspelling, SpellChecker, locate, markAt, replaceRange, segments } from '../state/spell';
import { spellSession } from '../state/spellSession';

interface Args {
  input: RefObject<HTMLTextAreaElement | null>;
  text: string;
  /** The composer is blocked (offline, not assigned): no checks, no underlines. */
  disabled: boolean;
}

interface MenuState {
  mark: Misspelling;
  x: number;
  y: number;
  /** The top of the word's line: with no room below, the menu opens above it (the word stays visible). */
  top: number;
  /** The selection to restore when the menu closes (as it was before the right click). */
  sel: { start: number; end: number };
}

// What the overlay copies from the textarea's computed style so that lines wrap identically.
const COPIED = [
  'fontFamily', 'fontSize', 'fontWeight', 'fontStyle', 'fontVariant', 'fontStretch', 'letterSpacing', 'wordSpacing', 'lineHeight',
  'textTransform', 'textIndent', 'textAlign', 'tabSize', 'direction', 'boxSizing',
  'paddingTop', 'paddingLeft', 'paddingBottom', 'borderTopWidth', 'borderRightWidth', 'borderBottomWidth', 'borderLeftWidth',
] as const;

/** Spell check for the composer's textarea: the overlay, the menu, and the checker behind them. */
export function useSpell({ input, text, disabled }: Args) {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const [enabled, setEnabled] = useState(spellSession.enabled);
  const [menu, setMenu] = useState<MenuState | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const overlay = useRef<HTMLDivElement>(null);
  const pasted = useRef(false);
  const rightDown = useRef<{ start: number; end: number } | null>(null);
  const checker = useMemo(() => new SpellChecker({
    check: (s, signal) => api.spellcheck(s, signal),
    cache: spellSession.cache,
    hidden: spellSession.hidden,
    onMarks: rerender,
  }), []);
  const active = enabled && !disabled;

  const marks = active ? checker.update(text, pasted.current) : [];
  pasted.current = false;
  const live = useRef({ marks, menu, active });
  live.current = { marks, menu, active };

  useEffect(() => () => checker.dispose(), []);
  useEffect(() => spellSession.subscribe(() => { setEnabled(spellSession.enabled); checker.refresh(); }), []);
  useEffect(() => { if (active) checker.kick(); else setMenu(null); }, [active]);
  useEffect(() => {
    if (!note) return;
    const timer = setTimeout(() => setNote(null), 5000);
    return () => clearTimeout(timer);
  }, [note]);

  /** Lays the overlay over the textarea: same box and text metrics, same scroll. */
  function sync() {
    const el = input.current;
    const ov = overlay.current;
    if (!el || !ov) return;
    const cs = getComputedStyle(el);
    for (const p of COPIED) (ov.style as any)[p] = cs[p];
    const bl = parseFloat(cs.borderLeftWidth) || 0;
    const br = parseFloat(cs.borderRightWidth) || 0;
    // A vertical scrollbar narrows the textarea's lines: narrow the overlay's the same.
    const scrollbar = Math.max(0, el.offsetWidth - el.clientWidth - bl - br);
    ov.style.paddingRight = (parseFloat(cs.paddingRight) || 0) + scrollbar + 'px';
    ov.style.top = el.offsetTop + 'px';
    ov.style.left = el.offsetLeft + 'px';
    ov.style.width = el.offsetWidth + 'px';
    ov.style.height = el.offsetHeight + 'px';
    ov.scrollTop = el.scrollTop;
    ov.scrollLeft = el.scrollLeft;
  }
  useLayoutEffect(sync);

  /** The underlined word under a point of the screen. */
  function hit(x: number, y: number): { mark: Misspelling; rect: DOMRect } | undefined {
    const ov = overlay.current;
    if (!ov) return undefined;
    for (const el of Array.from(ov.querySelectorAll<HTMLElement>('mark[data-start]'))) {
      for (const r of Array.from(el.getClientRects())) {
        if (x >= r.left - 1 && x <= r.right + 1 && y >= r.top - 1 && y <= r.bottom + 1) {
          const mark = live.current.marks.find((m) => m.start === Number(el.dataset.start));
          return mark && { mark, rect: r };
        }
      }
    }
    return undefined;
  }

  /** Opens the menu for the word at the caret, under the word (keyboard). */
  function openAtCaret(): boolean {
    const el = input.current;
    if (!el) return false;
    const m = markAt(live.current.marks, el.selectionStart ?? 0);
    if (!m) return false;
    const markEl = overlay.current?.querySelector<HTMLElement>(`mark[data-start="${m.start}"]`);
    const rects = markEl ? Array.from(markEl.getClientRects()) : [];
    const r = rects[rects.length - 1] ?? el.getBoundingClientRect();
    setMenu({ mark: m, x: r.left, y: r.bottom + 2, top: r.top, sel: { start: el.selectionStart ?? 0, end: el.selectionEnd ?? 0 } });
    return true;
  }

  // Native listeners on the textarea (they do not need Composer's handlers).
  useEffect(() => {
    const el = input.current;
    if (!el) return;
    const onInput = (e: Event) => {
      const kind = (e as InputEvent).inputType ?? '';
      if (kind === 'insertFromPaste' || kind === 'insertFromDrop') pasted.current = true;
    };
    const onScroll = () => sync();
    const onMouseDown = (e: MouseEvent) => {
      rightDown.current = e.button === 2 ? { start: el.selectionStart ?? 0, end: el.selectionEnd ?? 0 } : null;
    };
    const onContextMenu = (e: MouseEvent) => {
      if (!live.current.active) return;
      if (live.current.menu) { e.preventDefault(); return; } // opened from the keyboard just now
      const h = hit(e.clientX, e.clientY);
      if (!h) return; // not on an underlined word: the browser's own menu
      e.preventDefault();
      const sel = rightDown.current ?? { start: el.selectionStart ?? 0, end: el.selectionEnd ?? 0 };
      rightDown.current = null;
      setMenu({ mark: h.mark, x: e.clientX, y: e.clientY, top: h.rect.top, sel });
    };
    const onKeyDown = (e: KeyboardEvent) => {
      if (!live.current.active || e.isComposing) return;
      const menuKey = e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey);
      if (menuKey && openAtCaret()) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    el.addEventListener('input', onInput);
    el.addEventListener('scroll', onScroll);
    el.addEventListener('mousedown', onMouseDown);
    el.addEventListener('contextmenu', onContextMenu);
    el.addEventListener('keydown', onKeyDown);
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => sync());
    ro?.observe(el);
    window.addEventListener('resize', onScroll);
    return () => {
      el.removeEventListener('input', onInput);
      el.removeEventListener('scroll', onScroll);
      el.removeEventListener('mousedown', onMouseDown);
      el.removeEventListener('contextmenu', onContextMenu);
      el.removeEventListener('keydown', onKeyDown);
      ro?.disconnect();
      window.removeEventListener('resize', onScroll);
    };
  }, []);

  /** Closes the menu; `focus`: back to the textarea with the selection it had. */
  function close(focus: boolean, sel = menu?.sel) {
    setMenu(null);
    const el = input.current;
    if (focus && el) {
      el.focus();
      if (sel) el.setSelectionRange(sel.start, sel.end);
    }
  }

  function replace(m: Misspelling, word: string) {
    const el = input.current;
    const sel = menu?.sel;
    setMenu(null);
    if (!el) return;
    const at = locate(el.value, m);
    if (!at) return close(true, sel);
    const r = replaceRange(el.value, at.start, at.end, word, sel?.start ?? at.end, sel?.end ?? at.end);
    el.focus();
    el.setSelectionRange(at.start, at.end);
    // insertText keeps the browser's undo history (Ctrl+Z brings the typo back).
    let done = false;
    try { done = document.execCommand('insertText', false, word) && el.value === r.value; } catch { /* not supported */ }
    if (!done) {
      el.value = r.value;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }
    el.setSelectionRange(r.selStart, r.selEnd);
  }

  function ignore(m: Misspelling) {
    close(true);
    spellSession.hide(m.word);
  }

  function addToDictionary(m: Misspelling) {
    close(true);
    spellSession.hide(m.word);
    api.addToDictionary(m.word).catch((e) => {
      spellSession.unhide(m.word);
      setNote(t(e?.code === 'limit_reached' ? 'spell.dictionaryFull' : 'spell.addFailed', { word: m.word }));
    });
  }

  const overlayEl = active && marks.length > 0 ? (
    <div class="spell-overlay" ref={overlay} aria-hidden="true" data-testid="spell-overlay">
      {segments(text, marks).map((s) => (s.mark
        ? <mark class="spell-mark" data-start={s.start} data-word={s.mark.word} data-testid="spell-mark">{s.text}</mark>
        : s.text))}
      {'\u200b'}
    </div>
  ) : null;

  const menuEl = menu ? (
    <SpellMenu state={menu} onPick={(w) => replace(menu.mark, w)} onAdd={() => addToDictionary(menu.mark)}
      onIgnore={() => ignore(menu.mark)} onClose={close} />
  ) : null;

  const noteEl = note ? <div class="spell-note" role="status" data-testid="spell-note">{note}</div> : null;

  return { overlay: overlayEl, menu: menuEl, note: noteEl };
}

interface MenuProps {
  state: MenuState;
  onPick: (word: string) => void;
  onAdd: () => void;
  onIgnore: () => void;
  onClose: (focus: boolean) => void;
}

/** The menu of an underlined word: up to 5 suggestions, «Добавить в словарь», «Пропустить». */
function SpellMenu({ state, onPick, onAdd, onIgnore, onClose }: MenuProps) {
  const root = useRef<HTMLDivElement>(null);

  // Place it at the point (above it when there is no room below: the composer is at the bottom).
  useLayoutEffect(() => {
    const el = root.current;
    if (!el) return;
    const r = el.getBoundingClientRect();
    let x = state.x;
    let y = state.y;
    if (x + r.width > window.innerWidth - 8) x = Math.max(8, window.innerWidth - r.width - 8);
    if (y + r.height > window.innerHeight - 8) y = Math.max(8, state.top - r.height - 2);
    el.style.left = x + 'px';
    el.style.top = y + 'px';
    el.querySelector<HTMLElement>('[role=menuitem]:not([disabled])')?.focus();
  }, [state]);

  useEffect(() => {
    const down = (e: MouseEvent) => { if (!root.current?.contains(e.target as Node)) onClose(false); };
    const away = () => onClose(false);
    document.addEventListener('mousedown', down, true);
    window.addEventListener('resize', away);
    window.addEventListener('blur', away);
    return () => {
      document.removeEventListener('mousedown', down, true);
      window.removeEventListener('resize', away);
      window.removeEventListener('blur', away);
    };
  }, []);

  function onKeyDown(e: KeyboardEvent) {
    const items = Array.from(root.current?.querySelectorAll<HTMLElement>('[role=menuitem]:not([disabled])') ?? []);
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown') { e.preventDefault(); items[(i + 1) % items.length]?.focus(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); items[(i - 1 + items.length) % items.length]?.focus(); }
    else if (e.key === 'Home') { e.preventDefault(); items[0]?.focus(); }
    else if (e.key === 'End') { e.preventDefault(); items[items.length - 1]?.focus(); }
    else if (e.key === 'Escape' || e.key === 'Tab' || (e.key === 'F10' && e.shiftKey) || e.key === 'ContextMenu') {
      e.preventDefault();
      e.stopPropagation();
      onClose(true);
    }
  }

  const sugg = state.mark.suggestions.slice(0, 5);
  return (
    <div class="menu ctx-menu spell-menu" role="menu" aria-label={t('spell.menu', { word: state.mark.word })} ref={root}
      style={{ left: state.x + 'px', top: state.y + 'px' }} onKeyDown={onKeyDown} onContextMenu={(e) => e.preventDefault()}
      data-testid="spell-menu">
      {sugg.length > 0 ? sugg.map((s) => (
        <button type="button" role="menuitem" class="menu-item spell-suggestion" data-testid="spell-suggestion" onClick={() => onPick(s)}>
          {s}
        </button>
      )) : <button type="button" role="menuitem" class="menu-item" disabled>{t('spell.noSuggestions')}</button>}
      <div class="menu-sep" />
      <button type="button" role="menuitem" class="menu-item" data-testid="spell-add" onClick={onAdd}>{t('spell.add')}</button>
      <button type="button" role="menuitem" class="menu-item" data-testid="spell-ignore" onClick={onIgnore}>{t('spell.ignore')}</button>
    </div>
  );
}
