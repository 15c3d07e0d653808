// Spell check of the composer (issue 7, DESIGN §2.9): the pure part. The server
// (POST /api/v1/spellcheck) finds misspelled words; offsets are UTF-16 code units, the same
// units as a JS string index and a textarea's selectionStart, so a range slices the text as is.
//
// The text is checked line by line ("chunks"): results are cached per chunk text, so an edit
// re-checks only the line that changed, a stale answer is never wrong (it describes the
// chunk text it was asked about), and switching conversations back and forth costs nothing.

/** A misspelled word as the server reports it (offsets relative to the text that was checked). */
export interface Misspelling {
  start: number;
  end: number;
  word: string;
  suggestions: string[];
}

export interface SpellAnswer {
  ready: boolean;
  misspelled: Misspelling[];
}

/** A piece of the text for rendering: plain, or a misspelled word. */
export interface Segment {
  text: string;
  start: number;
  mark?: Misspelling;
}

/** A line (or a part of a very long line) of the text, at `start`. */
export interface Chunk {
  start: number;
  text: string;
}

/** The longest chunk sent as one piece; longer lines are cut at a space before this. */
export const CHUNK_MAX = 2000;
/** The most UTF-16 units sent in one request (the server takes 20,000 characters). */
export const REQUEST_MAX = 16000;

/** Splits text into its lines; empty and blank lines are left out, long lines cut at spaces. */
export function chunks(text: string, max = CHUNK_MAX): Chunk[] {
  const out: Chunk[] = [];
  let pos = 0;
  for (const line of text.split('\n')) {
    let start = pos;
    let rest = line;
    while (rest.length > max) {
      // Cut after the last white space before max (never inside a word unless there is none).
      let cut = -1;
      for (let i = max; i > 0; i--) if (/\s/.test(rest[i - 1])) { cut = i; break; }
      if (cut <= 0) {
        cut = max;
        // Never split a surrogate pair.
        const c = rest.charCodeAt(cut - 1);
        if (c >= 0xd800 && c <= 0xdbff) cut--;
      }
      if (rest.slice(0, cut).trim()) out.push({ start, text: rest.slice(0, cut) });
      start += cut;
      rest = rest.slice(cut);
    }
    if (rest.trim()) out.push({ start, text: rest });
    pos += line.length + 1;
  }
  return out;
}

/** Lower case with ё = е: how added and ignored words are compared. */
export function foldWord(w: string): string {
  return w.toLowerCase().replace(/ё/g, 'е');
}

/**
 * The marks that are valid for `text`: inside it, in order, not overlapping, and still
 * spelling the word they were reported for.
 */
export function validMarks(text: string, marks: Misspelling[]): Misspelling[] {
  const sorted = [...marks].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Misspelling[] = [];
  let last = 0;
  for (const m of sorted) {
    if (m.start < last || m.end <= m.start || m.end > text.length) continue;
    if (text.slice(m.start, m.end) !== m.word) continue;
    out.push(m);
    last = m.end;
  }
  return out;
}

/** The text cut into plain pieces and misspelled words, for the overlay. */
export function segments(text: string, marks: Misspelling[]): Segment[] {
  const out: Segment[] = [];
  let pos = 0;
  for (const m of validMarks(text, marks)) {
    if (m.start > pos) out.push({ text: text.slice(pos, m.start), start: pos });
    out.push({ text: m.word, start: m.start, mark: m });
    pos = m.end;
  }
  if (pos < text.length || out.length === 0) out.push({ text: text.slice(pos), start: pos });
  return out;
}

/**
 * Moves the marks of `before` onto `after` (one edit between them): marks before the edited
 * span stay, marks after it shift by the length change, marks touching it are dropped until
 * the text is checked again.
 */
