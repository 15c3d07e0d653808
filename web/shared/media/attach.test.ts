import { describe, expect, it } from 'vitest';
import { type Chip, chipAttachment, ChipSet, checkLimits, chipsReady, limitMessage, MAX_BYTES, showsInline, type UploadHandle, type Uploaded } from './attach';
import { insertAt, lightboxBox } from './Media';
import { formatSize, mediaTexts } from './texts';

const chip = (size: number, status: Chip['status'] = 'done'): Chip => ({ key: 'k' + size, name: 'f', size, type: '', progress: 1, status });

describe('attachment limits (the server\'s: 5 files, 26,214,400 bytes together)', () => {
  it('allows five files and refuses the sixth', () => {
    expect(checkLimits([], Array(5).fill({ size: 1 }))).toBeNull();
    expect(checkLimits([], Array(6).fill({ size: 1 }))).toBe('too_many_files');
    expect(checkLimits([chip(1), chip(2), chip(3)], [{ size: 1 }, { size: 1 }])).toBeNull();
    expect(checkLimits([chip(1), chip(2), chip(3)], [{ size: 1 }, { size: 1 }, { size: 1 }])).toBe('too_many_files');
  });

  it('allows exactly 25 MiB together and refuses one byte more', () => {
    expect(checkLimits([], [{ size: MAX_BYTES }])).toBeNull();
    expect(checkLimits([], [{ size: MAX_BYTES + 1 }])).toBe('too_large');
    expect(checkLimits([chip(MAX_BYTES - 10)], [{ size: 10 }])).toBeNull();
    expect(checkLimits([chip(MAX_BYTES - 10)], [{ size: 11 }])).toBe('too_large');
  });

  it('does not count failed uploads', () => {
    expect(checkLimits([chip(MAX_BYTES, 'failed')], [{ size: 100 }])).toBeNull();
    expect(checkLimits(Array.from({ length: 5 }, (_, i) => chip(i, 'failed')), [{ size: 1 }])).toBeNull();
  });

  it('says it with the server\'s messages', () => {
    expect(limitMessage('too_many_files', mediaTexts('en'))).toBe('at most 5 files can be sent at once');
    expect(limitMessage('too_large', mediaTexts('en'))).toBe('the files are larger than 25 MiB (26214400 bytes) together');
    expect(limitMessage('too_many_files', mediaTexts('ru'))).toBe('Не больше 5 файлов за раз');
    expect(limitMessage('gone', mediaTexts('ru'))).toBeNull();
  });
});

describe('ChipSet', () => {
  function fakeUploads() {
    const calls: { file: File; progress: (p: number) => void; resolve: (u: Uploaded) => void; reject: (e: unknown) => void; aborted: boolean }[] = [];
    const upload = (file: File, progress: (p: number) => void): UploadHandle => {
      const c: any = { file, progress, aborted: false };
      c.promise = new Promise<Uploaded>((res, rej) => { c.resolve = res; c.reject = rej; });
      calls.push(c);
      return { promise: c.promise, abort: () => { c.aborted = true; c.reject({ code: 'aborted' }); } };
    };
    return { calls, upload };
  }
  const file = (name: string, size: number) => new File([new Uint8Array(size)], name, { type: 'text/plain' });
  const tick = () => new Promise((r) => setTimeout(r, 0));

  it('uploads with progress, becomes ready, and hands the ids over once', async () => {
    const { calls, upload } = fakeUploads();
    let seen: Chip[] = [];
    const set = new ChipSet(upload, (c) => { seen = c; });
    expect(set.add([file('a.txt', 3), file('b.txt', 4)])).toBeNull();
    expect(seen.map((c) => c.status)).toEqual(['uploading', 'uploading']);
    calls[0].progress(0.5);
    expect(seen[0].progress).toBe(0.5);
    expect(chipsReady(seen)).toBe(false);
    calls[0].resolve({ id: '10', name: 'a.txt', size: 3, content_type: 'text/plain', width: 0, height: 0, preview: false });
    calls[1].resolve({ id: '11', name: 'b.txt', size: 4, content_type: 'text/plain', width: 0, height: 0, preview: false });
    await tick();
    expect(chipsReady(seen)).toBe(true);
    expect(set.take()).toEqual(['10', '11']);
    expect(seen).toEqual([]);
  });

  it('refuses a selection over the limits without adding anything', () => {
    const { calls, upload } = fakeUploads();
    const set = new ChipSet(upload, () => {});
    expect(set.add(Array.from({ length: 6 }, (_, i) => file(i + '.txt', 1)))).toBe('too_many_files');
    expect(set.chips).toEqual([]);
    expect(calls).toEqual([]);
    expect(set.add([file('big.bin', 10)])).toBeNull();
    expect(set.add(Array.from({ length: 5 }, (_, i) => file(i + '.txt', 1)))).toBe('too_many_files');
    expect(set.chips.length).toBe(1);
  });

  it('removes a chip before sending, aborting its upload; a failure shows on its chip', async () => {
    const { calls, upload } = fakeUploads();
    const set = new ChipSet(upload, () => {});
    set.add([file('a.txt', 1), file('b.txt', 1)]);
    set.remove(set.chips[0].key);
    expect(calls[0].aborted).toBe(true);
    expect(set.chips.map((c) => c.name)).toEqual(['b.txt']);
    calls[1].reject({ code: 'too_large' });
    await tick();
    expect(set.chips[0].status).toBe('failed');
    expect(set.chips[0].error).toBe('too_large');
    expect(chipsReady(set.chips)).toBe(false);
    // Adding again drops the failed chip.
    set.add([file('c.txt', 1)]);
    expect(set.chips.map((c) => c.name)).toEqual(['c.txt']);
  });
});

