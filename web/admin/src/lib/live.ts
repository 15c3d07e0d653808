// Live conversations in the monitor: who is waiting for an answer and for how long (pure).

import type { Conversation } from '../api/types';

/** A visitor waiting longer than this for an answer is highlighted. */
export const LONG_WAIT_SECONDS = 5 * 60;

/** An open conversation with what the monitor derives from it. */
export interface LiveRow {
  conv: Conversation;
  /** Seconds the visitor has been waiting for an answer; null when nobody waits. */
  waiting: number | null;
  /** waiting > LONG_WAIT_SECONDS. */
  longWait: boolean;
}

/**
 * When the visitor started waiting for an answer (ISO time), or null: the last message is the
 * visitor's and the visitor has not closed the conversation. The list gives only the last
 * message, so the wait is counted from it (a visitor who wrote twice waits since the second).
 */
export function waitingSince(c: Conversation): string | null {
  if (c.visitor_closed || !c.last_message || c.last_message.author !== 'visitor') return null;
  return c.last_message.at;
}

function ms(iso: string | undefined): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/** Larger id first (ids are decimal strings of any length). */
function byIdDesc(a: Conversation, b: Conversation): number {
  return b.id.length - a.id.length || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * The rows in monitor order: conversations waiting for an answer first, the longest wait on
 * top; then the rest, newest last message first (ties: newer conversation first).
 */
export function liveRows(items: Conversation[], now: number): LiveRow[] {
  const rows = items.map((conv) => {
    const since = waitingSince(conv);
    const waiting = since == null ? null : Math.max(0, (now - ms(since)) / 1000);
    return { conv, waiting, longWait: waiting != null && waiting > LONG_WAIT_SECONDS };
  });
  return rows.sort((a, b) => {
    if (a.waiting != null && b.waiting != null) return b.waiting - a.waiting || byIdDesc(a.conv, b.conv);
    if (a.waiting != null) return -1;
    if (b.waiting != null) return 1;
    return ms(b.conv.last_message_at) - ms(a.conv.last_message_at) || byIdDesc(a.conv, b.conv);
  });
}
