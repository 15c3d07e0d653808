// The widget's media: the attach button with drag-and-drop and paste (chips with progress),
// the emoji/stickers button and window, and stickers and files in messages. Pictures are
// loaded from the livedesk host with the visitor's token in the URL (Chat.image), never from
// blob: URLs, which a customer's Content-Security-Policy may forbid.

import type { RefObject } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { loadEmojiData } from '../../shared/emoji/load';
import { type Chip, chipAttachment, ChipSet, chipsReady, limitMessage } from '../../shared/media/attach';
import { Attachments, Chips, fileInputHandlers, type FileInputHandlers, insertAt, MessageSticker } from '../../shared/media/Media';
import { Picker } from '../../shared/media/Picker';
import { type MediaLang, mediaTexts } from '../../shared/media/texts';
import type { Chat, ChatMessage, Media } from './chat';

const ClipIcon = () => (
  <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" d="m20.5 11.5-8.2 8.2a5 5 0 0 1-7.1-7.1l8.6-8.6a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4l7.9-7.9" /></svg>
);
const SmileIcon = () => (
  <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><g fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><circle cx="12" cy="12" r="9" /><path d="M8.5 14.5a4.5 4.5 0 0 0 7 0" /></g><circle cx="9" cy="10" r="1.2" fill="currentColor" /><circle cx="15" cy="10" r="1.2" fill="currentColor" /></svg>
);

function storage(): Storage | null {
  try { return window.localStorage; } catch { return null; }
}

/** A message's sticker and files. */
export function LineMedia({ m, chat, lang }: { m: ChatMessage; chat: Chat; lang: MediaLang }) {
  const tx = mediaTexts(lang);
  return (
    <>
      {m.sticker && <MessageSticker sticker={m.sticker} image={chat.image} tx={tx} />}
      {m.attachments && <Attachments list={m.attachments} image={chat.image} download={(a) => void chat.download(a).catch(() => {})} tx={tx} lang={lang} />}
    </>
  );
}

export interface WidgetMedia extends FileInputHandlers {
  attachButton: preact.JSX.Element;
  emojiButton: preact.JSX.Element;
  picker: preact.JSX.Element | null;
  chipsView: preact.JSX.Element | null;
  dropOverlay: preact.JSX.Element | null;
  busy: boolean;
  ready: boolean;
  take: () => Media;
}

export function useWidgetMedia({ chat, lang, input, text, setText }: {
  chat: Chat; lang: MediaLang; input: RefObject<HTMLTextAreaElement | null>; text: string; setText: (t: string) => void;
}): WidgetMedia {
  const tx = mediaTexts(lang);
  const [chips, setChips] = useState<Chip[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [picker, setPicker] = useState(false);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const set = useMemo(() => new ChipSet(chat.upload, setChips,
    (u) => chat.fileURL(u.id)), [chat]);
  useEffect(() => () => set.clear(), [set]);
  useEffect(() => {
    const failed = chips.find((c) => c.status === 'failed');
    if (failed?.error) setError(limitMessage(failed.error, tx) ?? tx.uploadFailed);
  }, [chips]);

  const add = (files: File[]) => {
    if (!files.length) return;
    const err = set.add(files);
    setError(err ? limitMessage(err, tx) : null);
  };
  const insertEmoji = (emoji: string) => {
    const el = input.current;
    const r = insertAt(text, el?.selectionStart ?? null, el?.selectionEnd ?? null, emoji);
    setText(r.value);
    requestAnimationFrame(() => {
      const e = input.current;
      if (!e) return;
      e.focus();
      e.setSelectionRange(r.caret, r.caret);
    });
  };

  return {
    attachButton: (
      <>
        <button type="button" class="ld-tool" aria-label={tx.attach} title={tx.attach} data-testid="widget-attach"
          onClick={() => fileInput.current?.click()}><ClipIcon /></button>
        <input ref={fileInput} type="file" multiple hidden data-testid="widget-attach-input"
          onChange={(e) => { const el = e.currentTarget; add(Array.from(el.files ?? [])); el.value = ''; }} />
      </>
    ),
    emojiButton: (
      <button type="button" class={'ld-tool' + (picker ? ' ld-tool-on' : '')} aria-label={tx.pickerTitle} title={tx.pickerTitle}
        aria-haspopup="dialog" aria-expanded={picker} data-media-toggle="1" data-testid="widget-emoji" onClick={() => setPicker(!picker)}>
        <SmileIcon />
      </button>
    ),
    picker: picker ? (
      <Picker lang={lang} tx={tx} storage={storage()} image={chat.image} loadEmoji={() => loadEmojiData(chat.base)}
        loadPacks={() => chat.stickerPacks()} onEmoji={insertEmoji}
        onSticker={(s) => { setPicker(false); chat.send('', { sticker: s }); input.current?.focus(); }}
        onClose={() => { setPicker(false); input.current?.focus(); }} />
    ) : null,
    chipsView: chips.length || error ? (
      <div class="ld-files">
        {error && <p class="md-error" role="alert" data-testid="widget-attach-error">{error}</p>}
        <Chips chips={chips} tx={tx} lang={lang} onRemove={(k) => { set.remove(k); setError(null); }} />
      </div>
    ) : null,
    dropOverlay: dragging ? <div class="md-drop">{tx.dropHere}</div> : null,
    busy: chips.some((c) => c.status === 'uploading'),
    ready: chipsReady(chips),
    take: () => {
      const taken = set.chips.filter((c) => c.status === 'done');
      set.take();
      setError(null);
      return {
        attachments: taken.map((c) => chipAttachment(c, '/api/v1/widget/attachments/' + c.id + '/file')),
      };
    },
    ...fileInputHandlers(add, setDragging),
  };
}
