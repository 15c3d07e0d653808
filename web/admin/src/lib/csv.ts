// A report as a CSV file, built in the browser from the report JSON already on screen.
//
// The file is meant for spreadsheet programs: UTF-8 with a byte order mark (so that Cyrillic
// opens correctly), `;` between fields in Russian (a comma is the decimal separator there) and
// `,` in English, CRLF line ends. Sections follow one another, separated by an empty line, each
// with its own header row.

import type { Report, Stat } from '../api/types';
import { en } from '../i18n/en';
import { ru } from '../i18n/ru';
import type { Lang } from './format';

export const BOM = '\uFEFF';
const EOL = '\r\n';

type Cell = string | number | null | undefined;

/** The field separator spreadsheet programs expect for the language. */
export function csvSeparator(lang: Lang): string {
  return lang === 'ru' ? ';' : ',';
}

/** One field: quoted when it holds the separator, a quote or a line break; quotes are doubled. */
export function csvField(v: Cell, sep: string): string {
  const s = v == null ? '' : String(v);
  return s.includes(sep) || /["\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

/**
 * A name typed by people (category, operator) that a spreadsheet would take for a formula
 * (=, +, -, @ at the start) gets a leading apostrophe, so that it stays text.
 */
export function csvText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? "'" + s : s;
}

function rows(table: Cell[][], sep: string): string {
  return table.map((r) => r.map((c) => csvField(c, sep)).join(sep)).join(EOL);
}

/** Seconds as a whole number (as the screen shows them); none is an empty field. */
function secs(v: number | null | undefined): Cell {
  return v == null || !Number.isFinite(v) ? '' : Math.round(v);
}

/** The text of the report as CSV in the language, starting with the byte order mark. */
export function reportCsv(report: Report, lang: Lang): string {
  const d = lang === 'en' ? en : ru;
  const sep = csvSeparator(lang);
  const stat = (title: string, s: Stat): Cell[] =>
    [title, s.count, s.count ? secs(s.avg_seconds) : '', s.count ? secs(s.median_seconds) : ''];
  const tot = report.totals;
  const sections: Cell[][][] = [
    [[d['reports.from'], d['reports.to'], d['reports.csv.tz']], [report.from, report.to, report.tz]],
    [
      [d['reports.created'], d['reports.closed'], d['reports.visitorClosed'], d['reports.queuedNow'], d['reports.openNow']],
      [tot.created, tot.closed, tot.visitor_closed, tot.queued_now, tot.open_now],
    ],
    [
      [d['reports.csv.measure'], d['reports.count'], d['reports.csv.avgSeconds'], d['reports.csv.medianSeconds']],
      stat(d['reports.firstReply'], report.first_reply),
      stat(d['reports.queueWait'], report.queue_wait),
    ],
    [
      [d['reports.csv.date'], d['reports.created'], d['reports.closed']],
      ...report.by_day.map((x) => [x.date, x.created, x.closed]),
    ],
    [
      [d['col.category'], d['reports.closed']],
      ...report.by_category.map((c) => [c.category_id == null ? d['reports.noCategory'] : csvText(c.name), c.closed]),
    ],
    [
      [d['col.operator'], d['reports.closed'], d['reports.csv.firstReplySeconds']],
      ...report.by_operator.map((o) => [csvText(o.name), o.closed, secs(o.first_reply_avg_seconds)]),
    ],
  ];
  return BOM + sections.map((s) => rows(s, sep)).join(EOL + EOL) + EOL;
}

/** The file name of a report: livedesk-report-FROM-TO.csv. */
export function reportFileName(report: Pick<Report, 'from' | 'to'>): string {
  return `livedesk-report-${report.from}-${report.to}.csv`;
}

/** Saves text as a file through a temporary link (the browser's download). */
export function saveText(text: string, name: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
