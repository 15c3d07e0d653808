// Attachments on the client: the same limits as the server (DESIGN §2.6), uploads with
// progress (XMLHttpRequest), and the state of the chips under a composer.

import type * as gen from '../api/types.gen';
import type { MediaTexts } from './texts';

/** At most this many files in one message. */
export const MAX_FILES = 5;
/** At most this many bytes of files together in one message (25 MiB). */
export const MAX_BYTES = 26_214_400;

/** A file of a message, as the API gives it. */
export type Attachment = gen.Attachment;

/** An uploaded file, not sent yet. */
export type Uploaded = gen.UploadedFile;

export type ChipStatus = 'uploading' | 'done' | 'failed';

/** One file under the composer. */
export interface Chip {
  key: string;
  name: string;
  size: number;
  type: string;
  /** 0…1 of the upload. */
  progress: number;
  status: ChipStatus;
  /** The uploaded file's id once done. */
  id?: string;
  error?: string;
  /** A local preview (object URL) of an image. */
  preview?: string | undefined;
  /** What the server said of the uploaded picture: shown inline or not, and its size. */
  inline?: boolean | undefined;
  width?: number;
  height?: number;
}

/**
 * The attachment of an optimistic message, from a chip whose upload is done: the server's
 * verdict on inline display goes with it, so a huge picture is a file card from the first
 * render, never decoded.
 */
export function chipAttachment(c: Chip, url: string): Attachment {
  return { id: c.id!, name: c.name, size: c.size, content_type: c.type, url, expired: false, preview: c.inline ?? isPreviewable(c.type), width: c.width ?? 0, height: c.height ?? 0 };
}

export type LimitError = 'too_many_files' | 'too_large';

/**
 * Checks adding files to the chips already there against the limits: the error code the
 * server would answer, or null when they fit. Failed chips do not count.
 */
export function checkLimits(chips: Pick<Chip, 'size' | 'status'>[], adding: { size: number }[]): LimitError | null {
  const kept = chips.filter((c) => c.status !== 'failed');
  if (kept.length + adding.length > MAX_FILES) return 'too_many_files';
  const total = kept.reduce((n, c) => n + c.size, 0) + adding.reduce((n, f) => n + f.size, 0);
  return total > MAX_BYTES ? 'too_large' : null;
}

/** The message for a limit error (or a server code of the same meaning). */
export function limitMessage(code: string, tx: MediaTexts): string | null {
  if (code === 'too_many_files') return tx.tooManyFiles;
  if (code === 'too_large') return tx.tooLarge;
  return null;
}

/** Chips are ready to send: some, and every one uploaded. */
export function chipsReady(chips: Chip[]): boolean {
  return chips.length > 0 && chips.every((c) => c.status === 'done');
}

/** Raster images that previews show (the server serves only these inline). */
export function isPreviewable(type: string): boolean {
  return /^image\/(png|jpeg|gif|webp)$/.test(type);
}

/**
 * Whether an attachment is shown as a picture: a raster image the server did not mark as too
 * big to decode (a 30,000 × 30,000 PNG would freeze the tab); answers without the mark
 * (older servers) go by the type alone.
 */
export function showsInline(a: Pick<Attachment, 'content_type' | 'preview'>): boolean {
  return isPreviewable(a.content_type) && a.preview !== false;
}

export interface UploadHandle {
  promise: Promise<Uploaded>;
  abort(): void;
}

/**
 * Uploads one file as multipart/form-data (field `files`) with XMLHttpRequest, reporting
 * progress 0…1. The promise rejects with {code, message} from the server's error answer.
 */
export function uploadFile(url: string, file: File, headers: Record<string, string>, onProgress: (p: number) => void,
  withCredentials = false): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<Uploaded>((resolve, reject) => {
    xhr.open('POST', url);
    xhr.withCredentials = withCredentials;
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let json: any = null;
      try { json = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status === 201 && Array.isArray(json) && json[0]) {
        onProgress(1);
        resolve(json[0] as Uploaded);
      } else {
        reject({ status: xhr.status, code: json?.error?.code ?? 'http_' + xhr.status, message: json?.error?.message ?? xhr.statusText });
      }
    };
    xhr.onerror = () => reject({ status: 0, code: 'network', message: 'network error' });
    xhr.onabort = () => reject({ status: 0, code: 'aborted', message: 'aborted' });
    const form = new FormData();
    form.append('files', file, file.name);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

let seq = 0;

/**
 * The chips of one composer: add files (checked against the limits first), upload each with
 * progress, remove (aborting its upload). `onChange` is called with the new list.
 */
export class ChipSet {
  chips: Chip[] = [];
  private uploads = new Map<string, UploadHandle>();
  constructor(
    private readonly upload: (f: File, onProgress: (p: number) => void) => UploadHandle,
    private readonly onChange: (chips: Chip[]) => void,
    /**
     * The preview of an uploaded picture: by default a local object URL; the widget uses the
     * upload's own URL instead, since a customer's page may not allow blob: pictures.
     */
    private readonly previewOf: (u: Uploaded, f: File) => string | undefined =
      (_u, f) => (typeof URL.createObjectURL === 'function' ? URL.createObjectURL(f) : undefined),
  ) {}

  private set(chips: Chip[]) {
    this.chips = chips;
    this.onChange(chips);
  }

  private patch(key: string, p: Partial<Chip>) {
    this.set(this.chips.map((c) => (c.key === key ? { ...c, ...p } : c)));
  }

  /** Adds files; answers the limit error instead when they do not fit (nothing is added). */
  add(files: File[]): LimitError | null {
    if (!files.length) return null;
    const err = checkLimits(this.chips, files);
    if (err) return err;
    // A picture's local preview waits for the server's answer, which says whether it is
    // small enough to decode.
    const added: Chip[] = files.map((f) => ({
      key: 'f' + ++seq, name: f.name, size: f.size, type: f.type, progress: 0, status: 'uploading',
    }));
    this.set([...this.chips.filter((c) => c.status !== 'failed'), ...added]);
    added.forEach((chip, i) => {
      const h = this.upload(files[i], (p) => this.patch(chip.key, { progress: p }));
      this.uploads.set(chip.key, h);
      h.promise.then(
        (u) => {
          this.uploads.delete(chip.key);
          const preview = isPreviewable(files[i]!.type) && u.preview !== false ? this.previewOf(u, files[i]!) : undefined;
          this.patch(chip.key, { status: 'done', progress: 1, id: u.id, name: u.name, preview, inline: u.preview, width: u.width, height: u.height });
        },
        (e) => {
          this.uploads.delete(chip.key);
          if (e?.code !== 'aborted') this.patch(chip.key, { status: 'failed', error: e?.code ?? 'network' });
        },
      );
    });
    return null;
  }

  remove(key: string) {
    this.uploads.get(key)?.abort();
    this.uploads.delete(key);
    const c = this.chips.find((x) => x.key === key);
    if (c?.preview?.startsWith('blob:')) URL.revokeObjectURL(c.preview);
    this.set(this.chips.filter((x) => x.key !== key));
  }

  /** The ids to send, and forgets the chips (their previews stay valid until cleared). */
  take(): string[] {
    const ids = this.chips.filter((c) => c.status === 'done').map((c) => c.id!);
    this.set([]);
    return ids;
  }

  clear() {
    for (const c of this.chips) this.remove(c.key);
  }
}
