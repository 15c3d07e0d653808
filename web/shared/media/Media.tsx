// Stickers and files inside messages, the chips under a composer, and the lightbox: the same
// for the operator app and the widget. Images come through an ImageSource: the operator app
// uses URLs as they are (its session cookie authorises them); the widget fetches them with
// its token and shows blob URLs.

import { useEffect, useRef, useState } from 'preact/hooks';
import { useModalFocus } from '../ui/Modal';
import { type Attachment, type Chip, showsInline } from './attach';
import { formatSize, type MediaLang, type MediaTexts } from './texts';

/** Turns an API URL into something an <img> can show. */
export type ImageSource = (url: string) => Promise<string>;

/** Saves a file to the visitor's or operator's computer. */
export type Downloader = (a: Attachment) => void;

/** CSS properties set on an element (through the CSSOM, which a strict CSP allows). */
type BoxStyle = Record<string, string>;

export function AsyncImg({ src, image, alt, class: cls, testId, box }: { src: string; image: ImageSource; alt: string; class?: string; testId?: string; box?: BoxStyle | undefined }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    image(src).then((u) => { if (live) setUrl(u); }, () => {});
    return () => { live = false; };
  }, [src]);
  return url ? <img class={cls} src={url} alt={alt} draggable={false} data-testid={testId} style={box} />
    : <span class={'mp-img-wait ' + (cls ?? '')} role="img" aria-label={alt} style={box} />;
}

/**
 * The lightbox box of a picture whose dimensions the server read: its shape and size within
 * the lightbox limits (.md-lb-img), reserved before a single byte of it arrives.
 */
export function lightboxBox(a: Partial<Pick<Attachment, 'width' | 'height'>>): BoxStyle | undefined {
  const w = a.width ?? 0, h = a.height ?? 0;
  if (w <= 0 || h <= 0) return undefined;
  return { aspectRatio: `${w} / ${h}`, width: `min(92vw, 1200px, ${w}px, calc((100vh - 120px) * ${w / h}))`, height: 'auto' };
}

export function MessageSticker({ sticker, image, tx }: { sticker: { id: string; name: string; url: string }; image: ImageSource; tx: MediaTexts }) {
  return (
    <div class="md-sticker" data-testid="msg-sticker" data-sticker={sticker.id} title={sticker.name}>
      <AsyncImg src={sticker.url} image={image} alt={tx.sticker + ' «' + sticker.name + '»'} />
    </div>
  );
}

const FileIcon = () => (
  <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round" d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8l-5-5Z M14 3v5h5" /></svg>
);
const DownloadIcon = () => (
  <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" d="M12 4v11m-5-5 5 5 5-5M5 20h14" /></svg>
);

/** The files of a message: image thumbnails (opening the lightbox) and file cards. */
export function Attachments({ list, image, download, tx, lang }: { list: Attachment[]; image: ImageSource; download: Downloader; tx: MediaTexts; lang: MediaLang }) {
  const [open, setOpen] = useState<Attachment | null>(null);
  if (!list.length) return null;
  return (
    <div class="md-files" data-testid="msg-files">
      {list.map((a) => {
        if (a.expired) {
          return <div class="md-card md-expired" key={a.id} data-testid="file-expired"><FileIcon /><span class="md-card-text">
            <span class="md-name">{a.name}</span><span class="md-sub">{tx.expired}</span></span></div>;
        }
        if (showsInline(a)) {
          return (
            <button type="button" class="md-thumb" key={a.id} title={a.name} aria-label={tx.open + ': ' + a.name}
              data-testid="file-thumb" onClick={() => setOpen(a)}>
              <AsyncImg src={inlineURL(a.url)} image={image} alt={a.name} />
            </button>
          );
        }
        return (
          <div class="md-card" key={a.id} data-testid="file-card">
            <FileIcon />
            <span class="md-card-text"><span class="md-name" title={a.name}>{a.name}</span><span class="md-sub">{formatSize(a.size, lang)}</span></span>
            <button type="button" class="md-dl" title={tx.download} aria-label={tx.download + ': ' + a.name}
              data-testid="file-download" onClick={() => download(a)}><DownloadIcon /></button>
          </div>
        );
      })}
      {open && <Lightbox a={open} image={image} download={download} tx={tx} lang={lang} onClose={() => setOpen(null)} />}
    </div>
  );
}

export function inlineURL(url: string): string {
  return url + (url.includes('?') ? '&' : '?') + 'inline=1';
}

