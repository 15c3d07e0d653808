// The cabinet's names for the livedesk API shapes. Every shape is generated from
// docs/openapi.yaml (shared/api/types.gen.ts, `npm run gen:api`); this file only picks the
// ones the cabinet uses and names the parts it refers to often.

import type * as gen from '../../../shared/api/types.gen';

export type {
  AccountSettings, Category, Channel, ContactPoint, Conversation, ID, IMAPStatus, MailCheck, MailboxState, Operator, OperatorBrief, QuickMessage,
  Report, Role, Status, Sticker, StickerPack, WidgetSettings,
} from '../../../shared/api/types.gen';

/** One page of the conversation list. */
export type ConversationPage = gen.ConversationsResponse;
/** The supervisor's snapshot: operators, the queue, how many conversations are open. */
export type Monitor = gen.AdminMonitorResponse;
/** How many sticker packs, stickers per pack and bytes per picture an account may have. */
export type StickerLimits = gen.AdminStickerPacksResponse['limits'];
/** Count, mean and median of a duration in a report. */
export type Stat = gen.Durations;
/** Ratings added up, and the ratings part of a report (CSAT). */
export type CSATTally = gen.CSATTally;
export type CSATReport = gen.CSATReport;
