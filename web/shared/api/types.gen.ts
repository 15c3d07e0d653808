// Generated from docs/openapi.yaml by web/scripts/gen-api.mjs: do not edit.
// Change the spec and run `npm run gen:api`; `npm run check:api` (in `npm run typecheck`)
// fails when this file is out of date.

/** The SpellcheckInput schema of the API. */
export interface SpellcheckInput {
  /** At most 20,000 characters. */
  text: string;
  /** Languages to check; default both. */
  languages?: ('ru' | 'en')[];
}

/** The Misspelling schema of the API. */
export interface Misspelling {
  /** Offset of the first character, in UTF-16 code units. */
  start: number;
  /** Offset after the last character, in UTF-16 code units. */
  end: number;
  word: string;
  /** Best first; may be empty. */
  suggestions: string[];
}

/** The SpellcheckResult schema of the API. */
export interface SpellcheckResult {
  /** false while the dictionaries load; misspelled is then empty. */
  ready: boolean;
  misspelled: Misspelling[];
}

/** The DictionaryWordInput schema of the API. */
export interface DictionaryWordInput {
  word: string;
}

/** The DictionaryWord schema of the API. */
export interface DictionaryWord {
  word: string;
  created_at: Time;
}

/** The DictionaryList schema of the API. */
export interface DictionaryList {
  items: DictionaryWord[];
}

/** An opaque id (digits). Treat as a string. */
export type ID = string;

/** An id, or `null` for none. */
export type NullableID = string | null;

/** RFC 3339, UTC, milliseconds. */
export type Time = string;

/** Optional idempotency key chosen by the client; at most 64 printable ASCII characters without spaces. */
export type ClientID = string;

/** At most 10,000 characters (code points), valid UTF-8, no NUL; not blank. */
export type Text = string;

/** The Error schema of the API. */
export interface Error {
  error: {
    /**
     * Stable code; each has one HTTP status:
     * `invalid_input` 400, `unauthenticated` 401, `forbidden` 403,
     * `operator_offline` 403, `not_found` 404, `method_not_allowed` 405,
     * `conflict` 409, `limit_reached` 409,
     * `target_unavailable` 409, `transfer_not_pending` 409, `conversation_closed` 409,
     * `client_id_reused` 409, `hotkey_taken` 409, `invalid_hotkey` 400, `gone` 410, `too_large` 413, `too_many_files` 413, `rate_limited` 429,
     * `request_timeout` 408, `internal` 500, `unavailable` 503.
     * `rate_limited` carries `details.retry_after` (seconds), also sent as `Retry-After`.
     * `request_timeout`: the request body did not arrive within `--body-timeout`
     * (uploads: or slower than 8 KiB/s on average after it).
     * `gone` and `too_many_files` come from the attachment endpoints and from
     * sending `attachment_ids`.
     */
    code: 'invalid_input' | 'unauthenticated' | 'forbidden' | 'operator_offline' | 'not_found' | 'method_not_allowed' | 'conflict' | 'limit_reached' | 'target_unavailable' | 'transfer_not_pending' | 'conversation_closed' | 'client_id_reused' | 'hotkey_taken' | 'invalid_hotkey' | 'gone' | 'too_large' | 'too_many_files' | 'rate_limited' | 'request_timeout' | 'internal' | 'unavailable';
    /** For people; may change. */
    message: string;
    /**
     * Facts for clients to act on, per code (e.g. `invalid_hotkey` → `reason`, `used_by`).
     * `invalid_input` names the field at fault in `field` when there is one
     * (`limit`, `settings.color`, `email`, `attachment_ids` …), for forms to show
     * the message next to it.
     */
    details?: Record<string, string>;
  };
}

/** The Durations schema of the API. */
export interface Durations {
  count: number;
  avg_seconds: number;
  median_seconds: number;
}

/** The Report schema of the API. */
export interface Report {
  from: string;
  to: string;
  tz: string;
  totals: {
    created: number;
    closed: number;
    visitor_closed: number;
    queued_now: number;
    open_now: number;
  };
  first_reply: Durations;
  queue_wait: Durations;
  by_day: {
    date: string;
    created: number;
    closed: number;
  }[];
  /** Most closed first; `category_id` null counts conversations closed without a category. */
  by_category: {
    category_id: NullableID;
    name: string;
    closed: number;
  }[];
  /** Most closed first. */
  by_operator: {
    operator_id: ID;
    name: string;
    closed: number;
    first_reply_avg_seconds: number | null;
  }[];
  csat: CSATReport;
}

/** A visitor's rating of a conversation after it ended (CSAT). */
export interface Rating {
  conversation_id: ID;
  scale: 'stars' | 'thumbs';
  /** 1–5 on the stars scale; 0 (thumbs down) or 1 (thumbs up). */
  score: number;
  /** The visitor's comment (trimmed); may be empty. */
  comment: string;
  /** The widget, or the rating page of an email conversation's closing mail. */
  source: 'widget' | 'email';
  created_at: Time;
  /** Later than `created_at` when the visitor changed the rating. */
  updated_at: Time;
}

/** The RatingInput schema of the API. */
export interface RatingInput {
  conversation_id: ID;
  /** The scale the visitor was shown; it must still be the account's. */
  scale: 'stars' | 'thumbs';
  score: number;
  comment?: string;
}

/** What the widget asks the visitor about a conversation that ended; `rating` is the one given so far (changeable until `change_until`). */
export interface RatingRequest {
  conversation_id: ID;
  scale: 'stars' | 'thumbs';
  rate_until: Time;
  rating: Rating | null;
  change_until: string | null;
}

/** Ratings added up: `percent` is the share of satisfied ones (4–5 stars or thumbs up), `avg_stars` the mean of those on the stars scale; both null when there are none. */
export interface CSATTally {
  count: number;
  satisfied: number;
  percent: number | null;
  /** Ratings on the stars scale. */
  stars: number;
  avg_stars: number | null;
  thumbs_up: number;
  thumbs_down: number;
}

