import type { Channel, OperatorBrief, Status } from '../api/types';

// The statuses and their colours are the same in both apps.
export { STATUSES, STATUS_COLOR } from '../../../shared/status';

/** What a status allows (DESIGN §2.1). */
export const can = {
  reply: (s: Status) => s !== 'offline',
  settings: (s: Status) => s !== 'offline',
  acceptTransfer: (s: Status) => s === 'available' || s === 'pause',
};

/**
 * Why a colleague cannot receive this conversation now, as a dictionary key, or null if they
 * can. Mirrors routing.CanOffer on the server: webchat only to someone online; nobody at the limit.
 */
export function transferBlock(channel: Channel, target: OperatorBrief): string | null {
  if (channel === 'webchat' && !can.acceptTransfer(target.status)) return 'transfer.block.notOnline';
  if (target.open_count >= target.limit) return 'transfer.block.limit';
  return null;
}

/**
 * Why an operator cannot be given a queued conversation now (a supervisor's «Назначить»), or
 * null. Mirrors desk.AssignQueued: available or on pause, whatever the channel; below the limit.
 */
export function assignBlock(target: Pick<OperatorBrief, 'status' | 'open_count' | 'limit'>): string | null {
  if (!can.acceptTransfer(target.status)) return 'queue.block.notOnline';
  if (target.open_count >= target.limit) return 'transfer.block.limit';
  return null;
}
