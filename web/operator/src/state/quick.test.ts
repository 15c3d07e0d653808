import { describe, expect, it } from 'vitest';
import type { QuickMessage } from '../api/types';
import {
  emptySuggest, fillPlaceholders, filterQuick, fold, highlight, insertAt, queryWords, suggestDismiss, suggestMove, suggestPick,
  suggestQuery, suggestUpdate,
} from './quick';
import { QuickCache } from './quickStore';

/** A quick message; a field given as undefined is left out (a personal one has no category). */
function qm(id: string, title: string, text: string, extra: { [K in keyof QuickMessage]?: QuickMessage[K] | undefined } = {}): QuickMessage {
  const m: Record<string, unknown> = { id, title, text, personal: false, category_id: '10', position: 0, created_at: '', updated_at: '', ...extra };
  for (const k of Object.keys(m)) if (m[k] === undefined) delete m[k];
  return m as unknown as QuickMessage;
}

const items = [
  qm('1', 'Приветствие', 'Здравствуйте, {visitor_name}! Чем могу помочь?', { personal: true, category_id: undefined }),
  qm('2', 'Доставка', 'Доставка займёт 2–3 рабочих дня.'),
  qm('3', 'Возврат', 'Вернуть товар можно в течение 14 дней ЁЛКИ', { category_id: '11' }),
  qm('4', 'Оплата', 'Оплатить заказ можно картой или наличными курьеру.', { category_id: '11' }),
];

describe('search semantics (as the server)', () => {
  it('folds case, ё and punctuation', () => {
    expect(fold('  ЁЛКИ-Палки,  ещё!! ')).toBe('елки палки еще');
    expect(fold('Займёт 2–3 дня')).toBe('займет 2 3 дня');
  });

  it('searches from 2 characters', () => {
    expect(queryWords('')).toBeNull();
    expect(queryWords('д')).toBeNull();
    expect(queryWords(' д, ')).toBeNull();
    expect(queryWords('до')).toEqual(['до']);
    expect(filterQuick(items, 'д', '').map((m) => m.id)).toEqual(['1', '2', '3', '4']);
  });

  it('is case-insensitive, folds ё = е, and takes words in any order', () => {
    expect(filterQuick(items, 'ДОСТАВКА', '').map((m) => m.id)).toEqual(['2']);
    expect(filterQuick(items, 'займет', '').map((m) => m.id)).toEqual(['2']);
    expect(filterQuick(items, 'елки', '').map((m) => m.id)).toEqual(['3']);
    expect(filterQuick(items, 'курьеру картой', '').map((m) => m.id)).toEqual(['4']);
    expect(filterQuick(items, 'картой доставка', '').map((m) => m.id)).toEqual([]);
    // Title and text are searched together.
    expect(filterQuick(items, 'приветствие помочь', '').map((m) => m.id)).toEqual(['1']);
  });

  it('filters by category, personal included', () => {
    expect(filterQuick(items, '', 'personal').map((m) => m.id)).toEqual(['1']);
    expect(filterQuick(items, '', '11').map((m) => m.id)).toEqual(['3', '4']);
    expect(filterQuick(items, 'можно', '11').map((m) => m.id)).toEqual(['3', '4']);
    expect(filterQuick(items, 'можно', '10').map((m) => m.id)).toEqual([]);
  });

  it('highlights matches in the original text', () => {
    const segs = highlight('Займёт 2–3 дня, ЗАЙМЕТ', 'займет дня');
    expect(segs).toEqual([
      { text: 'Займёт', hit: true }, { text: ' 2–3 ', hit: false }, { text: 'дня', hit: true },
      { text: ', ', hit: false }, { text: 'ЗАЙМЕТ', hit: true },
    ]);
    expect(highlight('abc', 'a')).toEqual([{ text: 'abc', hit: false }]);
  });
});

describe('placeholders', () => {
  it('fills the visitor and operator names', () => {
    expect(fillPlaceholders('Здравствуйте, {visitor_name}! Меня зовут {operator_name}.', { visitor: 'Иван', operator: 'Анна' }))
      .toBe('Здравствуйте, Иван! Меня зовут Анна.');
  });

  it('leaves out a missing visitor name with its comma', () => {
    const o = { visitor: '', operator: 'Анна' };
    expect(fillPlaceholders('Здравствуйте, {visitor_name}! Чем могу помочь?', o)).toBe('Здравствуйте! Чем могу помочь?');
    expect(fillPlaceholders('Спасибо, {visitor_name}, за ожидание', o)).toBe('Спасибо за ожидание');
    expect(fillPlaceholders('{visitor_name}, добрый день!', o)).toBe('Добрый день!');
    expect(fillPlaceholders('Hello {visitor_name}', o)).toBe('Hello');
  });

  it('inserts at the caret, replacing a selection', () => {
    expect(insertAt('Добрый день. ', 13, 13, 'Чем помочь?')).toEqual({ value: 'Добрый день. Чем помочь?', caret: 24 });
    expect(insertAt('a XX b', 2, 4, 'YYY')).toEqual({ value: 'a YYY b', caret: 5 });
  });
});