function Lightbox({ a, image, download, tx, lang, onClose }: { a: Attachment; image: ImageSource; download: Downloader; tx: MediaTexts; lang: MediaLang; onClose: () => void }) {
  // A modal surface: the close button takes the focus, Esc closes, Tab stays inside, the focus returns.
  const box = useRef<HTMLDivElement>(null);
  const onKeyDown = useModalFocus(box, { onClose, initialFocus: ['[data-testid=lightbox-close]'] });
  return (
    <div class="md-lightbox" role="dialog" aria-modal="true" aria-label={a.name} data-testid="lightbox" ref={box} onKeyDown={onKeyDown}
      onClick={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <figure class="md-lb-fig">
        <AsyncImg src={inlineURL(a.url)} image={image} alt={a.name} class="md-lb-img" testId="lightbox-image" box={lightboxBox(a)} />
        <figcaption class="md-lb-cap">
          <span class="md-name">{a.name}</span><span class="md-sub">{formatSize(a.size, lang)}</span>
          <button type="button" class="md-lb-btn" onClick={() => download(a)}><DownloadIcon />{tx.download}</button>
          <button type="button" class="md-lb-btn" data-testid="lightbox-close" onClick={onClose}>{tx.close}</button>
        </figcaption>
      </figure>
    </div>
  );
}

/** The files chosen for the next message, with progress and a remove button each. */
export function Chips({ chips, onRemove, tx, lang }: { chips: Chip[]; onRemove: (key: string) => void; tx: MediaTexts; lang: MediaLang }) {
  if (!chips.length) return null;
  return (
    <ul class="md-chips" data-testid="attach-chips">
      {chips.map((c) => (
        <li class={'md-chip md-chip-' + c.status} key={c.key} data-testid="attach-chip" data-status={c.status}>
          {c.preview ? <img class="md-chip-img" src={c.preview} alt="" /> : <span class="md-chip-icon"><FileIcon /></span>}
          <span class="md-chip-text">
            <span class="md-name" title={c.name}>{c.name}</span>
            <span class="md-sub">{c.status === 'failed' ? tx.uploadFailed : formatSize(c.size, lang) +
              (c.status === 'uploading' ? ' · ' + Math.round(c.progress * 100) + '%' : '')}</span>
          </span>
          {c.status === 'uploading' && <span class="md-progress" role="progressbar" aria-label={tx.uploading} aria-valuemin={0}
            aria-valuemax={100} aria-valuenow={Math.round(c.progress * 100)}><i style={{ width: Math.round(c.progress * 100) + '%' }} /></span>}
          <button type="button" class="md-chip-x" title={tx.remove} aria-label={tx.remove + ': ' + c.name} data-testid="attach-remove"
            onClick={() => onRemove(c.key)}>×</button>
        </li>
      ))}
    </ul>
  );
}

/**
 * Inserts text at the caret of a textarea (replacing a selection) and returns the new value
 * and where the caret goes.
 */
export function insertAt(value: string, start: number | null, end: number | null, text: string): { value: string; caret: number } {
  const s = start ?? value.length;
  const e = end ?? s;
  return { value: value.slice(0, s) + text + value.slice(e), caret: s + text.length };
}

/** Files from a paste or drop event (nothing for plain text). */
export function filesOf(dt: DataTransfer | null): File[] {
  if (!dt) return [];
  return Array.from(dt.files ?? []);
}

/** The paste and drag-and-drop handlers of a composer that takes files. */
export interface FileInputHandlers {
  onPaste: (e: ClipboardEvent) => void;
  dropHandlers: Record<string, (e: DragEvent) => void>;
}

/**
 * Paste and drop handlers that hand pasted or dropped files to `add` and show the drop zone
 * with `setDragging` while files are dragged over; nothing happens while `enabled` is false.
 * Plain text pastes and drops are left to the browser.
 */
export function fileInputHandlers(add: (files: File[]) => void, setDragging: (on: boolean) => void, enabled = true): FileInputHandlers {
  const take = (e: Event, dt: DataTransfer | null) => {
    const files = filesOf(dt);
    if (files.length && enabled) {
      e.preventDefault();
      add(files);
    }
  };
  return {
    onPaste: (e) => take(e, e.clipboardData),
    dropHandlers: {
      onDragOver: (e) => {
        if (!enabled || !e.dataTransfer?.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      },
      onDragLeave: (e) => {
        if (!(e.currentTarget as HTMLElement).contains(e.relatedTarget as Node)) setDragging(false);
      },
      onDrop: (e) => {
        setDragging(false);
        take(e, e.dataTransfer);
      },
    },
  };
}
