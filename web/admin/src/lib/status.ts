import type { Status } from '../api/types';

/** The four statuses in the operator app's order, with the same colours. */
export const STATUSES: Status[] = ['available', 'pause', 'away', 'offline'];

export const STATUS_COLOR: Record<Status, string> = {
  available: '#1f9d55',
  pause: '#e0a100',
  away: '#e4572e',
  offline: '#9aa3af',
};

/** Load as a share of the limit, 0…1 (a limit of 0 counts as full). */
export function loadShare(open: number, limit: number): number {
  if (limit <= 0) return 1;
  return Math.min(1, Math.max(0, open / limit));
}
