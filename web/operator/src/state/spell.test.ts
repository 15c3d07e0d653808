import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type Misspelling, type SpellAnswer, SpellCache, SpellChecker, chunks, foldWord, locate, markAt, replaceRange, segments, shiftMarks,
  validMarks,
} from './spell';

/** A misspelling of `word` at its first occurrence in `text` (from `from`), as the server reports it. */
function miss(text: string, word: string, suggestions: string[] = [], from = 0): Misspelling {
  const start = text.indexOf(word, from);
  if (start < 0) throw new Error('no ' + word);
  return { start, end: start + word.length, word, suggestions };
}

describe('UTF-16 ranges and rendered segments', () => {
  it('emoji count 2 units, Cyrillic 1: segments cut exactly at the words', () => {
    const text = 'Привет 👍🏽 Здраствуйте, you will recieve 🙂 it';
    // What the server answers: offsets in UTF-16 code units.
    const marks = [
      { start: 12, end: 23, word: 'Здраствуйте', suggestions: ['Здравствуйте'] },
      { start: 34, end: 41, word: 'recieve', suggestions: ['receive'] },
    ];
    expect(text.slice(12, 23)).toBe('Здраствуйте');
    const segs = segments(text, marks);
    expect(segs.map((s) => [s.text, !!s.mark])).toEqual([
      ['Привет 👍🏽 ', false], ['Здраствуйте', true], [', you will ', false], ['recieve', true], [' 🙂 it', false],
    ]);
    expect(segs.map((s) => s.text).join('')).toBe(text);
    expect(segs[1].start).toBe(12);
  });

  it('a mark at the very start and at the very end', () => {
    const text = 'Здраствуйте 😀 recieve';
    const segs = segments(text, [miss(text, 'recieve'), miss(text, 'Здраствуйте')]);
    expect(segs.map((s) => [s.text, !!s.mark])).toEqual([['Здраствуйте', true], [' 😀 ', false], ['recieve', true]]);
  });

  it('no marks: one plain segment (also for empty text)', () => {
    expect(segments('', [])).toEqual([{ text: '', start: 0 }]);
    expect(segments('ok', [])).toEqual([{ text: 'ok', start: 0 }]);
  });

  it('marks that no longer fit the text are dropped (outside, overlapping, other word)', () => {
    const text = 'ёлка доставлн';
    const good = miss(text, 'доставлн');
    expect(validMarks(text, [
      good,
      { start: 0, end: 4, word: 'елка', suggestions: [] }, // the text says ёлка
      { start: 10, end: 20, word: 'x', suggestions: [] },
      { start: 6, end: 9, word: 'ост', suggestions: [] }, // overlaps the good one
    ])).toEqual([good]);
  });

  it('markAt includes both ends (caret just before or after the word)', () => {
    const text = 'ab доставлн cd';
    const m = miss(text, 'доставлн');
    expect(markAt([m], 3)).toBe(m);
    expect(markAt([m], 11)).toBe(m);
    expect(markAt([m], 12)).toBeUndefined();
  });
});

describe('chunks', () => {
  it('one chunk per non-blank line, with its offset', () => {
    const text = 'Привет 👍\n\n  \nвторая строка\nthird';
    expect(chunks(text)).toEqual([
      { start: 0, text: 'Привет 👍' },
      { start: 14, text: 'вторая строка' },
      { start: 28, text: 'third' },
    ]);
    for (const c of chunks(text)) expect(text.slice(c.start, c.start + c.text.length)).toBe(c.text);
  });

  it('long lines are cut after a space, never inside a word or an emoji', () => {
    const text = 'слово '.repeat(30) + '👍'.repeat(20);
    const cs = chunks(text, 50);
    expect(cs.map((c) => c.text).join('')).toBe(text);
    for (const c of cs) {
      expect(c.text.length).toBeLessThanOrEqual(50);
      expect(text.slice(c.start, c.start + c.text.length)).toBe(c.text);
      if (!c.text.includes('👍')) expect(c.text.endsWith(' ')).toBe(true);
      // No lone surrogate at either end.
      expect(/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(c.text)).toBe(false);
    }
  });
});

describe('shifting marks with an edit', () => {
  const before = 'Здраствуйте, ваш заказ доставлн';
  const marks = [miss(before, 'Здраствуйте'), miss(before, 'доставлн')];

  it('typing between the words moves the later mark', () => {
    const after = 'Здраствуйте, ваш новый заказ доставлн';
    expect(validMarks(after, shiftMarks(before, after, marks)).map((m) => m.word)).toEqual(['Здраствуйте', 'доставлн']);
  });

  it('an emoji inserted before moves by 2 units', () => {
    const after = '🙂 ' + before;
    const moved = shiftMarks(before, after, marks);
    expect(moved.map((m) => m.start)).toEqual([3, marks[1].start + 3]);
    expect(validMarks(after, moved)).toHaveLength(2);
    // A letter typed right before a word changes the word: its mark goes.
    expect(shiftMarks(before, 'x' + before, marks).map((m) => m.word)).toEqual(['доставлн']);
  });

  it('editing inside a word drops its mark until it is checked again', () => {
    const after = before.replace('доставлн', 'доставлен');
    expect(shiftMarks(before, after, marks).map((m) => m.word)).toEqual(['Здраствуйте']);
    const typedOn = before + 'о';
    expect(shiftMarks(before, typedOn, marks).map((m) => m.word)).toEqual(['Здраствуйте']);
  });
});