describe('huge pictures (the server reads the dimensions)', () => {
  it('an optimistic message carries the server\'s verdict: a huge picture is a file from the first render', async () => {
    const calls: ((u: Uploaded) => void)[] = [];
    const set = new ChipSet((): UploadHandle => ({ promise: new Promise<Uploaded>((res) => { calls.push(res); }), abort: () => {} }), () => {},
      () => 'preview-url');
    set.add([new File([new Uint8Array(8)], 'huge.png', { type: 'image/png' }), new File([new Uint8Array(8)], 'dot.png', { type: 'image/png' })]);
    calls[0]({ id: '1', name: 'huge.png', size: 8, content_type: 'image/png', preview: false, width: 30000, height: 30000 });
    calls[1]({ id: '2', name: 'dot.png', size: 8, content_type: 'image/png', preview: true, width: 40, height: 30 });
    await new Promise((r) => setTimeout(r, 0));
    const [huge, dot] = set.chips;
    expect(huge.preview).toBeUndefined(); // not even the composer decodes it
    const a = chipAttachment(huge, '/api/v1/attachments/1');
    expect(a).toMatchObject({ id: '1', content_type: 'image/png', preview: false, width: 30000, height: 30000 });
    expect(showsInline(a)).toBe(false);
    expect(showsInline(chipAttachment(dot, '/api/v1/attachments/2'))).toBe(true);
    // An older server without the verdict: the type decides, as before.
    expect(showsInline(chipAttachment({ ...dot, inline: undefined }, '/x'))).toBe(true);
  });

  it('the lightbox reserves the picture\'s shape before it loads', () => {
    expect(lightboxBox({ width: 400, height: 100 })).toEqual({ aspectRatio: '400 / 100', width: 'min(92vw, 1200px, 400px, calc((100vh - 120px) * 4))', height: 'auto' });
    expect(lightboxBox({ width: 0, height: 0 })).toBeUndefined();
    expect(lightboxBox({})).toBeUndefined();
  });
});

describe('composer helpers', () => {
  it('inserts at the caret, replacing a selection', () => {
    expect(insertAt('Привет мир', 6, 6, ' 👋')).toEqual({ value: 'Привет 👋 мир', caret: 9 });
    expect(insertAt('abc', 1, 2, '❤️')).toEqual({ value: 'a❤️c', caret: 3 });
    expect(insertAt('abc', null, null, '!')).toEqual({ value: 'abc!', caret: 4 });
  });

  it('formats sizes for people', () => {
    expect(formatSize(512, 'ru')).toBe('512\u00a0Б');
    expect(formatSize(1536, 'ru')).toBe('1,5\u00a0КБ');
    expect(formatSize(26_214_400, 'en')).toBe('25\u00a0MB');
  });
});
