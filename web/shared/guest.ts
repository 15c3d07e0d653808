// Guests (visitors who gave no name) are told apart by a short stable number.
/**
 * A visitor's short stable number, 1000–9999, told apart in the list when they gave no name
 * («Гость #4821»): the id scrambled as the server does (livedesk.GuestNumber).
 */
export function guestNumber(id: string): number {
  return (Math.imul(Number(id) >>> 0, 2654435761) >>> 0) % 9000 + 1000;
}
