// JSON shapes of the livedesk REST API and WebSocket frames (docs/openapi.yaml, docs/events.md;
// the Go structs in internal/livedesk/model.go are the source of truth).

import type { Channel, ID, Role, Status, Sticker } from '../../../shared/api/types';
import type { Attachment as MediaAttachment } from '../../../shared/media/attach';

// The shapes shared with the admin cabinet (ids, statuses, roles, channels, categories, sticker packs).
export type { Category, Channel, ID, Role, Status, StickerPack } from '../../../shared/api/types';
/** A sticker: its id, name and picture URL. */
export type StickerRef = Sticker;
/** A file of a message (the shape the shared media code uses). */
export type Attachment = MediaAttachment;

export type ConversationState = 'queued' | 'assigned' | 'closed';
export type AuthorType = 'visitor' | 'operator' | 'system';
export type MessageKind = 'text' | 'sticker' | 'system' | 'comment';
export type TransferState = 'pending' | 'accepted' | 'declined' | 'cancelled' | 'expired';

export interface OperatorSettings {
  autocomplete_quick_messages?: boolean;
  spellcheck?: boolean;
  language?: 'ru' | 'en';
}

/** The logged-in operator (GET /me). */
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
  settings: OperatorSettings;
}

/** A colleague as listed for the transfer dialog and in operator.status events. */
export interface OperatorBrief {
  id: ID;
  name: string;
  role: Role;
  status: Status;
  open_count: number;
  limit: number;
}

export interface Transfer {
  id: ID;
  conversation_id: ID;
  from_operator_id: ID;
  to_operator_id: ID;
  comment: string;
  state: TransferState;
  created_at: string;
  expires_at: string;
  resolved_at?: string;
}

export interface LastMessage {
  text: string;
  author: AuthorType;
  at: string;
  /** Which operator wrote it (absent for a visitor's message). */
  author_id?: string;
  author_name?: string;
}

/** A conversation as shown in the list. */
export interface Conversation {
  id: ID;
  state: ConversationState;
  channel: Channel;
  contact_point: { id: ID; name: string };
  visitor: { id: ID; name: string; display_name: string };
  last_message: LastMessage | null;
  last_message_at: string;
  visitor_closed: boolean;
  assignee_id: ID | null;
  unread_count: number;
  pending_transfer?: Transfer;
  category_id?: ID;
  queued_at: string;
  assigned_at?: string;
  closed_at?: string;
  created_at: string;
  /** The subject of an email conversation's first mail. */
  subject?: string;
}

export interface Author {
  type: AuthorType;
  id: ID | null;
  name: string;
}

export interface Quote {
  id: ID;
  author: Author;
  text: string;
}

export interface Message {
  id: ID;
  conversation_id: ID;
  client_id?: string;
  author: Author;
  kind: MessageKind;
  text: string;
  reply_to?: ID;
  quote?: Quote;
  attachments: Attachment[];
  sticker_id?: string;
  /** The sticker of a message of kind sticker. */
  sticker?: StickerRef;
  created_at: string;
  /** A reply in an email conversation: how its mail is getting on. */
  email_delivery?: { state: 'pending' | 'sent' | 'failed'; error?: string };
}

/** A quick message (GET /quick-messages): account-wide (in a category) or the operator's own. */
export interface QuickMessage {
  id: ID;
  category_id?: ID;
  personal: boolean;
  title: string;
  /** May contain {visitor_name} and {operator_name}. */
  text: string;
  position: number;
  /** This operator's hotkey for it, e.g. `Ctrl+Alt+Digit1`. */
  hotkey?: string;
  created_at: string;
  updated_at: string;
}

/** A category of the quick-message window: `personal` («Мои быстрые сообщения») first. */
export interface QuickCategory {
  id: string;
  name: string;
  personal: boolean;
}

export interface QuickList {
  categories: QuickCategory[];
  items: QuickMessage[];
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** A server frame on /api/v1/ws. */
export type ServerFrame =
  | { type: 'ready' | 'resync'; cursor: string }
  | { type: 'pong' }
  | { type: 'error'; data: { code: string; message: string } }
  | { type: 'typing'; data: TypingData }
  /** Quick messages this operator sees changed: reload the cached list. */
  | { type: 'quick_messages.changed'; cursor: string; data: Record<string, never> }
  | EventFrame;

export interface TypingData {
  conversation_id: ID;
  author: 'visitor' | 'operator';
  visitor_id?: ID;
  operator_id?: ID;
  name?: string;
}

/** A stored event: it always carries a cursor. */
export type EventFrame = { cursor: string } & (
  | { type: 'conversation.assigned' | 'conversation.updated' | 'conversation.queued'; data: { conversation: Conversation } }
  | { type: 'conversation.closed'; data: { conversation: Conversation; reason: 'closed' | 'visitor_closed' } }
  | { type: 'conversation.removed'; data: { conversation_id: ID; reason: 'transferred' | 'requeued'; to_operator_id?: ID } }
  | { type: 'message.created'; data: { message: Message; conversation: Conversation } }
  | { type: 'message.updated'; data: { conversation_id: ID; message: Message } }
  | { type: 'transfer.offered'; data: { transfer: Transfer; conversation: Conversation } }
  | { type: 'transfer.accepted'; data: { transfer: Transfer } }
  | { type: 'transfer.accept_refused'; data: { transfer: Transfer; reason: string } }
  | { type: 'transfer.declined' | 'transfer.cancelled' | 'transfer.expired'; data: { transfer: Transfer; reason: string } }
  | { type: 'operator.status'; data: { operator: OperatorBrief } }
);