describe('replacing a word', () => {
  const text = 'Мы скоро доставлн ваш заказ';
  const m = miss(text, 'доставлн');

  it('replaces the range and maps the caret: before stays, after moves, inside goes to the end', () => {
    const r = replaceRange(text, m.start, m.end, 'доставлен', 0);
    expect(r.value).toBe('Мы скоро доставлен ваш заказ');
    expect(r.selStart).toBe(0);
    expect(replaceRange(text, m.start, m.end, 'доставлен', text.length).selStart).toBe(r.value.length);
    expect(replaceRange(text, m.start, m.end, 'доставлен', m.start + 3).selStart).toBe(m.start + 'доставлен'.length);
    expect(replaceRange(text, m.start, m.end, 'доставлен', m.start).selStart).toBe(m.start);
    expect(replaceRange(text, m.start, m.end, 'доставлен', m.end).selStart).toBe(m.start + 'доставлен'.length);
  });

  it('keeps a selection after the word selected', () => {
    const r = replaceRange(text, m.start, m.end, 'доставлен', 22, 27);
    expect(r.value.slice(r.selStart, r.selEnd)).toBe('заказ');
  });

  it('works across emoji (UTF-16 units)', () => {
    const t2 = '👍 recieve 🙂';
    const m2 = miss(t2, 'recieve');
    const r = replaceRange(t2, m2.start, m2.end, 'receive', t2.length);
    expect(r.value).toBe('👍 receive 🙂');
    expect(r.selStart).toBe(r.value.length);
  });

  it('locate finds the word again when the text moved, the nearest occurrence', () => {
    expect(locate(text, m)).toBe(m);
    const moved = 'Да! ' + text;
    expect(locate(moved, m)).toMatchObject({ start: m.start + 4, end: m.end + 4 });
    expect(locate('доставлн и доставлн', { ...m, start: 12, end: 20 })).toMatchObject({ start: 11 });
    expect(locate('ничего', m)).toBeUndefined();
  });

  it('foldWord: case and ё', () => {
    expect(foldWord('Ёлка')).toBe('елка');
  });
});

describe('SpellCache', () => {
  it('is bounded, least recently used first out, and drops a word everywhere', () => {
    const c = new SpellCache(2);
    c.set('a', []);
    c.set('b', [{ start: 0, end: 3, word: 'Abc', suggestions: [] }]);
    c.get('a');
    c.set('c', []);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toEqual([]);
    c.set('d', [{ start: 0, end: 3, word: 'Abc', suggestions: [] }, { start: 4, end: 7, word: 'xyz', suggestions: [] }]);
    c.dropWord('aBC');
    expect(c.get('d')!.map((m) => m.word)).toEqual(['xyz']);
  });
});

/** A fake server: records requests; each is answered by hand. */
function fakeServer() {
  const calls: { text: string; signal: AbortSignal; resolve: (a: SpellAnswer) => void; reject: (e: unknown) => void }[] = [];
  const check = (text: string, signal: AbortSignal) => new Promise<SpellAnswer>((resolve, reject) => {
    calls.push({ text, signal, resolve, reject });
  });
  return { calls, check };
}

/** What a server would answer for `text`: every listed word, with offsets into `text`. */
function answer(text: string, words: string[]): SpellAnswer {
  const out: Misspelling[] = [];
  for (const w of words) {
    for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + 1)) out.push({ start: i, end: i + w.length, word: w, suggestions: [w + '!'] });
  }
  return { ready: true, misspelled: out.sort((a, b) => a.start - b.start) };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

