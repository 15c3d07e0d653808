import { describe, expect, it } from 'vitest';
import { ApiError } from './error';

describe('ApiError', () => {
  it('reads the API error object, or names the status', () => {
    const e = ApiError.fromBody(409, { error: { code: 'limit_reached', message: 'Анна is at the limit', details: { field: 'limit' } } });
    expect(e).toBeInstanceOf(Error);
    expect([e.status, e.code, e.message, e.details]).toEqual([409, 'limit_reached', 'Анна is at the limit', { field: 'limit' }]);
    const raw = ApiError.fromBody(502, undefined, 'Bad Gateway');
    expect([raw.code, raw.message, raw.details]).toEqual(['http_502', 'Bad Gateway', {}]);
  });

  it('is transient for the network, overload and server errors only', () => {
    expect(new ApiError(0, 'network', 'x').transient).toBe(true);
    expect(new ApiError(429, 'rate_limited', 'x').transient).toBe(true);
    expect(new ApiError(503, 'unavailable', 'x').transient).toBe(true);
    expect(new ApiError(400, 'invalid_input', 'x').transient).toBe(false);
    expect(new ApiError(401, 'unauthenticated', 'x').transient).toBe(false);
  });
});
