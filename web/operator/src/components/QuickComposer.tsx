import type { RefObject } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { QuickMessage } from '../api/types';
import { t } from '../i18n';
import type { Draft } from '../state/drafts';
import {
  type Suggest, emptySuggest, fillPlaceholders, highlight, insertAt, suggestDismiss, suggestMove, suggestOpen, suggestPick,
  suggestQuery, suggestUpdate,
} from '../state/quick';
import type { QuickCache } from '../state/quickStore';
import { eventHotkey, formatHotkey } from '../state/quickHotkeys';
import { IconBolt } from './icons';
import { Marked, QuickWindow, useQuickVersion } from './QuickWindow';

/** What the composer needs for quick messages (ChatView passes it). */
export interface QuickOptions {
  cache: QuickCache;
  /** For {visitor_name} (empty when the visitor gave none) and {operator_name}. */
  names: { visitor: string; operator: string };
  /** The operator's autocomplete setting. */
  autocomplete: boolean;
}

interface Args {
  input: RefObject<HTMLTextAreaElement | null>;
  draft: Draft;
  setDraft: (d: Draft) => void;
  disabled: boolean;
  tip: string | undefined;
  opts: QuickOptions | undefined;
}

/**
 * Quick messages in the composer: the button and its window, the autocomplete list above the
 * input, and the hotkeys. The composer calls `onKeyDown` first (true: the key was used) and
 * `onInput` after every change of the text.
 */
export function useQuickComposer({ input, draft, setDraft, disabled, tip, opts }: Args) {
  const [open, setOpen] = useState(false);
  const [suggest, setSuggest] = useState<Suggest>(emptySuggest);
  const selection = useRef({ start: draft.text.length, end: draft.text.length });
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const cache = opts?.cache;
  const searchSeq = useRef(0);
  const caret = useRef<number | null>(null);
  const version = useQuickVersion(cache ?? dummyCache);

  // Autocomplete turned off, or the composer blocked: no list.
  useEffect(() => { if (!opts?.autocomplete || disabled) setSuggest(emptySuggest); }, [opts?.autocomplete, disabled]);
  useEffect(() => { if (disabled) setOpen(false); }, [disabled]);
  // The cache reloaded: refresh what is shown.
  useEffect(() => { if (suggestOpen(suggest)) refresh(draftRef.current.text); }, [version]);

  /** Inserts a quick message (filled in) in place of [start, end) and puts the caret after it. */
  function insert(m: QuickMessage, start: number, end: number) {
    const text = fillPlaceholders(m.text, opts!.names);
    const d = draftRef.current;
    const r = insertAt(d.text, start, end, text);
    // Focus at once (the next key typed goes into the reply); the caret is placed after the render.
    input.current?.focus();
    caret.current = r.caret;
    setDraft({ ...d, text: r.value });
    setSuggest({ ...emptySuggest });
  }

  useLayoutEffect(() => {
    if (caret.current !== null) input.current?.setSelectionRange(caret.current, caret.current);
    caret.current = null;
  }, [draft.text]);

  function refresh(text: string) {
    if (!cache || !opts?.autocomplete || disabled) return;
    const el = input.current;
    const caret = el && document.activeElement === el ? el.selectionStart ?? text.length : text.length;
    const { query, from } = suggestQuery(text, caret);
    const local = cache.searchLocal(query, '');
    if (local) { setSuggest((s) => suggestUpdate(s, query, from, local)); return; }
    const seq = ++searchSeq.current;
    setSuggest((s) => suggestUpdate(s, query, from, s.items));
    cache.search(query, '').then((found) => {
      if (seq === searchSeq.current) setSuggest((s) => suggestUpdate(s, query, from, found));
    }, () => {});
  }

  function onInput(text: string) {
    refresh(text);
  }

  function onKeyDown(e: KeyboardEvent): boolean {
    if (!cache || !opts) return false;
    // A hotkey of this operator: insert its message at the caret.
    if ((e.ctrlKey || e.altKey || e.metaKey) && !e.isComposing) {
      const hk = eventHotkey(e);
      const m = hk ? cache.byHotkey(hk) : undefined;
      if (m) {
        e.preventDefault();
        e.stopPropagation();
        const el = input.current!;
        insert(m, el.selectionStart ?? draftRef.current.text.length, el.selectionEnd ?? draftRef.current.text.length);
        return true;
      }
      return false;
    }
    if (!suggestOpen(suggest) || e.isComposing) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setSuggest(suggestMove(suggest, e.key === 'ArrowDown' ? 1 : -1));
      return true;
    }
    if ((e.key === 'Tab' || e.key === 'Enter') && !e.shiftKey) {
      const m = suggestPick(suggest, e.key);
      if (!m) return false; // Enter with nothing highlighted sends the reply
      e.preventDefault();
      insert(m, suggest.from, input.current?.selectionEnd ?? draftRef.current.text.length);
      return true;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setSuggest(suggestDismiss(suggest));
      return true;
    }
    return false;
  }

  function openWindow() {
    const el = input.current;
    if (el) selection.current = { start: el.selectionStart ?? el.value.length, end: el.selectionEnd ?? el.value.length };
    setSuggest(emptySuggest);
    setOpen(!open);
  }

  const button = (
    <span class="tip-wrap" title={tip ?? t('composer.quick')}>
      <button type="button" class={'icon-btn composer-tool' + (open ? ' on' : '')} aria-label={t('composer.quick')} disabled={disabled || !cache}
        data-testid="quick-button" aria-haspopup="dialog" aria-expanded={open} onClick={openWindow}>
        <IconBolt />
      </button>
    </span>
  );

  const popups = (
    <>
      {open && cache && (
        <QuickWindow cache={cache} onClose={() => { setOpen(false); input.current?.focus(); }}
          onPick={(m) => { setOpen(false); insert(m, selection.current.start, selection.current.end); }} />
      )}
      {!open && suggestOpen(suggest) && (
        <div class="suggest" role="listbox" aria-label={t('quick.suggest')} data-testid="quick-suggest">
          {suggest.items.map((m, i) => (
            <div role="option" aria-selected={i === suggest.index} class={'suggest-item' + (i === suggest.index ? ' active' : '')}
              data-testid="quick-suggestion" onMouseDown={(e) => { e.preventDefault(); insert(m, suggest.from, input.current?.selectionEnd ?? draft.text.length); }}>
              <span class="suggest-title"><Marked segs={highlight(m.title || t('quick.untitled'), suggest.query)} /></span>
              <span class="suggest-text"><Marked segs={highlight(m.text, suggest.query)} /></span>
              {m.hotkey && <kbd>{formatHotkey(m.hotkey)}</kbd>}
            </div>
          ))}
          <div class="suggest-hint">{t('quick.suggestHint')}</div>
        </div>
      )}
    </>
  );

  return { button, popups, onKeyDown, onInput, hideSuggest: () => setSuggest((s) => (suggestOpen(s) ? { ...s, items: [], index: -1 } : s)) };
}

// useQuickVersion needs a cache even when the composer has none (tests, or before login).
const dummyCache = { subscribe: () => () => {} } as unknown as QuickCache;
