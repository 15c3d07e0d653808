// Sections of the cabinet and their URLs under /admin/.

import type { Role } from '../api/types';

export type Section = 'monitor' | 'reports' | 'operators' | 'contact-points' | 'categories' | 'quick-messages'
  | 'stickers' | 'dictionary' | 'settings';

export const SECTIONS: Section[] = ['monitor', 'reports', 'operators', 'contact-points', 'categories', 'quick-messages',
  'stickers', 'dictionary', 'settings'];

const STAFF_SECTIONS: Section[] = ['monitor', 'reports'];

export const BASE = '/admin/';

/** The sections a role may open (operators: none). */
export function sectionsFor(role: Role): Section[] {
  if (role === 'admin') return SECTIONS;
  if (role === 'supervisor') return STAFF_SECTIONS;
  return [];
}

export interface Route {
  section: Section;
  /** The rest of the path (e.g. a contact point id), or "". */
  sub: string;
}

/** Reads a pathname; unknown or forbidden sections fall back to the first allowed one. */
export function parsePath(pathname: string, role: Role): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname.replace(/^\/+/, '');
  const [head = '', ...tail] = rest.split('/').filter(Boolean);
  const allowed = sectionsFor(role);
  if (allowed.includes(head as Section)) return { section: head as Section, sub: tail.map(decodeURIComponent).join('/') };
  return { section: allowed[0] ?? 'monitor', sub: '' };
}

export function pathOf(r: Route): string {
  return BASE + r.section + (r.sub ? '/' + encodeURIComponent(r.sub) : '');
}
