// The composer's media: the attach button with drag-and-drop and paste (chips with progress
// under the input), and the emoji/stickers button with its window (shared/media). Owned by
// the files/emoji issue; Composer.tsx only places what this hook returns.

import type { RefObject } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { loadEmojiData } from '../../../shared/emoji/load';
import { type Chip, ChipSet, chipsReady, limitMessage, uploadFile } from '../../../shared/media/attach';
import { mediaCss } from '../../../shared/media/css';
import { Chips, fileInputHandlers, type FileInputHandlers, type ImageSource, insertAt } from '../../../shared/media/Media';
import { Picker, type Sticker, type StickerPack } from '../../../shared/media/Picker';
import { mediaTexts } from '../../../shared/media/texts';
import { api } from '../api/client';
import { getLang, t } from '../i18n';
import { IconPaperclip, IconSmile } from './icons';

/** The operator app's pictures come with its session cookie: URLs work as they are. */
export const operatorImage: ImageSource = (url) => Promise.resolve(url);

let packs: Promise<StickerPack[]> | null = null;
/** The sticker packs, loaded once per page (again after a failure). */
export function loadPacks(): Promise<StickerPack[]> {
  packs ??= api.stickerPacks().then((r) => r.items).catch((e) => { packs = null; throw e; });
  return packs;
}

let styled = false;
/**
 * Adds the shared media CSS to the page once, as a constructed style sheet: the app's
 * Content-Security-Policy (style-src 'self') refuses inline <style> elements, not sheets
 * built through the CSS object model.
 */
export function useMediaCss() {
  if (styled || typeof document === 'undefined') return;
  styled = true;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(mediaCss);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

function storage(): Storage | null {
  try { return window.localStorage; } catch { return null; }
}

interface Options {
  input: RefObject<HTMLTextAreaElement | null>;
  text: string;
  setText: (text: string) => void;
  disabled: boolean;
  tip?: string | undefined;
  comment: boolean;
  onSticker: (s: Sticker) => void;
}

export interface ComposerMedia extends FileInputHandlers {
  attachButton: preact.JSX.Element;
  emojiButton: preact.JSX.Element;
  picker: preact.JSX.Element | null;
  chipsView: preact.JSX.Element | null;
  dropOverlay: preact.JSX.Element | null;
  chips: Chip[];
  /** Every chosen file is uploaded (and there is at least one). */
  ready: boolean;
  /** Takes the uploaded files for the message being sent. */
  take: () => { ids: string[]; chips: Chip[] };
}

export function useComposerMedia(o: Options): ComposerMedia {
  useMediaCss();
  const lang = getLang();
  const tx = mediaTexts(lang);
  const [chips, setChips] = useState<Chip[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [picker, setPicker] = useState(false);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const set = useMemo(() => new ChipSet((f, onProgress) => uploadFile('/api/v1/attachments', f, {}, onProgress, true), setChips), []);
  useEffect(() => () => set.clear(), [set]);
  const attachOff = o.disabled || o.comment;

  const add = (files: File[]) => {
    if (!files.length) return;
    if (attachOff) return;
    const err = set.add(files);
    setError(err ? limitMessage(err, tx) : null);
  };
  // A failed upload shows the server's reason (the same limit texts) under the chips.
  useEffect(() => {
    const failed = chips.find((c) => c.status === 'failed');
    if (failed?.error) setError(limitMessage(failed.error, tx) ?? tx.uploadFailed);
  }, [chips]);

  const insertEmoji = (emoji: string) => {
    const el = o.input.current;
    const r = insertAt(o.text, el?.selectionStart ?? null, el?.selectionEnd ?? null, emoji);
    o.setText(r.value);
    requestAnimationFrame(() => {
      const e = o.input.current;
      if (!e) return;
      e.focus();
      e.setSelectionRange(r.caret, r.caret);
    });
  };

  const attachTip = o.tip ?? (o.comment ? t('composer.attachInComment') : t('composer.attach'));
  const attachButton = (
    <span class="tip-wrap" title={attachTip}>
      <button type="button" class="icon-btn composer-tool" aria-label={t('composer.attach')} disabled={attachOff}
        data-testid="attach-button" onClick={() => fileInput.current?.click()}>
        <IconPaperclip />
      </button>
      <input ref={fileInput} type="file" multiple hidden data-testid="attach-input"
        onChange={(e) => { const el = e.currentTarget; add(Array.from(el.files ?? [])); el.value = ''; }} />
    </span>
  );
  const emojiButton = (
    <span class="tip-wrap" title={o.tip ?? t('composer.emoji')}>
      <button type="button" class={'icon-btn composer-tool' + (picker ? ' on' : '')} aria-label={t('composer.emoji')} disabled={o.disabled}
        data-testid="emoji-button" data-media-toggle="1" aria-haspopup="dialog" aria-expanded={picker} onClick={() => setPicker(!picker)}>
        <IconSmile />
      </button>
    </span>
  );
  const pickerView = picker && !o.disabled ? (
    <Picker lang={lang} tx={tx} storage={storage()} image={operatorImage} loadEmoji={() => loadEmojiData()} loadPacks={loadPacks}
      stickersOff={o.comment ? tx.stickersInComment : undefined}
      onEmoji={insertEmoji}
      onSticker={(s) => { setPicker(false); o.onSticker(s); o.input.current?.focus(); }}
      onClose={() => { setPicker(false); o.input.current?.focus(); }} />
  ) : null;
  const chipsView = chips.length || error ? (
    <div class="composer-files">
      {error && <p class="md-error" role="alert" data-testid="attach-error">{error}</p>}
      <Chips chips={chips} tx={tx} lang={lang} onRemove={(k) => { set.remove(k); setError(null); }} />
    </div>
  ) : null;

  return {
    attachButton, emojiButton, picker: pickerView, chipsView, chips,
    dropOverlay: dragging ? <div class="md-drop">{tx.dropHere}</div> : null,
    ready: chipsReady(chips),
    take: () => {
      const taken = set.chips;
      setError(null);
      return { ids: set.take(), chips: taken };
    },
    ...fileInputHandlers(add, setDragging, !attachOff),
  };
}
