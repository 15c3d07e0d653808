import type { Status } from './api/types';

/** The four statuses in menu order, with their colours (also used as CSS variables). */
export const STATUSES: Status[] = ['available', 'pause', 'away', 'offline'];

export const STATUS_COLOR: Record<Status, string> = {
  available: '#1f9d55',
  pause: '#e0a100',
  away: '#e4572e',
  offline: '#9aa3af',
};