/** The ratings given over a report's days. */
export interface CSATReport {
  totals: CSATTally;
  by_day: (CSATTally & {
    date: string;
  })[];
  /** Most ratings first; the conversation's assignee. */
  by_operator: (CSATTally & {
    operator_id: ID;
    name: string;
  })[];
  /** Most ratings first; `category_id` null for conversations without a category (or not closed yet). */
  by_category: (CSATTally & {
    category_id: NullableID;
    name: string;
  })[];
  /** The newest 200 ratings with a comment, newest first. */
  comments: {
    conversation_id: ID;
    scale: 'stars' | 'thumbs';
    score: number;
    comment: string;
    at: Time;
    visitor_name: string;
    operator_id: NullableID;
    operator_name: string;
    category_name: string;
  }[];
  /** How many ratings of the range have a comment. */
  comments_total: number;
}

/** The QuickCategory schema of the API. */
export interface QuickCategory {
  id: ID;
  name: string;
  position: number;
}

/** The QuickCategoryList schema of the API. */
export interface QuickCategoryList {
  items: QuickCategory[];
}

/** The QuickCategoryInput schema of the API. */
export interface QuickCategoryInput {
  name?: string;
  position?: number;
}

/** The QuickMessage schema of the API. */
export interface QuickMessage {
  id: ID;
  category_id?: ID;
  /** The operator's own (category «Мои быстрые сообщения»); no `category_id`. */
  personal: boolean;
  title: string;
  /** May contain `{visitor_name}` and `{operator_name}`. */
  text: string;
  position: number;
  /** The requesting operator's hotkey for it, if any. */
  hotkey?: string;
  created_at: string;
  updated_at: string;
}

/** The QuickInput schema of the API. */
export interface QuickInput {
  title?: string;
  text?: string;
  category_id?: ID;
  position?: number;
}

/** The QuickList schema of the API. */
export interface QuickList {
  categories: {
    /** `personal` or a category id. */
    id: string;
    name: string;
    personal: boolean;
  }[];
  items: QuickMessage[];
}

/** The HotkeyInput schema of the API. */
export interface HotkeyInput {
  /** e.g. `Ctrl+Alt+Digit1`; null removes it. */
  hotkey: string | null;
}

/** `supervisor` and `admin` are "staff": they see the whole account. */
export type Role = 'operator' | 'supervisor' | 'admin';

/**
 * available: gets new conversations and transfers; pause: no new conversations, may
 * accept transfers; away: may only work on own conversations and settings (no
 * transfers in); offline: may do nothing but change status.
 */
export type Status = 'available' | 'pause' | 'away' | 'offline';

/** The Channel schema of the API. */
export type Channel = 'webchat' | 'email';

/** Own settings; unset fields are omitted. */
export interface OperatorSettings {
  autocomplete_quick_messages?: boolean;
  /** Spell check in the composer; `GET /me` shows it as true until set. */
  spellcheck?: boolean;
  language?: 'ru' | 'en';
}

/** The Operator schema of the API. */
export interface Operator {
  id: ID;
  account_id: ID;
  name: string;
  /** Lower case. */
  email: string;
  /** Deactivated by an admin: cannot log in (see PATCH /api/v1/admin/operators/{id}). */
  deactivated: boolean;
  role: Role;
  status: Status;
  status_at: Time;
  /** Most open conversations at once. */
  limit: number;
  /** Open (assigned) conversations now. */
  open_count: number;
  settings: OperatorSettings;
}

/** An operator as colleagues see them. */
export interface OperatorBrief {
  id: ID;
  name: string;
  role: Role;
  status: Status;
  /** When the status last changed. */
  status_at: Time;
  open_count: number;
  limit: number;
}

/** The LastMessage schema of the API. */
export interface LastMessage {
  /** Preview: whitespace collapsed, at most 200 characters plus "…". */
  text: string;
  author: 'visitor' | 'operator' | 'system';
  /** The operator who wrote it (absent for a visitor). */
  author_id?: ID;
  /** Their name when they wrote it: the list shows «Вы:» on the reader's own, the name otherwise. */
  author_name?: string;
  at: Time;
}

/** A conversation as shown in the list (the same shape everywhere, events included). */
export interface Conversation {
  id: ID;
  state: 'queued' | 'assigned' | 'closed';
  channel: Channel;
  contact_point: {
    id: ID;
    name: string;
  };
  visitor: {
    id: ID;
    /** As given by the visitor; may be empty. */
    name: string;
    /** The name, or «Гость» when none was given. */
    display_name: string;
  };
  /** Preview of the newest visitor or operator message; `null` before the first. Comments do not count. */
  last_message: LastMessage | null;
  last_message_at: Time;
  /** The visitor closed it from the widget; the operator still has to close it. */
  visitor_closed: boolean;
  /** The operator it is (or, when closed, was last) assigned to; `null` while queued. */
  assignee_id: NullableID;
  /** Visitor messages since the operator last replied or marked read. */
  unread_count: number;
  /** The pending transfer offer; omitted when there is none (never has `resolved_at`). */
  pending_transfer?: Transfer;
  /** The category it was closed with; omitted when none. */
  category_id?: ID;
  queued_at: Time;
  /** Omitted while queued. */
  assigned_at?: Time;
  /** Omitted until closed. */
  closed_at?: Time;
  created_at: Time;
  /** The subject of an email conversation's first mail; omitted for webchat and empty subjects. */
  subject?: string;
  /** The visitor's rating, in lists and `GET /api/v1/conversations/{id}` (and `conversation.closed`); omitted when not rated (and in other events). */
  rating?: Rating;
}

/** What a visitor may know of their conversation. */
export interface VisitorConversation {
  id: ID;
  state: 'queued' | 'assigned' | 'closed';
  visitor_closed: boolean;
  created_at: Time;
  /** The assignee, while the conversation is assigned. */
  operator?: {
    id: ID;
    name: string;
  };
}

/** The Author schema of the API. */
export interface Author {
  type: 'visitor' | 'operator' | 'system';
  /** The visitor's or operator's id; `null` for system lines. */
  id: NullableID;
  /** Display name at the time of writing; "" for system lines. */
  name: string;
}

