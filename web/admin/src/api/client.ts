import { request } from '../../../shared/api/http';
import type * as gen from '../../../shared/api/types.gen';
import type { AccountSettings, Category, Channel, ContactPoint, ConversationPage, ID, MailCheck, MailboxState, Monitor, Operator, QuickMessage, Report, StickerPack, WidgetSettings } from './types';

// ApiError and the 401 hook live with request in shared/api/http; re-exported for this app's modules.
export { ApiError, setUnauthenticatedHandler } from '../../../shared/api/http';

const enc = encodeURIComponent;

/** A new operator (POST /admin/operators). */
export type NewOperator = gen.AdminCreateOperatorRequest;
/** A change of an operator (PATCH /admin/operators/{id}): absent fields keep their value. */
export type OperatorPatch = gen.AdminUpdateOperatorRequest;

/** The REST API the cabinet uses (base /api/v1). */
export const api = {
  login: (email: string, password: string) => request<gen.LoginResponse>('POST', '/auth/login', { email, password }),
  logout: () => request<void>('POST', '/auth/logout'),
  me: () => request<Operator>('GET', '/me'),

  /** tz: the IANA time zone of «today» (the monitor's CSAT). */
  monitor: (tz = 'UTC') => request<Monitor>('GET', `/admin/monitor?tz=${enc(tz)}`),
  /** The account's open (assigned) conversations, newest last message first (staff see the whole account). */
  openConversations: (limit = 200) => request<ConversationPage>('GET', `/conversations?state=open&limit=${limit}`),
  reports: (from: string, to: string, tz: string) =>
    request<Report>('GET', `/admin/reports?from=${enc(from)}&to=${enc(to)}&tz=${enc(tz)}`),

  operators: () => request<gen.AdminOperatorsResponse>('GET', '/admin/operators'),
  createOperator: (o: NewOperator) => request<Operator>('POST', '/admin/operators', o),
  updateOperator: (id: ID, p: OperatorPatch) => request<Operator>('PATCH', `/admin/operators/${enc(id)}`, p),

  contactPoints: () => request<gen.AdminContactPointsResponse>('GET', '/admin/contact-points'),
  createContactPoint: (name: string, channel: Channel = 'webchat', settings: WidgetSettings = {}) =>
    request<ContactPoint>('POST', '/admin/contact-points', { name, channel, settings }),
  /** settings is a merge patch: a key with null removes it. */
  updateContactPoint: (id: ID, p: { name?: string; settings?: Record<string, unknown> }) =>
    request<ContactPoint>('PATCH', `/admin/contact-points/${enc(id)}`, p),
  /** An email contact point's address confirmation: state, a new code, the code. */
  mailbox: (id: ID) => request<MailboxState>('GET', `/admin/contact-points/${enc(id)}/mailbox`),
  resendMailboxCode: (id: ID) => request<MailboxState>('POST', `/admin/contact-points/${enc(id)}/mailbox/resend`),
  confirmMailbox: (id: ID, code: string) => request<MailboxState>('POST', `/admin/contact-points/${enc(id)}/mailbox/confirm`, { code }),
  /** Check buttons of a mailbox's own servers: saved settings, or the unsaved ones given. */
  imapTest: (id: ID, settings?: Record<string, unknown>) =>
    request<MailCheck>('POST', `/admin/contact-points/${enc(id)}/imap/test`, settings ? { settings } : {}),
  smtpTest: (id: ID, to: string, settings?: Record<string, unknown>) =>
    request<MailCheck>('POST', `/admin/contact-points/${enc(id)}/smtp/test`, settings ? { to, settings } : { to }),

  categories: () => request<gen.CategoryList>('GET', '/admin/conversation-categories'),
  createCategory: (name: string, position: number) => request<Category>('POST', '/admin/conversation-categories', { name, position }),
  updateCategory: (id: ID, p: { name?: string; position?: number }) =>
    request<Category>('PATCH', `/admin/conversation-categories/${enc(id)}`, p),
  deleteCategory: (id: ID) => request<void>('DELETE', `/admin/conversation-categories/${enc(id)}`),

  quickCategories: () => request<gen.CategoryList>('GET', '/admin/quick-message-categories'),
  createQuickCategory: (name: string, position: number) =>
    request<Category>('POST', '/admin/quick-message-categories', { name, position }),
  updateQuickCategory: (id: ID, p: { name?: string; position?: number }) =>
    request<Category>('PATCH', `/admin/quick-message-categories/${enc(id)}`, p),
  deleteQuickCategory: (id: ID) => request<void>('DELETE', `/admin/quick-message-categories/${enc(id)}`),
  quickMessages: () => request<{ items: QuickMessage[] }>('GET', '/admin/quick-messages'),
  createQuick: (m: { category_id: ID; title: string; text: string; position: number }) =>
    request<QuickMessage>('POST', '/admin/quick-messages', m),
  updateQuick: (id: ID, p: { title?: string; text?: string; position?: number; category_id?: ID }) =>
    request<QuickMessage>('PATCH', `/admin/quick-messages/${enc(id)}`, p),
  deleteQuick: (id: ID) => request<void>('DELETE', `/admin/quick-messages/${enc(id)}`),

  /** Every pack operators can send from (livedesk's own first). */
  allStickerPacks: () => request<gen.StickerPacksResponse>('GET', '/sticker-packs'),
  stickerPacks: () => request<gen.AdminStickerPacksResponse>('GET', '/admin/sticker-packs'),
  createStickerPack: (name: string) => request<StickerPack>('POST', '/admin/sticker-packs', { name }),
  deleteStickerPack: (id: string) => request<void>('DELETE', `/admin/sticker-packs/${enc(id)}`),
  uploadStickers: (id: string, files: File[]) => {
    const form = new FormData();
    for (const f of files) form.append('sticker', f, f.name);
    return request<gen.AdminAddStickersResponse>('POST', `/admin/sticker-packs/${enc(id)}/stickers`, form);
  },

  dictionary: () => request<gen.DictionaryList>('GET', '/admin/dictionary'),
  addWord: (word: string) => request<gen.DictionaryWordInput>('POST', '/admin/dictionary', { word }),
  removeWord: (word: string) => request<void>('DELETE', `/admin/dictionary/${enc(word)}`),

  settings: () => request<AccountSettings>('GET', '/admin/settings'),
  updateSettings: (p: Partial<AccountSettings>) => request<AccountSettings>('PATCH', '/admin/settings', p),
};
