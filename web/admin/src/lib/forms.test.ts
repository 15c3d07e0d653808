import { describe, expect, it } from 'vitest';
import { errorField, parseOrigins, validateOperator, validateSettings } from './forms';

describe('operator form', () => {
  const ok = { name: 'Анна', email: 'anna@example.com', password: 'secret-123', limit: '5' };
  it('accepts a good form', () => {
    expect(validateOperator(ok, true)).toEqual({});
  });
  it('names each problem', () => {
    expect(validateOperator({ name: ' ', email: 'nope', password: 'short', limit: '0' }, true))
      .toEqual({ name: 'form.required', email: 'form.email', password: 'form.password', limit: 'form.limit' });
    expect(validateOperator({ ...ok, limit: '1001' }, true).limit).toBe('form.limit');
    expect(validateOperator({ ...ok, limit: '2.5' }, true).limit).toBe('form.limit');
    expect(validateOperator({ ...ok, password: 'я'.repeat(40) }, true).password).toBe('form.passwordLong');
  });
  it('does not check email and password when editing', () => {
    expect(validateOperator({ ...ok, email: '', password: '' }, false)).toEqual({});
  });
});

describe('settings form', () => {
  it('checks every range', () => {
    const good = { default_limit: '5', transfer_timeout_seconds: '60', offline_requeue_seconds: '0', file_retention_days: '30' };
    expect(validateSettings(good)).toEqual({});
    const bad = validateSettings({ default_limit: '0', transfer_timeout_seconds: '4', offline_requeue_seconds: '-1', file_retention_days: 'x' });
    expect(Object.keys(bad).sort()).toEqual(['default_limit', 'file_retention_days', 'offline_requeue_seconds', 'transfer_timeout_seconds']);
    expect(bad.transfer_timeout_seconds).toEqual({ key: 'form.range', min: 5, max: 3600 });
  });
});

describe('origins', () => {
  it('splits lines and commas, drops trailing slashes, lists the bad ones', () => {
    expect(parseOrigins('https://shop.example/\n https://*.shop.example , http://localhost:3000\n\n'))
      .toEqual({ origins: ['https://shop.example', 'https://*.shop.example', 'http://localhost:3000'], bad: [] });
    expect(parseOrigins('shop.example\nhttps://ok.example').bad).toEqual(['shop.example']);
    expect(parseOrigins('https://ok.example/path').bad).toEqual(['https://ok.example/path']);
  });
});

describe('errorField', () => {
  const fields = ['name', 'email', 'limit', 'color'];
  it('prefers details.field', () => {
    expect(errorField('whatever', { field: 'email' }, fields)).toBe('email');
  });
  it('reads the field from the message', () => {
    expect(errorField('email is not an email address', {}, fields)).toBe('email');
    expect(errorField('limit must be between 1 and 1000', {}, fields)).toBe('limit');
    expect(errorField('settings.color must look like #1a2b3c', {}, fields)).toBe('color');
    expect(errorField('an operator with this email exists', {}, fields)).toBeNull();
  });
});