/** The quoted message shown above a reply. */
export interface Quote {
  id: ID;
  author: Author;
  text: string;
}

/** A file of a message. */
export interface Attachment {
  id: ID;
  /** The sanitised file name (DESIGN §2.6): at most 100 characters of Latin and Russian letters, digits, `.`, `_`, `~`. */
  name: string;
  /** Bytes. */
  size: number;
  /** The extension's type when known, else sniffed from the content. Informational; downloads are `application/octet-stream` unless previewed inline. */
  content_type: string;
  /** Where to download it: `/api/v1/attachments/{id}` for operators (REST answers and operator events), `/api/v1/widget/attachments/{id}/file` in everything a visitor reads. */
  url: string;
  /** The retention period is over and the content is deleted; the file is shown as «Файл удалён: истёк срок хранения (1 месяц)» and its url answers 410 `gone`. */
  expired: boolean;
  /** A picture's width in pixels as the server read it; 0 when unknown or not a picture. */
  width: number;
  /** A picture's height in pixels; 0 when unknown or not a picture. */
  height: number;
  /** The picture may be shown inline (a known picture type, not too large); false for other files. */
  preview: boolean;
}

/** A sticker of a pack, and the `sticker` of a message of kind `sticker`. */
export interface Sticker {
  /** `livedesk-<name>` for livedesk's own pack (e.g. `livedesk-spasibo`), the decimal id of an uploaded one. */
  id: string;
  name: string;
  /** The picture: `/api/v1/stickers/{id}` for operators, `/api/v1/widget/stickers/{id}/image` in everything a visitor reads. */
  url: string;
}

/** The StickerPack schema of the API. */
export interface StickerPack {
  /** `livedesk` for livedesk's own pack, else the decimal id of an uploaded pack. */
  id: string;
  name: string;
  /** livedesk's own pack (cannot be deleted). */
  builtin: boolean;
  stickers: Sticker[];
}

/** A file just uploaded, not sent yet. */
export interface UploadedFile {
  id: ID;
  /** The sanitised file name. */
  name: string;
  size: number;
  content_type: string;
  /** A picture's width in pixels; 0 when unknown or not a picture. */
  width: number;
  /** A picture's height in pixels; 0 when unknown or not a picture. */
  height: number;
  /** The picture may be shown inline once sent. */
  preview: boolean;
}

/** The Message schema of the API. */
export interface Message {
  id: ID;
  conversation_id: ID;
  /** Omitted when the message was sent without one. */
  client_id?: string;
  author: Author;
  /** `comment` is internal (operators only); `sticker` carries `sticker_id` and `sticker` (its text may be empty). */
  kind: 'text' | 'sticker' | 'system' | 'comment';
  text: string;
  /** The quoted message; omitted when none. */
  reply_to?: ID;
  /** Present exactly when `reply_to` is. */
  quote?: Quote;
  /** Always present (empty when none), in the order of `attachment_ids`. Comments and system lines have none. */
  attachments: Attachment[];
  /** The sticker of a message of kind `sticker`; omitted otherwise. */
  sticker_id?: string;
  /** Present exactly when `sticker_id` is: its id, name and picture URL (the operators' or, for visitors, the widget's). */
  sticker?: Sticker;
  /** Replies in email conversations, and replies in widget conversations that continue by email when the visitor is gone (operators only; see docs/email.md and the `message.updated` event). */
  email_delivery?: {
    /** `skipped`: a reply of a widget conversation continued by email whose visitor came back to the chat before it was due (no mail was needed; docs/email.md § A widget conversation continues by email). */
    state: 'pending' | 'sent' | 'failed' | 'skipped';
    /** Why the last attempt failed (pending), why it failed for good, or why it was skipped. */
    error?: string;
  };
  /** Operators only, never sent to visitors: the whole text of a mail that quoted earlier mail of its thread, `text` being only its new text (the operator app's «Показать всё письмо»; docs/email.md § Quoted replies). Omitted for every other message. */
  full_text?: string;
  created_at: Time;
}

/** The MessagePage schema of the API. */
export interface MessagePage {
  /** Newest first. */
  items: Message[];
  /** The id of the oldest message of a full page, to pass as `before`; `null` when the page was not full. */
  next_cursor: string | null;
}

/** The MessageInput schema of the API. */
export interface MessageInput {
  client_id?: ClientID;
  text: Text;
  /** Operators only; a message (not a comment) of the same conversation. Visitors must omit it. */
  reply_to?: NullableID;
  /** Sends a sticker (the message's kind is `sticker`; `text` may then be empty): one of `GET /api/v1/sticker-packs` (visitors: `GET /api/v1/widget/sticker-packs`). A sticker that is unknown, of another account or of a deleted pack is `invalid_input` ("sticker_id: there is no such sticker"); with `attachment_ids` it is `invalid_input` ("a sticker is sent without files"). */
  sticker_id?: string;
  /** Files the sender uploaded and has not sent yet (at most 5, 26,214,400 bytes together). With files, `text` may be empty. */
  attachment_ids?: ID[];
}

/** The SearchPage schema of the API. */
export interface SearchPage {
  /** The conversation named by number first, then those found by their visitor (first page only), then those found by text, newest match first. */
  results: SearchResult[];
  /** Pass as `before` for more results found by text; `null` when there are no more. */
  next_before: NullableID;
}

/** The SearchResult schema of the API. */
export interface SearchResult {
  conversation: Conversation;
  /** How it was found. */
  match: 'id' | 'visitor' | 'message';
  /** The visitor's field that matched (`match` visitor); omitted otherwise. */
  field?: 'name' | 'email' | 'phone';
  /** The newest matching message (`match` message), where the history opens; omitted otherwise. */
  message?: {
    id: ID;
    author: Author;
    kind: 'text' | 'comment';
    created_at: Time;
  };
  /** How many of the conversation's messages looked at for this page match (`match` message). */
  hits?: number;
  /** The message's text around the match (about 180 characters, "…" where cut, whitespace collapsed), or the visitor's field; the pieces with `hit` are what matched. Empty for `match` id. */
  snippet: SnippetPart[];
}

