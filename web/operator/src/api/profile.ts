// The visitor profile's part of the operator API (docs/visitor-profile.md).

import { request } from '../../../shared/api/http';
import type { EarlierConversation, VisitorProfile } from '../../../shared/api/types.gen';
import type { ID, Message, Page } from './types';

export type { EarlierConversation, VisitorProfile } from '../../../shared/api/types.gen';

const enc = encodeURIComponent;

/** A change of the visitor by an operator: fields left out stay. */
export type VisitorEdit = { name?: string; email?: string; phone?: string; note?: string };

/** What an admin's deletion of a visitor removed. */
export type VisitorDeletion = { visitor_id: ID; conversation_ids: ID[]; messages: number; attachments: number; events: number };

export const profileApi = {
  /** The profile of the visitor of a conversation the operator may read. */
  profile: (conversation: ID) => request<VisitorProfile>('GET', `/conversations/${enc(conversation)}/visitor`),
  /** Changes the visitor's name, email, phone or note; the history gets an internal line. */
  edit: (conversation: ID, patch: VisitorEdit) => request<VisitorProfile>('PATCH', `/conversations/${enc(conversation)}/visitor`, patch),
  /** The visitor's other conversations (the same visitor, or the same verified email), newest first. */
  earlier: (conversation: ID) =>
    request<{ items: EarlierConversation[] }>('GET', `/conversations/${enc(conversation)}/visitor/conversations`),
  /** A page of one of those conversations' history, read through the current one. */
  earlierMessages: (conversation: ID, other: ID, before: string | null, limit = 50) =>
    request<Page<Message>>('GET', `/conversations/${enc(conversation)}/visitor/conversations/${enc(other)}/messages?limit=${limit}${before ? '&before=' + enc(before) : ''}`),
  /** An admin deletes a visitor with everything of theirs (a data-subject request). */
  deleteVisitor: (visitor: ID) => request<VisitorDeletion>('DELETE', `/admin/visitors/${enc(visitor)}`),
};
