// The operator app's names for the livedesk API shapes. Every shape is generated from
// docs/openapi.yaml (shared/api/types.gen.ts, `npm run gen:api`); this file only picks the
// ones the app uses and names the parts it refers to often.

import type * as gen from '../../../shared/api/types.gen';

export type {
  Attachment, Author, Category, Channel, Conversation, ID, LastMessage, Message, Operator, OperatorBrief,
  OperatorSettings, QuickList, QuickMessage, Quote, Role, Status, StickerPack, Transfer, TypingData,
  ContactPointBrief, SearchPage, SearchResult, SnippetPart,
} from '../../../shared/api/types.gen';

/** A visitor's rating of a conversation that ended (CSAT). */
export type Rating = gen.Rating;

/** A sticker: its id, name and picture URL. */
export type StickerRef = gen.Sticker;
/** Where a conversation stands: in the queue, with an operator, closed. */
export type ConversationState = gen.Conversation['state'];
/** Who wrote a message. */
export type AuthorType = gen.Author['type'];
/** What a message is: text, sticker, system line or internal comment. */
export type MessageKind = gen.Message['kind'];
/** Where a transfer offer stands. */
export type TransferState = gen.Transfer['state'];
/** A category of the quick-message window: `personal` («Мои быстрые сообщения») first. */
export type QuickCategory = gen.QuickList['categories'][number];
/** One page of a list (conversations, history): its items and the cursor of the next page. */
export type Page<T> = { items: T[]; next_cursor: string | null };
/** Any frame on /api/v1/ws. */
export type ServerFrame = gen.OperatorFrame;
/** A stored event: it always carries a cursor. */
export type EventFrame = gen.OperatorEvent;
/** A pending transfer with its conversation (GET /transfers). */
export type PendingTransfer = gen.PendingTransfersResponse['incoming'][number];