/** The ContactPointBrief schema of the API. */
export interface ContactPointBrief {
  id: ID;
  name: string;
  channel: Channel;
}

/** The SnippetPart schema of the API. */
export interface SnippetPart {
  text: string;
  /** This piece matched the query; omitted when it did not. */
  hit?: boolean;
}

/** The Transfer schema of the API. */
export interface Transfer {
  id: ID;
  conversation_id: ID;
  from_operator_id: ID;
  to_operator_id: ID;
  /** "" when none. */
  comment: string;
  state: 'pending' | 'accepted' | 'declined' | 'cancelled' | 'expired';
  created_at: Time;
  /** When a pending offer expires; equals `created_at` for email transfers. */
  expires_at: Time;
  /** Omitted while pending. */
  resolved_at?: Time;
}

/** The Category schema of the API. */
export interface Category {
  id: ID;
  name: string;
  /** Sort key (ascending). */
  position: number;
}

/** The CategoryInput schema of the API. */
export interface CategoryInput {
  /** Trimmed; required. */
  name: string;
  position?: number;
}

/** Any subset of the fields; absent fields keep their value, `null` is refused. */
export interface CategoryPatch {
  /** Trimmed. */
  name?: string;
  position?: number;
}

/** The CategoryList schema of the API. */
export interface CategoryList {
  items: Category[];
}

/** The ContactPoint schema of the API. */
export interface ContactPoint {
  id: ID;
  name: string;
  channel: Channel;
  /** The public widget key (`POST /api/v1/widget/{key}/session`). */
  key: string;
  settings: WidgetSettings;
  created_at: Time;
}

/** Where the confirmation of an email contact point's address stands (docs/email.md). */
export interface MailboxState {
  /** The IMAP watcher of a mailbox with `imap` settings (null without). */
  imap_status: IMAPStatus | null;
  /** The latest reply sent through the mailbox's own `smtp` server (null before the first), whichever node sent it. */
  smtp_status: SMTPSendStatus | null;
  contact_point_id: ID;
  address: string;
  /** When the account proved control of the address; null: not confirmed (replies go out from --smtp-from with Reply-To the address). */
  verified_at: string | null;
  /** When the last confirmation mail left. */
  confirmation_sent_at: string | null;
  /** Until when the code of the last confirmation mail works. */
  code_expires_at: string | null;
  /** Why the last confirmation mail could not be sent (absent when it was, or is on its way). */
  confirmation_error?: string;
}

/** What the watcher of a mailbox's IMAP folder is doing, as the node that watches it last wrote it to the database (every node answers the same). */
export interface IMAPStatus {
  phase: 'connecting' | 'fetching' | 'idle' | 'polling' | 'error' | 'stopped';
  /** The last failure in the server's words while `phase` is `error` ("" otherwise), e.g. "the IMAP server refused the login (login): the server said: [AUTHENTICATIONFAILED] Authentication failed." */
  error: string;
  /** The server refused the login; it is retried, but the settings must change. */
  auth_failed: boolean;
  /** The next attempt while in error. */
  retry_at: string | null;
  /** When the folder was last found up to date. */
  last_success: string | null;
  /** The server offers IDLE: new mail is taken within a second (else polled every minute). */
  idle: boolean;
}

/** The latest send through a mailbox's own SMTP server. */
export interface SMTPSendStatus {
  at: string;
  /** "" when the server took the mail, else its words. */
  error: string;
  /** The login was refused or TLS failed: replies wait and are retried until the settings are fixed. */
  auth_failed: boolean;
}

/** The outcome of a check button. */
export interface MailCheck {
  ok: boolean;
  /** What failed, in the server's words (absent when ok). */
  error?: string;
  /** The server refused the username and password. */
  auth_failed: boolean;
}

/**
 * A mailbox's own IMAP server (issue 16): livedesk watches the folder and takes new
 * mail into conversations. `password` is write-only: it is stored sealed and never
 * returned; answers carry `password_set` instead. A change without `password` keeps
 * the stored one, unless `host` changed (then it is required again).
 */
export interface IMAPSettings {
  host: string;
  /** 0 or absent: 993 for `tls`, 143 for `starttls`/`none`. */
  port?: number;
  /** `none` only for a loopback host. Default `tls`. */
  security?: 'tls' | 'starttls' | 'none';
  username: string;
  /** Never returned. "" removes the stored one. */
  password?: string;
  /** A password is stored. */
  password_set?: boolean;
  /** Default `INBOX`. */
  folder?: string;
  /** `seen` (default) or `move:<folder>`. */
  after_fetch?: string;
}

/**
 * A mailbox's own SMTP submission server: its replies go out there, from its address.
 * `password` is write-only as in `IMAPSettings`.
 */
export interface SMTPSettings {
  host: string;
  /** 0 or absent: 587 for `starttls`, 465 for `tls`, 25 for `none`. */
  port?: number;
  /** `none` only for a loopback host. Default `starttls`. */
  security?: 'starttls' | 'tls' | 'none';
  /** Empty sends without AUTH. */
  username?: string;
  /** Never returned. "" removes the stored one. */
  password?: string;
  password_set?: boolean;
}

/**
 * The settings object of a contact point. The keys below are the widget's and are
 * validated; any other key is kept as given. Unset keys take their defaults.
 */
