// The statuses and their colours are the same in both apps.
export { STATUSES, STATUS_COLOR } from '../../../shared/status';

/** Load as a share of the limit, 0…1 (a limit of 0 counts as full). */
export function loadShare(open: number, limit: number): number {
  if (limit <= 0) return 1;
  return Math.min(1, Math.max(0, open / limit));
}
