// The one error type of the livedesk API clients (the operator app, the cabinet, the widget).

/**
 * A refusal from the server, `{"error": {"code", "message", "details"}}` with its HTTP status,
 * or a request that never got an answer (status 0, code `network`).
 */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
  }

  /** Worth trying again later with the same request (network, overload, restart). */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }

  /**
   * The error of an answer that is not 2xx, from its status and parsed JSON body (anything
   * else than the API's error object gives the code `http_<status>`).
   */
  static fromBody(status: number, json: any, statusText = ''): ApiError {
    const e = json?.error;
    return new ApiError(status, typeof e?.code === 'string' ? e.code : 'http_' + status,
      typeof e?.message === 'string' ? e.message : statusText, e?.details && typeof e.details === 'object' ? e.details : {});
  }
}