export interface WidgetSettings {
  /** Accent colour of the launcher, header and visitor messages. Default `#2563eb`. */
  color?: string;
  /** Header of the chat window. Default: «Чат поддержки» / "Support chat" by the page language. */
  title?: string;
  /** First line shown in an empty chat. Default a short greeting in the page language. */
  greeting?: string;
  /** Corner of the launcher. Default `right`. */
  position?: 'right' | 'left';
  /** The introduction form asks for an email too. Default false. */
  ask_email?: boolean;
  /** The introduction form asks for a phone number too. Default false. */
  ask_phone?: boolean;
  /**
   * Email contact points: the mailbox address (stored in lower case, unique across
   * accounts; an address another contact point has is `409 conflict` "this address
   * cannot be used", naming nothing of the other). Mail for it that reaches livedesk's
   * SMTP listener (`--smtp-listen`) becomes conversations. Replies go out through
   * `--smtp-relay` from this address once it is confirmed (a code is mailed to it; see
   * `/api/v1/admin/contact-points/{id}/mailbox`), until then from `--smtp-from` with
   * `Reply-To` this address. A new or changed address starts unconfirmed. See docs/email.md.
   * Required with `imap` or `smtp`.
   */
  address?: string;
  /** Email contact points with a mailbox of their own, read over IMAP (`invalid_input` names `settings.imap.<field>`). null removes it (and its password). */
  imap?: IMAPSettings;
  /** Email contact points that send through their own server (`settings.smtp.<field>` in errors); without it the global relay sends. */
  smtp?: SMTPSettings;
  /**
   * Webchat contact points: continue a conversation by email when the visitor left an
   * address and is gone (docs/email.md § A widget conversation continues by email). An
   * operator's reply is mailed from the email contact point `contact_point_id` when no
   * widget socket of the visitor was open at any moment in the `after_minutes` after
   * it; the visitor's answer by mail lands in the same conversation. Refusals name
   * `settings.email_followup.<field>`. null or absent: off.
   */
  email_followup?: {
    /** An email contact point of the account with an address. */
    contact_point_id: ID;
    /** How long the visitor must be gone. 0 or absent: 3. */
    after_minutes?: number;
    /** An http(s) address of a page with the chat, put in the mail as «Вернуться в чат». Optional. */
    link?: string;
  } | null;
  /**
   * Webchat contact points: how operators see the custom attributes the site passes
   * with `Livedesk.identify` — a label instead of the key, or hidden (stored, never
   * shown). Keys as the attributes' (`A-Za-z0-9_.-`, up to 64).
   */
  attributes?: Record<string, {
    label?: string;
    hidden?: boolean;
  }>;
  /**
   * Webchat contact points: the secret the site signs visitors' emails with
   * (`email_signature` of `Livedesk.identify`: HMAC-SHA256 of the lower-case email,
   * hex). A signed email is verified: the panel marks it and finds the visitor's
   * conversations at other contact points by it. Never sent to visitors; "" or absent:
   * no email of a widget visitor is verified.
   */
  identity_secret?: string;
  /**
   * Sites whose pages may use this contact point's widget: `scheme://host[:port]`;
   * a host starting with `*.` matches any subdomain (not the domain itself). Stored in
   * lower case without a default port. Empty or absent: every site. Never sent to
   * visitors.
   */
  allowed_origins?: string[];
  [key: string]: unknown;
}

/** The public part of `WidgetSettings` with defaults filled in, as the widget gets it. */
export interface WidgetAppearance {
  /** `#rrggbb`. */
  color: string;
  /** "" means the default text of the page language. */
  title: string;
  /** "" means the default text of the page language. */
  greeting: string;
  position: 'right' | 'left';
  ask_email: boolean;
  ask_phone: boolean;
}

/** What a visitor may know of a contact point. */
export interface WidgetContactPoint {
  id: ID;
  name: string;
  settings: WidgetAppearance;
}

/** The Visitor schema of the API. */
export interface Visitor {
  id: ID;
  contact_point_id: ID;
  name: string;
  /** The name, or «Гость» when none was given. */
  display_name: string;
  /** Omitted when empty. */
  email?: string;
  /** Omitted when empty. */
  phone?: string;
}

/** The PageView schema of the API. */
export interface PageView {
  url: string;
  title: string;
  at: string;
}

/** What the widget reports of the visitor (`POST /api/v1/widget/profile`); every field optional. */
export interface VisitorReport {
  /** The pages of this visit, oldest first, the current one last. */
  pages?: {
    /** An absolute http(s) address. */
    url: string;
    title?: string;
    /** When it was opened (absent, or in the future: now). */
    at?: string;
  }[];
  visit_id?: string;
  first_visit?: {
    at?: string;
    /** The referring page (http(s)), or "". */
    referrer?: string;
    /** The first page; its utm_* tags are read on the server. */
    landing?: string;
  };
  /** The browser's language tag, e.g. ru-RU. */
  language?: string;
  /** IANA name, e.g. Europe/Moscow. */
  time_zone?: string;
  /** The zone's offset from UTC now (east positive). */
  utc_offset_minutes?: number;
  screen?: {
    width: number;
    height: number;
  };
  /** Custom attributes from `Livedesk.identify`; null removes a key. */
  attributes?: Record<string, string | number | boolean | null>;
  /** HMAC-SHA256 (hex) of the visitor's lower-case email with the contact point's `identity_secret`. */
  email_signature?: string;
}

/** What the widget and its requests told about where and how the visitor is. */
export interface VisitorContext {
  /** The current page (the last of `pages`). */
  page: PageView | null;
  /** This visit's pages, oldest first. */
  pages: PageView[];
  visit_id: string;
  /** Where the visitor first came from (null when the widget never said). */
  first_visit: null | {
    at: string;
    referrer: string;
    landing: string;
    /** utm_source, utm_medium, utm_campaign, utm_term, utm_content (those present). */
    utm?: Record<string, string>;
  };
  browser: Software;
  os: Software;
  /** desktop, mobile, tablet, tv, bot or "" (unknown). */
  device: string;
  user_agent: string;
  language: string;
  time_zone: string;
  utc_offset_minutes: number | null;
  screen: null | {
    width: number;
    height: number;
  };
  /** Only while the account keeps addresses (`keep_visitor_ips`). */
  ip?: string;
  updated_at: string;
}

/** The Software schema of the API. */
export interface Software {
  /** "" when unknown. */
  name: string;
  version: string;
}

