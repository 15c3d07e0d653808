import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { setLang } from '../i18n';
import { errorText, placeError } from './errors';

const conflict = new ApiError(409, 'conflict', 'another contact point has the address support@shop.example', { field: 'settings.address' });
const badAddress = new ApiError(400, 'invalid_input', 'settings.address must be an email address like support@shop.example', { field: 'settings.address' });
const dupEmail = new ApiError(409, 'conflict', 'an operator with this email exists');
const CP = { name: 'name', 'settings.address': 'address', 'settings.color': 'color' };

describe('server errors', () => {
  it('have texts of their own for known fields and messages', () => {
    expect(errorText(conflict)).toBe('Этот адрес уже занят другой точкой контакта');
    expect(errorText(badAddress)).toBe('Адрес в виде support@shop.example');
    expect(errorText(dupEmail)).toBe('Оператор с таким адресом уже есть');
    expect(errorText(new ApiError(400, 'invalid_input', 'limit must be between 1 and 1000', { field: 'limit' }))).toBe('Целое число от 1 до 1000');
    expect(errorText(new ApiError(400, 'invalid_input', 'title is required', { field: 'title' }))).toBe('Сервер отклонил запрос: title is required');
    expect(errorText(new ApiError(0, 'network', 'network error'))).toMatch(/Нет связи/);
    setLang('en');
    expect(errorText(conflict)).toBe('Another contact point already has this address');
    setLang('ru');
  });
  it('go under the field details.field names', () => {
    expect(placeError(conflict, CP)).toEqual({ field: 'address', text: 'Этот адрес уже занят другой точкой контакта' });
    expect(placeError(badAddress, CP).field).toBe('address');
    expect(placeError(new ApiError(400, 'invalid_input', 'settings.color must look like #1a2b3c', { field: 'settings.color' }), CP))
      .toEqual({ field: 'color', text: 'Цвет в формате #1a2b3c' });
  });
  it('fall back to the message without details.field, else belong to the form', () => {
    expect(placeError(dupEmail, ['name', 'email']).field).toBe('email');
    expect(placeError(new ApiError(400, 'invalid_input', 'limit must be between 1 and 1000'), ['limit']).field).toBe('limit');
    expect(placeError(new ApiError(500, 'internal', 'boom'), CP)).toEqual({ field: null, text: 'Ошибка на сервере. Повторите позже.' });
    expect(placeError(new Error('x'), CP).field).toBeNull();
  });
});
