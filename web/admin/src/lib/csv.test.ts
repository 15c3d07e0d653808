import { describe, expect, it } from 'vitest';
import type { Report } from '../api/types';
import { BOM, csvField, csvSeparator, csvText, reportCsv, reportFileName } from './csv';

function report(over: Partial<Report> = {}): Report {
  return {
    from: '2026-03-01',
    to: '2026-03-02',
    tz: 'Europe/Moscow',
    totals: { created: 5, closed: 3, visitor_closed: 1, queued_now: 2, open_now: 4 },
    first_reply: { count: 3, avg_seconds: 42.6, median_seconds: 30 },
    queue_wait: { count: 2, avg_seconds: 120, median_seconds: 119.5 },
    by_day: [{ date: '2026-03-01', created: 2, closed: 1 }, { date: '2026-03-02', created: 3, closed: 2 }],
    by_category: [{ category_id: '7', name: 'Оплата; возврат', closed: 2 }, { category_id: null, name: '', closed: 1 }],
    by_operator: [
      { operator_id: '1', name: 'Борис "Босс"', closed: 2, first_reply_avg_seconds: 40.4 },
      { operator_id: '2', name: 'Вера', closed: 1, first_reply_avg_seconds: null },
    ],
    csat: {
      totals: { count: 0, satisfied: 0, percent: null, stars: 0, avg_stars: null, thumbs_up: 0, thumbs_down: 0 },
      by_day: [], by_operator: [], by_category: [], comments: [], comments_total: 0,
    },
    ...over,
  };
}

/** The sections of a CSV text (without the BOM) as lists of lines. */
function sections(csv: string): string[][] {
  expect(csv.startsWith(BOM)).toBe(true);
  expect(csv.endsWith('\r\n')).toBe(true);
  return csv.slice(1, -2).split('\r\n\r\n').map((s) => s.split('\r\n'));
}

describe('csvField', () => {
  it('leaves plain values alone', () => {
    expect(csvField('Оплата', ';')).toBe('Оплата');
    expect(csvField(12, ';')).toBe('12');
    expect(csvField(null, ';')).toBe('');
    expect(csvField(undefined, ',')).toBe('');
  });
  it('quotes the separator, quotes and line breaks, doubling quotes', () => {
    expect(csvField('a;b', ';')).toBe('"a;b"');
    expect(csvField('a,b', ';')).toBe('a,b');
    expect(csvField('a,b', ',')).toBe('"a,b"');
    expect(csvField('a;b', ',')).toBe('a;b');
    expect(csvField('say "hi"', ',')).toBe('"say ""hi"""');
    expect(csvField('two\nlines', ';')).toBe('"two\nlines"');
    expect(csvField('cr\rhere', ';')).toBe('"cr\rhere"');
  });
});

describe('csvSeparator and csvText', () => {
  it('uses ; for Russian and , for English', () => {
    expect(csvSeparator('ru')).toBe(';');
    expect(csvSeparator('en')).toBe(',');
  });
  it('keeps names that look like formulas as text', () => {
    expect(csvText('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvText('+7 999')).toBe("'+7 999");
    expect(csvText('-1')).toBe("'-1");
    expect(csvText('@me')).toBe("'@me");
    expect(csvText('Оплата = деньги')).toBe('Оплата = деньги');
  });
});

describe('reportCsv', () => {
  it('writes every section in Russian with ; and CRLF after a BOM', () => {
    const csv = reportCsv(report(), 'ru');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(sections(csv)).toEqual([
      ['С;По;Часовой пояс', '2026-03-01;2026-03-02;Europe/Moscow'],
      ['Создано;Завершено;Закрыто посетителем;В очереди сейчас;Открыто сейчас', '5;3;1;2;4'],
      ['Показатель;Обращений;Среднее, с;Медиана, с', 'Время первого ответа;3;43;30', 'Ожидание в очереди;2;120;120'],
      ['Дата;Создано;Завершено', '2026-03-01;2;1', '2026-03-02;3;2'],
      ['Категория;Завершено', '"Оплата; возврат";2', 'Без категории;1'],
      ['Оператор;Завершено;Первый ответ, среднее, с', '"Борис ""Босс""";2;40', 'Вера;1;'],
    ]);
  });

  it('writes English with , and quotes titles that hold a comma', () => {
    const s = sections(reportCsv(report(), 'en'));
    expect(s[0]).toEqual(['From,To,Time zone', '2026-03-01,2026-03-02,Europe/Moscow']);
    expect(s[1]).toEqual(['Created,Closed,Closed by visitor,In queue now,Open now', '5,3,1,2,4']);
    expect(s[2][0]).toBe('Measure,Conversations,Mean (s),Median (s)');
    expect(s[4]).toEqual(['Category,Closed', 'Оплата; возврат,2', 'No category,1']);
    expect(s[5]).toEqual(['Operator,Closed,"First reply, mean (s)"', '"Борис ""Босс""",2,40', 'Вера,1,']);
  });

  it('keeps the header rows of empty sections and leaves times without conversations empty', () => {
    const s = sections(reportCsv(report({
      first_reply: { count: 0, avg_seconds: 0, median_seconds: 0 },
      queue_wait: { count: 0, avg_seconds: 0, median_seconds: 0 },
      by_day: [], by_category: [], by_operator: [],
    }), 'ru'));
    expect(s).toHaveLength(6);
    expect(s[2]).toEqual(['Показатель;Обращений;Среднее, с;Медиана, с', 'Время первого ответа;0;;', 'Ожидание в очереди;0;;']);
    expect(s[3]).toEqual(['Дата;Создано;Завершено']);
    expect(s[4]).toEqual(['Категория;Завершено']);
    expect(s[5]).toEqual(['Оператор;Завершено;Первый ответ, среднее, с']);
  });

  it('keeps line breaks inside a quoted name', () => {
    const csv = reportCsv(report({ by_category: [{ category_id: '1', name: 'две\nстроки', closed: 1 }] }), 'ru');
    expect(csv).toContain('\r\n"две\nстроки";1\r\n');
  });
});

describe('reportFileName', () => {
  it('names the file by the period', () => {
    expect(reportFileName(report())).toBe('livedesk-report-2026-03-01-2026-03-02.csv');
  });
});
