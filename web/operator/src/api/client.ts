import { request } from '../../../shared/api/http';
import type {
  AccountSettings, DictionaryList, DictionaryWordInput, LoginResponse, PendingTransfersResponse, QueueLengthResponse,
  SendingMailboxesResponse, SpellcheckResult, StartEmailRequest, StartEmailResponse,
  ContactPointsResponse, SearchPage,
} from '../../../shared/api/types.gen';
import type { Category, Conversation, ID, Message, Operator, OperatorBrief, OperatorSettings, Page, QuickList, QuickMessage, Status, StickerPack, Transfer } from './types';

// ApiError and the 401 hook live with request in shared/api/http; re-exported for this app's modules.
export { ApiError, setUnauthenticatedHandler } from '../../../shared/api/http';

const enc = encodeURIComponent;

/** The operator's REST API (base /api/v1). */
export const api = {
  login: (email: string, password: string) =>
    request<LoginResponse>('POST', '/auth/login', { email, password }),
  logout: () => request<void>('POST', '/auth/logout'),
  /** How many visitors wait in the queue. */
  queueLength: () => request<QueueLengthResponse>('GET', '/queue'),
  /** A supervisor or admin takes a queued conversation (no operator) or gives it to one. */
  assignQueued: (id: ID, operatorId?: ID) =>
    request<Conversation>('POST', `/conversations/${enc(id)}/assign`, operatorId ? { operator_id: operatorId } : {}),
  /** Ends every session of the operator, this one included. */
  logoutEverywhere: () => request<void>('POST', '/auth/logout-everywhere'),
  /** Changes the own password; the other sessions end. */
  changePassword: (current: string, next: string) =>
    request<void>('POST', '/me/password', { current_password: current, new_password: next }),
  me: () => request<Operator>('GET', '/me'),
  setStatus: (status: Status) => request<Operator>('PUT', '/me/status', { status }),
  updateSettings: (s: OperatorSettings) => request<Operator>('PATCH', '/me/settings', s),
  operators: () => request<{ items: OperatorBrief[] }>('GET', '/operators'),
  conversations: (state: 'open' | 'queued' | 'closed', cursor: string | null, limit = 50) =>
    request<Page<Conversation>>('GET', `/conversations?state=${state}&limit=${limit}${cursor ? '&cursor=' + enc(cursor) : ''}`),
  conversation: (id: ID) => request<Conversation>('GET', `/conversations/${enc(id)}`),
  /** Conversations the operator may read that match a query (docs/search.md); params are the filters. */
  search: (params: Record<string, string>, signal?: AbortSignal) =>
    request<SearchPage>('GET', `/search?${new URLSearchParams(params).toString()}`, undefined, signal),
  /** The account's contact points: names and channels (the search filters). */
  contactPoints: () => request<ContactPointsResponse>('GET', '/contact-points'),
  /** The mailboxes a new mail may go from («Написать письмо»). */
  mailboxes: () => request<SendingMailboxesResponse>('GET', '/mailboxes'),
  /** Starts an email conversation: a new mail to a customer address. */
  startEmail: (body: StartEmailRequest) => request<StartEmailResponse>('POST', '/conversations', body),
  /** A page of history, newest first; `before` is the next_cursor of the previous page. */
  messages: (id: ID, before: string | null, limit = 50) =>
    request<Page<Message>>('GET', `/conversations/${enc(id)}/messages?limit=${limit}${before ? '&before=' + enc(before) : ''}`),
  sendMessage: (id: ID, clientId: string, text: string, replyTo?: ID, media: { sticker_id?: string; attachment_ids?: ID[] } = {}) =>
    request<Message>('POST', `/conversations/${enc(id)}/messages`, { client_id: clientId, text, ...(replyTo ? { reply_to: replyTo } : {}), ...media }),
  /** The sticker packs to send from (livedesk's own first). */
  stickerPacks: () => request<{ items: StickerPack[] }>('GET', '/sticker-packs'),
  addComment: (id: ID, clientId: string, text: string) =>
    request<Message>('POST', `/conversations/${enc(id)}/comments`, { client_id: clientId, text }),
  markRead: (id: ID) => request<void>('POST', `/conversations/${enc(id)}/read`),
  close: (id: ID, categoryId: ID | null) =>
    request<Conversation>('POST', `/conversations/${enc(id)}/close`, categoryId ? { category_id: categoryId } : {}),
  offerTransfer: (id: ID, to: ID, comment: string) =>
    request<Transfer>('POST', `/conversations/${enc(id)}/transfers`, { to_operator_id: to, comment }),
  pendingTransfers: () =>
    request<PendingTransfersResponse>('GET', '/transfers'),
  acceptTransfer: (id: ID) => request<Transfer>('POST', `/transfers/${enc(id)}/accept`),
  declineTransfer: (id: ID) => request<Transfer>('POST', `/transfers/${enc(id)}/decline`),
  cancelTransfer: (id: ID) => request<Transfer>('POST', `/transfers/${enc(id)}/cancel`),
  categories: () => request<{ items: Category[] }>('GET', '/conversation-categories'),
  /** Quick messages: q searches from 2 characters; category_id is `personal` or a category id. */
  quickMessages: (q = '', category = '', limit = 500) =>
    request<QuickList>('GET', `/quick-messages?limit=${limit}${q ? '&q=' + enc(q) : ''}${category ? '&category_id=' + enc(category) : ''}`),
  createQuick: (title: string, text: string) => request<QuickMessage>('POST', '/quick-messages', { title, text }),
  updateQuick: (id: ID, title: string, text: string) => request<QuickMessage>('PATCH', `/quick-messages/${enc(id)}`, { title, text }),
  deleteQuick: (id: ID) => request<void>('DELETE', `/quick-messages/${enc(id)}`),
  /** Binds this operator's hotkey (`Ctrl+Alt+Digit1`) or removes it (null). */
  setQuickHotkey: (id: ID, hotkey: string | null) => request<QuickMessage>('PUT', `/quick-messages/${enc(id)}/hotkey`, { hotkey }),
  /** Spell check (ranges in UTF-16 units); `ready: false` while the server's dictionaries load. */
  spellcheck: (text: string, signal?: AbortSignal) =>
    request<SpellcheckResult>('POST', '/spellcheck', { text }, signal),
  /** The personal dictionary («Добавить в словарь»). */
  myDictionary: () => request<DictionaryList>('GET', '/me/dictionary'),
  addToDictionary: (word: string) => request<DictionaryWordInput>('POST', '/me/dictionary', { word }),
  removeFromDictionary: (word: string) => request<void>('DELETE', `/me/dictionary/${enc(word)}`),
  adminSettings: () => request<AccountSettings>('GET', '/admin/settings'),
};