describe('SpellChecker', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  function make(hidden = new Set<string>()) {
    const server = fakeServer();
    const seen: Misspelling[][] = [];
    const checker = new SpellChecker({ check: server.check, cache: new SpellCache(), hidden: () => hidden, onMarks: (m) => seen.push(m), delay: 400 });
    return { server, seen, checker };
  }

  it('waits for typing to pause, then sends one request', async () => {
    const { server, checker } = make();
    checker.update('З');
    await vi.advanceTimersByTimeAsync(200);
    checker.update('Зд');
    await vi.advanceTimersByTimeAsync(200);
    checker.update('Здраствуйте');
    await vi.advanceTimersByTimeAsync(399);
    expect(server.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.calls.map((c) => c.text)).toEqual(['Здраствуйте']);
    server.calls[0].resolve(answer('Здраствуйте', ['Здраствуйте']));
    await flush();
    expect(checker.current().map((m) => m.word)).toEqual(['Здраствуйте']);
  });

  it('a paste is checked at once', async () => {
    const { server, checker } = make();
    checker.update('вставка текста', true);
    await flush();
    expect(server.calls).toHaveLength(1);
  });

  it('a newer check aborts the one in flight, and the old answer is not applied', async () => {
    const { server, checker } = make();
    checker.update('первый текстт');
    await vi.advanceTimersByTimeAsync(400);
    checker.update('второй текстт');
    await vi.advanceTimersByTimeAsync(400);
    expect(server.calls).toHaveLength(2);
    expect(server.calls[0].signal.aborted).toBe(true);
    expect(server.calls[1].signal.aborted).toBe(false);
    server.calls[0].resolve(answer('первый текстт', ['первый']));
    await flush();
    expect(checker.current()).toEqual([]);
    server.calls[1].resolve(answer('второй текстт', ['текстт']));
    await flush();
    expect(checker.current().map((m) => m.word)).toEqual(['текстт']);
  });

  it('only changed lines are sent; the answer is split back by line (emoji offsets too)', async () => {
    const { server, checker } = make();
    const text = 'Здраствуйте 👍\nваш заказ доставлн';
    checker.update(text);
    await vi.advanceTimersByTimeAsync(400);
    expect(server.calls[0].text).toBe(text); // both lines, joined by a newline
    server.calls[0].resolve(answer(text, ['Здраствуйте', 'доставлн']));
    await flush();
    expect(checker.current().map((m) => [m.word, m.start])).toEqual([['Здраствуйте', 0], ['доставлн', 25]]);

    // Edit the second line: only it is sent; the first line's mark stays meanwhile.
    const edited = 'Здраствуйте 👍\nваш заказ доставлн 🙂 recieve';
    const shown = checker.update(edited);
    expect(shown.map((m) => m.word)).toEqual(['Здраствуйте', 'доставлн']);
    await vi.advanceTimersByTimeAsync(400);
    expect(server.calls[1].text).toBe('ваш заказ доставлн 🙂 recieve');
    server.calls[1].resolve(answer('ваш заказ доставлн 🙂 recieve', ['доставлн', 'recieve']));
    await flush();
    const marks = checker.current();
    expect(marks.map((m) => edited.slice(m.start, m.end))).toEqual(['Здраствуйте', 'доставлн', 'recieve']);

    // Back to the earlier text: everything is cached, no request.
    checker.update(text);
    await vi.advanceTimersByTimeAsync(1000);
    expect(server.calls).toHaveLength(2);
    expect(checker.current().map((m) => m.word)).toEqual(['Здраствуйте', 'доставлн']);
  });

  it('ready: false is asked again later, quietly', async () => {
    const { server, checker } = make();
    checker.update('текстт');
    await vi.advanceTimersByTimeAsync(400);
    server.calls[0].resolve({ ready: false, misspelled: [] });
    await flush();
    expect(server.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1500);
    expect(server.calls).toHaveLength(2);
    server.calls[1].resolve(answer('текстт', ['текстт']));
    await flush();
    expect(checker.current()).toHaveLength(1);
  });

  it('failures back off; refusals that cannot change (400, 413, 401, 403) are not repeated', async () => {
    const { server, checker } = make();
    checker.update('текстт');
    await vi.advanceTimersByTimeAsync(400);
    server.calls[0].reject(Object.assign(new Error('network'), { status: 0 }));
    await flush();
    await vi.advanceTimersByTimeAsync(1999);
    expect(server.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.calls).toHaveLength(2);
    server.calls[1].reject(Object.assign(new Error('unavailable'), { status: 503 }));
    await flush();
    await vi.advanceTimersByTimeAsync(3999);
    expect(server.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.calls).toHaveLength(3);
    server.calls[2].reject(Object.assign(new Error('too large'), { status: 413 }));
    await flush();
    await vi.advanceTimersByTimeAsync(60000);
    expect(server.calls).toHaveLength(3);
  });

  it('hidden words (added or skipped) are not shown, in any case', async () => {
    const hidden = new Set<string>();
    const { server, checker, seen } = make(hidden);
    checker.update('Ливдеск и ливдеск, recieve');
    await vi.advanceTimersByTimeAsync(400);
    server.calls[0].resolve(answer('Ливдеск и ливдеск, recieve', ['Ливдеск', 'ливдеск', 'recieve']));
    await flush();
    expect(checker.current()).toHaveLength(3);
    hidden.add(foldWord('ЛИВДЕСК'));
    checker.refresh();
    expect(checker.current().map((m) => m.word)).toEqual(['recieve']);
    expect(seen[seen.length - 1].map((m) => m.word)).toEqual(['recieve']);
  });

  it('nothing is sent for blank text, and nothing after dispose', async () => {
    const { server, checker } = make();
    checker.update('   \n  ');
    await vi.advanceTimersByTimeAsync(1000);
    expect(server.calls).toHaveLength(0);
    checker.update('текстт');
    checker.dispose();
    await vi.advanceTimersByTimeAsync(1000);
    expect(server.calls).toHaveLength(0);
  });
});
