// The visitor API as the widget uses it: plain fetch, bearer visitor token, no cookies.

import { ApiError } from '../../shared/api/error';
import type * as gen from '../../shared/api/types.gen';
import type { StickerPack } from '../../shared/api/types.gen';

/** What the server says about a contact point's look (WidgetAppearance in openapi.yaml). */
export type Appearance = gen.WidgetAppearance;
/** What a visitor may know of a contact point. */
export type ContactPointInfo = gen.WidgetContactPoint;
/** GET /widget/{key}/config: the contact point and whether an operator is online. */
export type WidgetConfig = gen.WidgetConfigResponse;
/** The visitor as the server knows them. */
export type Visitor = gen.Visitor;
/** What a visitor may know of their conversation. */
export type VisitorConversation = gen.VisitorConversation;
/** POST /widget/{key}/session: the token, the renewal key, the visitor, the open conversation. */
export type Session = gen.WidgetSessionResponse;
/** A message of the visitor's history. */
export type Message = gen.Message;
/** A quoted message shown above a reply. */
export type Quote = gen.Quote;
/** Media of a message (shared with the operator app). */
export type { Attachment, Uploaded } from '../../shared/media/attach';
export type { Sticker, StickerPack } from '../../shared/api/types.gen';
/** One page of the history, newest first. */
export type MessagePage = gen.MessagePage;
/** What the visitor tells of themselves (the introduction and offline forms). */
export type Profile = { name?: string; email?: string; phone?: string };
/** Any frame on the visitor's socket. */
export type ServerFrame = gen.VisitorFrame;
/** A rating of a conversation that ended, and what the widget asks for (docs/widget.md § Rating). */
export type Rating = gen.Rating;
export type RatingRequest = gen.RatingRequest;

/** An answer of the server that is not 2xx (shared with the other apps). `status` 0 means the network failed. */
export { ApiError };

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

/** A small client of the visitor API of one livedesk server and one contact point key. */
export class Api {
  token = '';
  constructor(readonly base: string, readonly key: string, private readonly fetchFn: FetchFn) {}

  private async call<T>(method: string, path: string, body?: unknown, auth = true): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth && this.token) headers.Authorization = 'Bearer ' + this.token;
    let r: Response;
    try {
      r = await this.fetchFn(this.base + path, {
        method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        credentials: 'omit', mode: 'cors', cache: 'no-store',
      });
    } catch (e) {
      throw new ApiError(0, 'network', String(e));
    }
    const text = await r.text().catch(() => '');
    let json: any = {};
    try { json = text ? JSON.parse(text) : {}; } catch { /* not JSON */ }
    if (!r.ok) throw ApiError.fromBody(r.status, json, r.statusText);
    return json as T;
  }

  private get keyPath(): string {
    return '/api/v1/widget/' + encodeURIComponent(this.key);
  }

  config(): Promise<WidgetConfig> {
    return this.call('GET', this.keyPath + '/config', undefined, false);
  }

  /** Starts or resumes the session: the renewal key names the visitor (a token stored by an older widget also does). */
  session(key: string, token: string, profile: Profile = {}): Promise<Session> {
    const who = key ? { visitor_key: key } : token ? { visitor_token: token } : {};
    return this.call('POST', this.keyPath + '/session', { ...who, ...profile }, false);
  }

  messages(before?: string, limit = 50): Promise<MessagePage> {
    return this.call('GET', '/api/v1/widget/messages?limit=' + limit + (before ? '&before=' + encodeURIComponent(before) : ''));
  }

  send(clientId: string, text: string, media: { sticker_id?: string; attachment_ids?: string[] } = {}): Promise<Message> {
    return this.call('POST', '/api/v1/widget/messages', { client_id: clientId, text, ...media });
  }

  stickerPacks(): Promise<{ items: StickerPack[] }> {
    return this.call('GET', '/api/v1/widget/sticker-packs');
  }

  /** An API URL with the visitor token as ?token= (a simple GET: no CORS preflight). */
  authURL(path: string): string {
    return this.base + path + (path.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(this.token);
  }

  /**
   * A picture of the API (sticker, image preview) as a URL an <img> can load: the livedesk
   * host's own URL with the token, never a blob: URL, which a customer's Content-Security-
   * Policy may forbid (docs/widget.md lists the sources a page must allow).
   */
  image(path: string): Promise<string> {
    return Promise.resolve(this.authURL(path));
  }

  /** Fetches a file of the API with the visitor's token. */
  async fetchBlob(path: string): Promise<Blob> {
    const r = await this.fetchFn(this.authURL(path), { credentials: 'omit', mode: 'cors' });
    if (!r.ok) throw new ApiError(r.status, 'http_' + r.status, r.statusText);
    return r.blob();
  }

  offline(clientId: string, profile: Profile, text: string): Promise<Message> {
    return this.call('POST', '/api/v1/widget/offline', { client_id: clientId, ...profile, text });
  }

  /** Reports what the widget knows of the visitor: pages, first visit, browser facts, attributes (docs/visitor-profile.md). */
  profile(report: unknown): Promise<void> {
    return this.call('POST', '/api/v1/widget/profile', report);
  }

  close(): Promise<VisitorConversation> {
    return this.call('POST', '/api/v1/widget/close');
  }

  /** Rates a conversation that ended (stars 1–5, thumbs 0/1) with an optional comment. */
  rate(conversationId: string, scale: string, score: number, comment: string): Promise<Rating> {
    return this.call('POST', '/api/v1/widget/rating', { conversation_id: conversationId, scale, score, comment });
  }

  wsURL(cursor: string): string {
    const u = this.base.replace(/^http/, 'ws') + '/api/v1/widget/ws?token=' + encodeURIComponent(this.token);
    return cursor ? u + '&cursor=' + encodeURIComponent(cursor) : u;
  }
}
