// The HTTP side of the livedesk REST API (base /api/v1) shared by the operator app and the
// admin cabinet: the error type (shared/api/error, the widget's too), the 401 hook and the
// fetch wrapper. Each app keeps its own
// `api` object (in its api/client.ts) built on `request`.

import { ApiError } from './error';

export { ApiError };

/** Called when a request answers 401 (the session is gone): the app returns to its sign-in screen. */
let onUnauthenticated: () => void = () => {};
export function setUnauthenticatedHandler(fn: () => void) {
  onUnauthenticated = fn;
}

/**
 * One request to /api/v1 + path. The session is the HttpOnly cookie set by /auth/login
 * (shared by both apps); same-origin requests carry it. A FormData body is sent as is
 * (multipart), anything else as JSON; signal aborts the request.
 */
export async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let r: Response;
  const form = typeof FormData !== 'undefined' && body instanceof FormData;
  try {
    r = await fetch('/api/v1' + path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined || form ? {} : { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: form ? (body as FormData) : JSON.stringify(body) }),
      ...(signal ? { signal } : {}),
    });
  } catch {
    throw new ApiError(0, 'network', 'network error');
  }
  const text = r.status === 204 ? '' : await r.text();
  let json: any = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch { /* not JSON: handled below */ }
  if (!r.ok) {
    if (r.status === 401 && path !== '/auth/login') onUnauthenticated();
    throw ApiError.fromBody(r.status, json, r.statusText);
  }
  return json as T;
}