/** The profile panel of the operator app (docs/visitor-profile.md). */
export interface VisitorProfile {
  visitor: Visitor;
  /** The email is the address of an email visitor, or one the site signed. */
  email_verified: boolean;
  channel: Channel;
  contact_point: NamedRef;
  /** Null for an email visitor, or before the widget reported anything. */
  context: VisitorContext | null;
  /** The site's custom attributes in the order first given; hidden keys left out. */
  attributes: {
    key: string;
    /** The contact point's label for the key (the key when none). */
    label: string;
    value: string;
  }[];
  note: {
    text: string;
    updated_by: NamedRef | null;
    updated_at: string | null;
  };
  /** Email visitors' mailbox (null otherwise). */
  mailbox: null | {
    contact_point_id: ID;
    name: string;
    address: string;
  };
}

/** The EarlierConversation schema of the API. */
export interface EarlierConversation {
  id: ID;
  state: 'queued' | 'assigned' | 'closed';
  channel: Channel;
  contact_point: NamedRef;
  created_at: string;
  closed_at: string | null;
  category: NamedRef | null;
  /** The assignee (of a closed one, the last). */
  operator: NamedRef | null;
  /** The first message's first line, at most 140 characters. */
  first_line: string;
  /** false: found by the verified email (another contact point). */
  same_visitor: boolean;
  visitor_id: ID;
}

/** The NamedRef schema of the API. */
export interface NamedRef {
  id: ID;
  name: string;
}

/** The AccountSettings schema of the API. */
export interface AccountSettings {
  /** Limit of new operators. */
  default_limit: number;
  /** How long a webchat transfer offer waits. */
  transfer_timeout_seconds: number;
  /** After this long offline, an operator's webchat conversations go back to the queue. */
  offline_requeue_seconds: number;
  file_retention_days: number;
  /** Default of the operator setting. */
  autocomplete_quick_messages: boolean;
  /** Visitors' IP addresses are stored in their profiles (default false; turning it off erases those kept). */
  keep_visitor_ips?: boolean;
  /** How visitors rate a conversation after it ends: 1–5 stars (default), thumbs up/down, or `off` (nobody is asked). */
  ratings: 'stars' | 'thumbs' | 'off';
  /** Closing an email conversation mails its visitor a rating link (needs `--public-url`; default false). */
  rating_email: boolean;
}

/** The position of a stored event in the server's event log (docs/events.md § Cursors); opaque, only grows. */
export type Cursor = string;

/** The ConversationPayload schema of the API. */
export interface ConversationPayload {
  conversation: Conversation;
}

/** The TransferPayload schema of the API. */
export interface TransferPayload {
  transfer: Transfer;
  /** Why the offer ended or was refused (`transfer.declined`, `.cancelled`, `.expired`, `.accept_refused`); absent on `transfer.accepted`. */
  reason?: 'declined' | 'sender_cancelled' | 'receiver_unavailable' | 'receiver_offline' | 'conversation_closed' | 'requeued' | 'expired' | 'limit_reached';
}

/** `conversation.rated`: the visitor rated a conversation or changed the rating. */
export interface RatingPayload {
  conversation_id: ID;
  rating: Rating;
}

/** Someone types in a conversation (`typing`, never stored). */
export interface TypingData {
  conversation_id: ID;
  author: 'visitor' | 'operator';
  visitor_id?: ID;
  operator_id?: ID;
  /** The operator's name (operator typing). */
  name?: string;
}

/** The frames of the protocol itself, on both sockets (docs/events.md § Other server frames). */
export type ProtocolFrame = {
  type: 'ready' | 'resync';
  cursor: Cursor;
} | {
  type: 'pong';
} | {
  type: 'error';
  data: {
    code: string;
    message: string;
  };
} | {
  type: 'typing';
  data: TypingData;
};

/** A stored event as an operator's socket `/api/v1/ws` receives it (docs/events.md § Event types). */
export type OperatorEvent = {
  type: 'conversation.assigned' | 'conversation.updated' | 'conversation.queued';
  cursor: Cursor;
  data: ConversationPayload;
} | {
  type: 'conversation.closed';
  cursor: Cursor;
  data: {
    conversation: Conversation;
    reason: 'closed' | 'visitor_closed';
  };
} | {
  type: 'conversation.removed';
  cursor: Cursor;
  data: {
    conversation_id: ID;
    reason: 'transferred' | 'requeued';
    /** The receiver (reason `transferred`). */
    to_operator_id?: ID;
  };
} | {
  type: 'message.created';
  cursor: Cursor;
  data: {
    message: Message;
    conversation: Conversation;
  };
} | {
  type: 'message.updated';
  cursor: Cursor;
  data: {
    conversation_id: ID;
    message: Message;
  };
} | {
  type: 'transfer.offered';
  cursor: Cursor;
  data: {
    transfer: Transfer;
    conversation: Conversation;
  };
} | {
  type: 'transfer.accepted' | 'transfer.declined' | 'transfer.cancelled' | 'transfer.expired' | 'transfer.accept_refused';
  cursor: Cursor;
  data: TransferPayload;
} | {
  type: 'operator.status';
  cursor: Cursor;
  data: {
    operator: OperatorBrief;
  };
} | {
  type: 'quick_messages.changed';
  cursor: Cursor;
  /** Empty; reload `GET /api/v1/quick-messages`. */
  data: Record<string, never>;
} | {
  type: 'conversation.rated';
  cursor: Cursor;
  data: RatingPayload;
} | {
  type: 'visitor.updated';
  cursor: Cursor;
  data: {
    visitor_id: ID;
    conversation_id: ID;
    profile: VisitorProfile;
  };
} | {
  type: 'visitor.deleted';
  cursor: Cursor;
  data: {
    visitor_id: ID;
    conversation_ids: ID[];
  };
};

/** Any frame the operator's socket `/api/v1/ws` receives. */
export type OperatorFrame = ProtocolFrame | OperatorEvent;

