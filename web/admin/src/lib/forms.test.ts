import { describe, expect, it } from 'vitest';
import { errorField, parseOrigins, validateAddress, validateOperator, validateSettings } from './forms';

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
  const fields = ['name', 'email', 'limit'];
  const cp = { name: 'name', 'settings.color': 'color', 'settings.address': 'address', 'settings.allowed_origins': 'origins' };
  it('prefers details.field', () => {
    expect(errorField('whatever', { field: 'email' }, fields)).toBe('email');
    // The field decides even when the message starts with another one.
    expect(errorField('name is required', { field: 'limit' }, fields)).toBe('limit');
  });
  it('maps the server names to the form ones', () => {
    expect(errorField('settings.address must be an email address like support@shop.example', { field: 'settings.address' }, cp)).toBe('address');
    expect(errorField('another contact point has the address a@b.example', { field: 'settings.address' }, cp)).toBe('address');
    expect(errorField('x', { field: 'settings.allowed_origins' }, cp)).toBe('origins');
  });
  it('gives null for a field the form does not have', () => {
    expect(errorField('settings.title is longer than 60 characters', { field: 'settings.title' }, cp)).toBeNull();
    expect(errorField('password must be at least 8 characters', { field: 'password' }, fields)).toBeNull();
    expect(errorField('constructor is odd', {}, fields)).toBeNull();
  });
  it('reads the field from the message only when there is no details.field', () => {
    expect(errorField('email is not an email address', {}, fields)).toBe('email');
    expect(errorField('limit must be between 1 and 1000', {}, fields)).toBe('limit');
    expect(errorField('settings.color must look like #1a2b3c', {}, cp)).toBe('color');
    expect(errorField('settings.allowed_origins: "x" is not an origin', {}, cp)).toBe('origins');
    expect(errorField('name cannot be changed', {}, fields)).toBeNull();
  });
  it('knows the refusals that name no field', () => {
    expect(errorField('an operator with this email exists', {}, fields)).toBe('email');
    expect(errorField('another contact point has the address a@b.example', {}, cp)).toBe('address');
    expect(errorField('an operator with this email exists', {}, cp)).toBeNull();
  });
});

describe('mailbox address', () => {
  it('is required and looks like an address', () => {
    expect(validateAddress('Support@Shop.example')).toBeNull();
    expect(validateAddress(' help@localhost ')).toBeNull();
    expect(validateAddress('  ')).toBe('cp.addressRequired');
    expect(validateAddress('support')).toBe('cp.addressBad');
    expect(validateAddress('a b@shop.example')).toBe('cp.addressBad');
    expect(validateAddress('a@b@c')).toBe('cp.addressBad');
    expect(validateAddress('a@' + 'x'.repeat(260))).toBe('cp.addressBad');
  });
});
