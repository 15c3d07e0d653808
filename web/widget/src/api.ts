// The visitor API as the widget uses it: plain fetch, bearer visitor token, no cookies.

/** What the server says about a contact point's look (WidgetAppearance in openapi.yaml). */
export interface Appearance {
  color: string;
  title: string;
  greeting: string;
  position: 'right' | 'left';
  ask_email: boolean;
  ask_phone: boolean;
}

export interface ContactPointInfo {
  id: string;
  name: string;
  settings: Appearance;
}

export interface WidgetConfig {
  contact_point: ContactPointInfo;
  online: boolean;
}

export interface Visitor {
  id: string;
  name: string;
  display_name: string;
  email?: string;
  phone?: string;
}

export interface VisitorConversation {
  id: string;
  state: 'queued' | 'assigned' | 'closed';
  visitor_closed: boolean;
  operator?: { id: string; name: string };
}

export interface Session {
  visitor_token: string;
  /** The renewal key: traded for a fresh token by the session request (never put in URLs). */
  visitor_key: string;
  token_expires_at: string;
  visitor: Visitor;
  contact_point: ContactPointInfo;
  online: boolean;
  conversation?: VisitorConversation;
}

export interface Message {
  id: string;
  conversation_id: string;
  client_id?: string;
  author: { type: 'visitor' | 'operator' | 'system'; id: string | null; name: string };
  kind: string;
  text: string;
  attachments?: Attachment[];
  sticker?: Sticker;
  /** The message a reply quotes (DESIGN §2.5). */
  quote?: Quote;
  created_at: string;
}

/** A quoted message shown above a reply. */
export interface Quote {
  id: string;
  author: { type: 'visitor' | 'operator' | 'system'; name: string };
  text: string;
}

/** Media of a message (shared with the operator app). */
export type { Attachment, Uploaded } from '../../shared/media/attach';
export type { Sticker, StickerPack } from '../../shared/media/Picker';
import type { Attachment } from '../../shared/media/attach';
import type { Sticker, StickerPack } from '../../shared/media/Picker';

export interface MessagePage {
  items: Message[];
  next_cursor: string | null;
}

export interface Profile {
  name?: string;
  email?: string;
  phone?: string;
}

/** An answer of the server that is not 2xx. `status` 0 means the network failed. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
  /** Worth trying again later with the same request (network, overload, restart). */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

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
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit', mode: 'cors', cache: 'no-store',
      });
    } catch (e) {
      throw new ApiError(0, 'network', String(e));
    }
    const text = await r.text().catch(() => '');
    let json: any = {};
    try { json = text ? JSON.parse(text) : {}; } catch { /* not JSON */ }
    if (!r.ok) {
      throw new ApiError(r.status, json?.error?.code ?? 'http_' + r.status, json?.error?.message ?? r.statusText);
    }
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

  close(): Promise<VisitorConversation> {
    return this.call('POST', '/api/v1/widget/close');
  }

  wsURL(cursor: string): string {
    const u = this.base.replace(/^http/, 'ws') + '/api/v1/widget/ws?token=' + encodeURIComponent(this.token);
    return cursor ? u + '&cursor=' + encodeURIComponent(cursor) : u;
  }
}
