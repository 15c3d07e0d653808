// Shapes of the livedesk API as the cabinet uses them (docs/openapi.yaml is authoritative).

import type { Channel, ID, Role, Status } from '../../../shared/api/types';

// The shapes shared with the operator app (ids, statuses, roles, channels, categories, stickers).
export type { Category, Channel, ID, Role, Status, Sticker, StickerPack } from '../../../shared/api/types';

export interface Operator {
  id: ID;
  account_id: ID;
  name: string;
  email: string;
  role: Role;
  status: Status;
  status_at: string;
  limit: number;
  open_count: number;
  deactivated: boolean;
  settings: Record<string, unknown>;
}

export interface OperatorBrief {
  id: ID;
  name: string;
  role: Role;
  status: Status;
  open_count: number;
  limit: number;
  /** When the status last changed (RFC 3339). */
  status_at: string;
}

export interface Conversation {
  id: ID;
  state: 'queued' | 'assigned' | 'closed';
  channel: Channel;
  contact_point: { id: ID; name: string };
  visitor: { id: ID; name: string; display_name: string };
  last_message: { text: string; author: 'visitor' | 'operator' | 'system'; at: string } | null;
  last_message_at: string;
  /** The visitor closed it from the widget; the operator still has to close it. */
  visitor_closed: boolean;
  /** null while queued. */
  assignee_id: ID | null;
  /** Visitor messages since the operator last replied or marked read. */
  unread_count: number;
  /** The pending transfer offer; omitted when there is none. */
  pending_transfer?: { id: ID; from_operator_id: ID; to_operator_id: ID; state: string; expires_at: string };
  queued_at: string;
  /** Omitted while queued. */
  assigned_at?: string;
  created_at: string;
}

/** One page of the conversation list. */
export interface ConversationPage {
  items: Conversation[];
  next_cursor: string | null;
}

export interface Monitor {
  operators: OperatorBrief[];
  queue: Conversation[];
  open_conversations: number;
}

export interface WidgetSettings {
  color?: string;
  title?: string;
  greeting?: string;
  position?: 'left' | 'right';
  ask_email?: boolean;
  ask_phone?: boolean;
  allowed_origins?: string[];
  /** Email contact points: the mailbox address (lower case). */
  address?: string;
  [key: string]: unknown;
}

export interface ContactPoint {
  id: ID;
  name: string;
  channel: Channel;
  key: string;
  settings: WidgetSettings | null;
  created_at: string;
}

/** Where the confirmation of a mailbox's address stands (GET /admin/contact-points/{id}/mailbox). */
export interface MailboxState {
  contact_point_id: ID;
  address: string;
  /** null: not confirmed — replies go out from the platform address with Reply-To this one. */
  verified_at: string | null;
  confirmation_sent_at: string | null;
  code_expires_at: string | null;
  confirmation_error?: string;
}

export interface QuickMessage {
  id: ID;
  category_id?: ID;
  personal: boolean;
  title: string;
  text: string;
  position: number;
}

export interface StickerLimits {
  max_packs: number;
  max_stickers_per_pack: number;
  max_image_bytes: number;
}

export interface AccountSettings {
  default_limit: number;
  transfer_timeout_seconds: number;
  offline_requeue_seconds: number;
  file_retention_days: number;
  autocomplete_quick_messages: boolean;
}

export interface Stat {
  count: number;
  avg_seconds: number | null;
  median_seconds: number | null;
}

export interface Report {
  from: string;
  to: string;
  tz: string;
  totals: { created: number; closed: number; visitor_closed: number; queued_now: number; open_now: number };
  first_reply: Stat;
  queue_wait: Stat;
  by_day: { date: string; created: number; closed: number }[];
  by_category: { category_id: ID | null; name: string; closed: number }[];
  by_operator: { operator_id: ID; name: string; closed: number; first_reply_avg_seconds: number | null }[];
}