describe('autocomplete state', () => {
  const found = filterQuick(items, 'можно', '');

  it('takes the current line up to the caret as the query', () => {
    expect(suggestQuery('Добрый день!\nоплат карт', 23)).toEqual({ query: 'оплат карт', from: 13 });
    expect(suggestQuery('оплата', 3)).toEqual({ query: 'опл', from: 0 });
  });

  it('highlights nothing until ↓/↑, so Enter is not stolen', () => {
    let s = suggestUpdate(emptySuggest, 'можно', 0, found);
    expect(s.items.map((m) => m.id)).toEqual(['3', '4']);
    expect(s.index).toBe(-1);
    expect(suggestPick(s, 'Enter')).toBeNull();
    // Tab takes the first when nothing is highlighted.
    expect(suggestPick(s, 'Tab')?.id).toBe('3');
    s = suggestMove(s, 1);
    expect(s.index).toBe(0);
    s = suggestMove(s, 1);
    expect(suggestPick(s, 'Enter')?.id).toBe('4');
    expect(suggestMove(s, 1).index).toBe(0); // wraps
    expect(suggestMove({ ...s, index: -1 }, -1).index).toBe(1); // ↑ from nothing: the last
  });

  it('typing refines and keeps the highlighted message', () => {
    let s = suggestMove(suggestUpdate(emptySuggest, 'можно', 0, found), 1);
    s = suggestMove(s, 1); // on «Оплата»
    s = suggestUpdate(s, 'можно карт', 0, filterQuick(items, 'можно карт', ''));
    expect(s.items.map((m) => m.id)).toEqual(['4']);
    expect(s.index).toBe(0);
    s = suggestUpdate(s, 'можно', 0, found);
    expect(s.index).toBe(1);
    // Too short: nothing.
    expect(suggestUpdate(s, 'м', 0, items).items).toEqual([]);
  });

  it('Esc hides the list until the query is no longer a continuation', () => {
    let s = suggestDismiss(suggestUpdate(emptySuggest, 'мож', 0, found));
    expect(s.items).toEqual([]);
    s = suggestUpdate(s, 'можно', 0, found);
    expect(s.items).toEqual([]);
    expect(suggestPick(s, 'Enter')).toBeNull();
    s = suggestUpdate(s, 'мо', 0, found); // deleted back past it
    expect(s.dismissed).toBeNull();
    expect(s.items.length).toBe(2);
  });

  it('does not offer a message that is exactly what was typed', () => {
    const s = suggestUpdate(emptySuggest, 'Доставка займёт 2–3 рабочих дня', 0, filterQuick(items, 'доставка', ''));
    expect(s.items).toEqual([]);
  });
});

describe('QuickCache', () => {
  function fakeApi(all: QuickMessage[]) {
    const calls: string[] = [];
    return {
      calls,
      api: {
        async quickMessages(q = '', category = '', n = 500) {
          calls.push(`${q}|${category}`);
          const list = filterQuick(all, q, category);
          return { categories: [{ id: 'personal', name: 'Мои быстрые сообщения', personal: true }, { id: '10', name: 'A', personal: false },
            { id: '11', name: 'B', personal: false }], items: list.slice(0, n) };
        },
        createQuick: async (title: string, text: string) => qm('99', title, text, { personal: true, category_id: undefined }),
        updateQuick: async (id: string, title: string, text: string) => qm(id, title, text, { ...all.find((m) => m.id === id)!, title, text, hotkey: undefined }),
        deleteQuick: async () => {},
        setQuickHotkey: async (id: string, hotkey: string | null) => ({ ...all.find((m) => m.id === id)!, ...(hotkey ? { hotkey } : {}) }),
      },
    };
  }

  it('searches locally when it holds everything, finds hotkeys, keeps personal first', async () => {
    const f = fakeApi(items.map((m) => (m.id === '2' ? { ...m, hotkey: 'Ctrl+Alt+Digit1' } : m)));
    const c = new QuickCache(f.api);
    await c.load();
    expect(c.complete).toBe(true);
    expect(c.searchLocal('оплат', '')?.map((m) => m.id)).toEqual(['4']);
    expect(c.byHotkey('Ctrl+Alt+Digit1')?.id).toBe('2');
    await c.create('Новое', 'Текст');
    expect(c.items.map((m) => m.id)).toEqual(['1', '99', '2', '3', '4']);
    await c.update('2', 'Доставка', 'Новый текст');
    expect(c.byId('2')?.hotkey).toBe('Ctrl+Alt+Digit1'); // the PATCH answer has no hotkey: kept
    await c.setHotkey('2', null);
    expect(c.byHotkey('Ctrl+Alt+Digit1')).toBeUndefined();
  });

  it('loads category by category past one page, and asks the server when a category is too big', async () => {
    const f = fakeApi(items);
    const c = new QuickCache(f.api, 2);
    await c.load();
    expect(f.calls).toEqual(['|', '|personal', '|10', '|11']);
    expect(c.items.map((m) => m.id)).toEqual(['1', '2', '3', '4']);
    expect(c.complete).toBe(false); // category 11 filled its page
    expect(c.searchLocal('оплат', '')).toBeNull();
    expect((await c.search('оплат', '')).map((m) => m.id)).toEqual(['4']);
  });
});
