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
