import type { ID, SearchResult } from '../api/types';

/** The search's filters as the form holds them ('' : any). */
export interface SearchFilters {
  state: '' | 'open' | 'queued' | 'closed';
  operator: ID | '';
  category: ID | '';
  channel: '' | 'webchat' | 'email';
  contactPoint: ID | '';
  /** Dates as YYYY-MM-DD, whole days in the browser's time zone (to included). */
  from: string;
  to: string;
}

export const emptyFilters: SearchFilters = { state: '', operator: '', category: '', channel: '', contactPoint: '', from: '', to: '' };

/** How many filters are set (the badge on «Фильтры»). */
export function activeFilters(f: SearchFilters): number {
  return Object.values(f).filter((v) => v !== '').length;
}

/** The query string of GET /api/v1/search for a query and filters (dates in the browser's time zone). */
export function searchParams(q: string, f: SearchFilters, tz = Intl.DateTimeFormat().resolvedOptions().timeZone): Record<string, string> {
  const p: Record<string, string> = { q: q.trim() };
  if (f.state) p.state = f.state;
  if (f.operator) p.operator = f.operator;
  if (f.category) p.category = f.category;
  if (f.channel) p.channel = f.channel;
  if (f.contactPoint) p.contact_point = f.contactPoint;
  if (f.from) p.from = f.from;
  if (f.to) p.to = f.to;
  if ((f.from || f.to) && tz) p.tz = tz;
  return p;
}

/**
 * The results with a further page added: a conversation already shown (found by an earlier
 * page, its visitor or its number) is not shown twice.
 */
export function mergeResults(shown: SearchResult[], page: SearchResult[]): SearchResult[] {
  const seen = new Set(shown.map((r) => r.conversation.id));
  return shown.concat(page.filter((r) => !seen.has(r.conversation.id)));
}