/** A stored (or, for `availability`, live-only) event as a visitor's socket `/api/v1/widget/ws` receives it. */
export type VisitorEvent = {
  type: 'operator.joined';
  cursor: Cursor;
  data: {
    conversation_id: ID;
    operator: {
      id: ID;
      name: string;
    };
  };
} | {
  type: 'message.created';
  cursor: Cursor;
  data: {
    message: Message;
  };
} | {
  type: 'conversation.closed';
  cursor: Cursor;
  data: {
    conversation_id: ID;
    reason: 'closed' | 'visitor_closed';
    /** Ask the visitor to rate the conversation (omitted when it may not be rated). */
    rating_request?: RatingRequest;
  };
} | {
  type: 'conversation.rated';
  cursor: Cursor;
  data: RatingPayload;
} | {
  type: 'conversation.queued';
  cursor: Cursor;
  data: {
    conversation_id: ID;
    reason: 'requeued';
  };
} | {
  type: 'availability';
  cursor: Cursor;
  data: {
    online: boolean;
  };
};

/** Any frame the visitor's socket `/api/v1/widget/ws` receives. */
export type VisitorFrame = ProtocolFrame | VisitorEvent;

/** The answer of GET /healthz (liveness). */
export interface HealthzResponse {
  status: 'ok';
  version: string;
}

/** The answer of GET /readyz (readiness). */
export interface ReadyzResponse {
  status: 'ready';
}

/** The body of POST /api/v1/auth/login (log in). */
export interface LoginRequest {
  email: string;
  password: string;
}

/** The answer of POST /api/v1/auth/login (log in). */
export interface LoginResponse {
  /** Session token (43 URL-safe base64 characters). */
  token: string;
  operator: Operator;
}

/** The body of POST /api/v1/me/password (change own password (other sessions end)). */
export interface ChangePasswordRequest {
  current_password: string;
  new_password: string;
}

/** The body of PUT /api/v1/me/status (change own status). */
export interface SetStatusRequest {
  status: Status;
}

/** The answer of GET /api/v1/operators (colleagues for the transfer dialog). */
export interface OperatorsResponse {
  items: OperatorBrief[];
}

/** The answer of GET /api/v1/conversations (conversation list). */
export interface ConversationsResponse {
  items: Conversation[];
  /** Pass as `cursor` for the next page; `null` when the page was not full. */
  next_cursor: string | null;
}

/** The body of POST /api/v1/conversations (start an email conversation). */
export interface StartEmailRequest {
  /** Printable ASCII; makes the request idempotent. */
  client_id?: string;
  contact_point_id: ID;
  /** The customer's address. */
  to: string;
  /** The customer's name, for a visitor not known yet (or known without one). */
  name?: string;
  subject: string;
  /** May be empty only with files. */
  text?: string;
  attachment_ids?: ID[];
}

/** The answer of POST /api/v1/conversations (start an email conversation). */
export interface StartEmailResponse {
  conversation: Conversation;
  message: Message;
}

/** The answer of GET /api/v1/mailboxes (the mailboxes a new mail may go from). */
export interface SendingMailboxesResponse {
  items: {
    id: ID;
    name: string;
    address: string;
  }[];
}

/** The answer of GET /api/v1/contact-points (contact points, briefly). */
export interface ContactPointsResponse {
  items: ContactPointBrief[];
}

/** The body of POST /api/v1/conversations/{id}/comments (internal comment). */
export interface AddCommentRequest {
  client_id?: ClientID;
  text: Text;
}

/** The body of POST /api/v1/conversations/{id}/close (close with a category). */
export interface CloseConversationRequest {
  category_id?: NullableID;
}

/** The answer of GET /api/v1/queue (how many visitors wait in the queue). */
export interface QueueLengthResponse {
  waiting: number;
}

/** The body of POST /api/v1/conversations/{id}/assign (take a queued conversation or assign it to an operator). */
export interface AssignQueuedRequest {
  operator_id?: ID;
}

/** The body of PATCH /api/v1/conversations/{id}/visitor (change the visitor's name, email, phone or note). */
export interface EditConversationVisitorRequest {
  name?: string;
  /** An address, or "" to remove it. */
  email?: string;
  phone?: string;
  /** The operators' note; "" removes it. */
  note?: string;
}

/** The answer of GET /api/v1/conversations/{id}/visitor/conversations (the visitor's other conversations). */
export interface VisitorConversationsResponse {
  items: EarlierConversation[];
}

/** The body of POST /api/v1/conversations/{id}/transfers (transfer to another operator). */
export interface OfferTransferRequest {
  to_operator_id: ID;
  /** Optional; trimmed. Written as an internal comment of the sender when the conversation moves. */
  comment?: string;
}

/** The answer of GET /api/v1/transfers (pending offers to and from me). */
export interface PendingTransfersResponse {
  incoming: {
    transfer: Transfer;
    conversation: Conversation;
  }[];
  outgoing: {
    transfer: Transfer;
    conversation: Conversation;
  }[];
}

/** The answer of POST /api/v1/attachments (upload files to send). */
export type UploadAttachmentsResponse = UploadedFile[];

/** The answer of GET /api/v1/sticker-packs (sticker packs to send from). */
export interface StickerPacksResponse {
  items: StickerPack[];
}

/** The answer of GET /api/v1/admin/operators (list operators). */
export interface AdminOperatorsResponse {
  items: Operator[];
}

/** The body of POST /api/v1/admin/operators (create an operator). */
export interface AdminCreateOperatorRequest {
  /** Trimmed; required. */
  name: string;
  email: string;
  /** 8 to 72 bytes. */
  password: string;
  /** Default `operator`. */
  role?: Role;
  /** Most open conversations at once. 0 or omitted takes the account's `default_limit`. */
  limit?: number;
}

/** The body of PATCH /api/v1/admin/operators/{id} (change an operator). */
export interface AdminUpdateOperatorRequest {
  name?: string | null;
  role?: Role | null;
  limit?: number | null;
  /**
   * `true` deactivates: the operator's sessions end, their WebSockets close
   * (reason "your operator account was deactivated") and are refused on
   * reconnect (401), logging in answers 403 `forbidden`, their status becomes
   * `offline` (pending offers to them are cancelled; their webchat
   * conversations return to the queue after `offline_requeue_seconds`, email
   * ones stay), and transfers to them are `target_unavailable`. `false`
   * reactivates (they log in and choose a status). An admin cannot
   * deactivate themselves (`conflict`).
   */
  deactivated?: boolean | null;
}