export function shiftMarks(before: string, after: string, marks: Misspelling[]): Misspelling[] {
  if (before === after) return marks;
  let p = 0;
  const min = Math.min(before.length, after.length);
  while (p < min && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let s = 0;
  while (s < min - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  const editEnd = before.length - s; // the edited span of `before` is [p, editEnd)
  const delta = after.length - before.length;
  const out: Misspelling[] = [];
  // A word touching the edit stays only when a separator (space, punctuation) parts them.
  const wordChar = (c: string | undefined) => !!c && /[\p{L}\p{N}\p{M}'’_-]/u.test(c);
  const newEnd = editEnd + delta;
  for (const m of marks) {
    if (m.end < p || (m.end === p && !wordChar(after[p]))) out.push(m);
    else if (m.start > editEnd || (m.start === editEnd && !wordChar(after[newEnd - 1]))) {
      out.push({ ...m, start: m.start + delta, end: m.end + delta });
    }
  }
  return out;
}

/** The mark containing position `pos` (its ends included), if any. */
export function markAt(marks: Misspelling[], pos: number): Misspelling | undefined {
  return marks.find((m) => m.start <= pos && pos <= m.end);
}

/**
 * Replaces [start, end) with `replacement` and says where a selection [selStart, selEnd)
 * goes: before the word it stays, after it it moves with the text, inside it it goes to the
 * end of the replacement.
 */
export function replaceRange(text: string, start: number, end: number, replacement: string, selStart: number, selEnd = selStart) {
  const delta = replacement.length - (end - start);
  const map = (p: number) => (p <= start ? p : p >= end ? p + delta : start + replacement.length);
  return { value: text.slice(0, start) + replacement + text.slice(end), selStart: map(selStart), selEnd: map(selEnd) };
}

/** Finds the word again when the text moved since it was reported: the nearest occurrence. */
export function locate(text: string, m: Misspelling): Misspelling | undefined {
  if (text.slice(m.start, m.end) === m.word) return m;
  let best = -1;
  for (let i = text.indexOf(m.word); i >= 0; i = text.indexOf(m.word, i + 1)) {
    if (best < 0 || Math.abs(i - m.start) < Math.abs(best - m.start)) best = i;
  }
  return best < 0 ? undefined : { ...m, start: best, end: best + m.word.length };
}

/** Chunk results, newest last; bounded. */
export class SpellCache {
  private map = new Map<string, Misspelling[]>();
  constructor(private limit = 400) {}

  get(chunk: string): Misspelling[] | undefined {
    const v = this.map.get(chunk);
    if (v) { this.map.delete(chunk); this.map.set(chunk, v); }
    return v;
  }

  set(chunk: string, marks: Misspelling[]) {
    this.map.delete(chunk);
    this.map.set(chunk, marks);
    while (this.map.size > this.limit) this.map.delete(this.map.keys().next().value!);
  }

  /** Forgets every cached mark of a word (it was added to the dictionary). */
  dropWord(word: string) {
    const f = foldWord(word);
    for (const [k, v] of this.map) {
      if (v.some((m) => foldWord(m.word) === f)) this.map.set(k, v.filter((m) => foldWord(m.word) !== f));
    }
  }

  clear() { this.map.clear(); }
  get size() { return this.map.size; }
}

/** What the checker needs from outside: the request (abortable). */
export type CheckFn = (text: string, signal: AbortSignal) => Promise<SpellAnswer>;

export interface CheckerOptions {
  check: CheckFn;
  cache: SpellCache;
  /** Words not to show (added to the dictionary or skipped), folded. */
  hidden: () => Set<string>;
  /** Called when an answer or refresh() changes the marks (update() returns them directly). */
  onMarks: (marks: Misspelling[]) => void;
  /** Quiet time after the last change before checking. */
  delay?: number;
  /** Wait before asking again while the server's dictionaries are loading. */
  notReadyDelay?: number;
}

/** An HTTP status of a refusal that asking again cannot fix (invalid input, too large). */
function permanent(e: unknown): boolean {
  const s = (e as { status?: number })?.status;
  return s === 400 || s === 413 || s === 401 || s === 403 || s === 404;
}

/**
 * The composer's checker: `update(text)` after every change shows the marks it can at once
 * (cached lines, and the previous marks moved with the edit) and checks the lines it has no
 * answer for once typing pauses. One request at a time; a newer check aborts an older one.
 * Never throws: failures and «not ready» are retried quietly, with growing pauses.
 */
export class SpellChecker {
  private text = '';
  private marks: Misspelling[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inflight: AbortController | null = null;
  private failures = 0;
  private disposed = false;
  private readonly delay: number;
  private readonly notReadyDelay: number;

  constructor(private o: CheckerOptions) {
    this.delay = o.delay ?? 400;
    this.notReadyDelay = o.notReadyDelay ?? 1500;
  }

  /** The marks shown for the current text. */
  current(): Misspelling[] { return this.marks; }

  /**
   * The text now (call it on every render: it is cheap when nothing changed). Returns the
   * marks to show at once — cached lines, and the previous marks moved with the edit — and
   * checks the lines without an answer `delay` after the last change (now: at once, e.g. a paste).
   */
  update(text: string, now = false): Misspelling[] {
    if (this.disposed) return this.marks;
    if (text !== this.text) {
      const before = this.text;
      this.text = text;
      this.marks = this.compose(shiftMarks(before, text, this.marks));
      this.failures = 0;
      this.schedule(now ? 0 : this.delay);
    } else if (now) {
      this.schedule(0);
    }
    return this.marks;
  }

  /** Checks the current text soon (spell check was turned back on). */
  kick() {
    if (!this.disposed) this.schedule(0);
  }

  /** Recomputes the shown marks (a word was added or skipped) and reports them. */
  refresh() {
    this.publish(this.marks);
  }

  dispose() {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.inflight?.abort();
  }

  /** Marks from the cache for cached chunks; `fallback` for the others. */
  private compose(fallback: Misspelling[]): Misspelling[] {
    const hidden = this.o.hidden();
    const out: Misspelling[] = [];
    for (const c of chunks(this.text)) {
      const cached = this.o.cache.get(c.text);
      if (cached) {
        for (const m of cached) out.push({ ...m, start: m.start + c.start, end: m.end + c.start });
      } else {
        for (const m of fallback) if (m.start >= c.start && m.end <= c.start + c.text.length) out.push(m);
      }
    }
    return validMarks(this.text, out.filter((m) => !hidden.has(foldWord(m.word))));
  }

  private publish(fallback: Misspelling[]) {
    const next = this.compose(fallback);
    const same = next.length === this.marks.length && next.every((m, i) => m.start === this.marks[i].start && m.end === this.marks[i].end
      && m.suggestions === this.marks[i].suggestions);
    this.marks = next;
    if (!same) this.o.onMarks(next);
  }

  private schedule(ms: number) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = null; void this.run(); }, ms);
  }

  /** The chunks without an answer, batched up to REQUEST_MAX. */
  private pending(): Chunk[] {
    const batch: Chunk[] = [];
    let size = 0;
    const seen = new Set<string>();
    for (const c of chunks(this.text)) {
      if (seen.has(c.text) || this.o.cache.get(c.text)) continue;
      if (size + c.text.length + 1 > REQUEST_MAX && batch.length) break;
      seen.add(c.text);
      batch.push(c);
      size += c.text.length + 1;
    }
    return batch;
  }

  private async run() {
    const batch = this.pending();
    if (!batch.length) { this.publish(this.marks); return; }
    this.inflight?.abort();
    const ctl = new AbortController();
    this.inflight = ctl;
    // One request for all: the lines joined by newlines; answers are split back by offset.
    const offsets: number[] = [];
    let joined = '';
    for (const c of batch) {
      if (joined) joined += '\n';
      offsets.push(joined.length);
      joined += c.text;
    }
    let answer: SpellAnswer;
    try {
      answer = await this.o.check(joined, ctl.signal);
    } catch (e) {
      if (ctl.signal.aborted || this.disposed) return;
      this.inflight = null;
      if (permanent(e)) return;
      this.failures++;
      this.schedule(Math.min(30000, 2000 * 2 ** (this.failures - 1)));
      return;
    }
    if (ctl.signal.aborted || this.disposed) return;
    this.inflight = null;
    if (!answer.ready) {
      this.schedule(this.notReadyDelay);
      return;
    }
    this.failures = 0;
    batch.forEach((c, i) => {
      const from = offsets[i];
      const to = from + c.text.length;
      this.o.cache.set(c.text, answer.misspelled
        .filter((m) => m.start >= from && m.end <= to)
        .map((m) => ({ ...m, start: m.start - from, end: m.end - from })));
    });
    this.publish(this.marks);
    // More than one request's worth of new text: go on with the rest.
    if (this.pending().length) this.schedule(0);
  }
}