/** The answer of GET /api/v1/admin/contact-points (list contact points). */
export interface AdminContactPointsResponse {
  items: ContactPoint[];
}

/** The body of POST /api/v1/admin/contact-points (create a contact point). */
export interface AdminCreateContactPointRequest {
  /** Trimmed; required. */
  name: string;
  /** Default `webchat`. */
  channel?: Channel;
  /** The settings object; the widget fields (`WidgetSettings`) are validated, other keys are kept as given. Default `{}`; must be an object (not `null`). */
  settings?: WidgetSettings;
}

/** The body of PATCH /api/v1/admin/contact-points/{id} (change a contact point's name or widget settings). */
export interface AdminUpdateContactPointRequest {
  name?: string;
  /** Merge patch of the settings object (see `WidgetSettings`). */
  settings?: Record<string, unknown> | null;
}

/** The body of POST /api/v1/admin/contact-points/{id}/mailbox/confirm (confirm a mailbox's address with the code mailed to it). */
export interface AdminMailboxConfirmRequest {
  code: string;
}

/** The body of POST /api/v1/admin/contact-points/{id}/imap/test (check a mailbox's IMAP settings (saved, or unsaved ones in the body)). */
export interface AdminIMAPTestRequest {
  /** Unsaved settings to check (`imap`, `address`), as in `WidgetSettings`. */
  settings?: {
    address?: string;
    imap?: IMAPSettings;
  };
}

/** The body of POST /api/v1/admin/contact-points/{id}/smtp/test (send a test mail through a mailbox's own SMTP server). */
export interface AdminSMTPTestRequest {
  /** Where the test mail goes. */
  to: string;
  /** Unsaved settings to try (`smtp`, `address`), as in `WidgetSettings`. */
  settings?: {
    address?: string;
    smtp?: SMTPSettings;
  };
}

/** The body of PATCH /api/v1/admin/settings (change account settings). */
export interface AdminUpdateSettingsRequest {
  default_limit?: number;
  transfer_timeout_seconds?: number;
  offline_requeue_seconds?: number;
  file_retention_days?: number;
  autocomplete_quick_messages?: boolean;
  keep_visitor_ips?: boolean;
  ratings?: 'stars' | 'thumbs' | 'off';
  rating_email?: boolean;
}

/** The answer of DELETE /api/v1/admin/visitors/{id} (delete a visitor with all their data and files). */
export interface AdminDeleteVisitorResponse {
  visitor_id: ID;
  conversation_ids: ID[];
  /** Messages deleted (every author). */
  messages: number;
  /** Files deleted (sent and unsent). */
  attachments: number;
  /** Events emptied. */
  events: number;
}

/** The answer of GET /api/v1/admin/monitor (live operators, queue and load). */
export interface AdminMonitorResponse {
  operators: OperatorBrief[];
  queue: Conversation[];
  open_conversations: number;
  csat_today: CSATTally;
}

/** The answer of GET /api/v1/admin/sticker-packs (uploaded sticker packs and their limits). */
export interface AdminStickerPacksResponse {
  items: StickerPack[];
  limits: {
    max_packs: number;
    max_stickers_per_pack: number;
    max_image_bytes: number;
  };
}

/** The body of POST /api/v1/admin/sticker-packs (create a sticker pack). */
export interface AdminCreateStickerPackRequest {
  /** Trimmed; 1–64 characters. */
  name: string;
}

/** The answer of POST /api/v1/admin/sticker-packs/{id}/stickers (upload stickers (PNG, WebP, GIF) to a pack). */
export interface AdminAddStickersResponse {
  items: Sticker[];
}

/** The answer of GET /api/v1/widget/{key}/config (widget appearance and whether an operator is online). */
export interface WidgetConfigResponse {
  contact_point: WidgetContactPoint;
  /** An operator of the account is online (any status but `offline`). */
  online: boolean;
}

/** The body of POST /api/v1/widget/{key}/session (start or resume a visitor session). */
export interface WidgetSessionRequest {
  /** The renewal key from an earlier session. */
  visitor_key?: string;
  /** A live token from an earlier session. */
  visitor_token?: string;
  name?: string | null;
  /** Must contain "@" when not empty. */
  email?: string | null;
  phone?: string | null;
}

/** The answer of POST /api/v1/widget/{key}/session (start or resume a visitor session). */
export interface WidgetSessionResponse {
  /** Send as `Authorization: Bearer` to the other widget endpoints (`?token=` on the socket and file links). */
  visitor_token: string;
  /** When visitor_token stops working; renew before. */
  token_expires_at: string;
  /** The renewal key: keep it (not in URLs) and send it here to renew the token or come back later. */
  visitor_key: string;
  visitor: Visitor;
  contact_point: WidgetContactPoint;
  /** An operator of the account is online (any status but `offline`). */
  online: boolean;
  conversation?: VisitorConversation;
  /** Without an open conversation: the visitor's latest conversation here is over and may be rated (or its rating still changed); omitted otherwise. */
  rating_request?: RatingRequest;
}

/** The body of POST /api/v1/widget/offline (offline form: a message while no operator is online). */
export interface WidgetOfflineRequest {
  /** Printable ASCII; makes a retry safe. */
  client_id?: string;
  name?: string | null;
  /** Must contain "@" when not empty. */
  email?: string | null;
  phone?: string | null;
  text: string;
}

/** The answer of POST /api/v1/widget/attachments (visitor uploads files to send). */
export type WidgetUploadResponse = UploadedFile[];

/** The answer of GET /api/v1/widget/sticker-packs (sticker packs the visitor can send from). */
export interface WidgetStickerPacksResponse {
  items: StickerPack[];
}
