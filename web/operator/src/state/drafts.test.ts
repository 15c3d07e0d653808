import { beforeEach, describe, expect, it } from 'vitest';
import { DraftStore, emptyDraft } from './drafts';

describe('drafts', () => {
  beforeEach(() => localStorage.clear());

  it('survive a reload (a new store over the same storage)', () => {
    const quote = { id: '5', author: { type: 'visitor' as const, id: '9', name: 'Гость' }, text: 'где заказ?' };
    new DraftStore('7').save('31', { text: 'Проверяю', quote, comment: false });
    expect(new DraftStore('7').load('31')).toEqual({ text: 'Проверяю', quote, comment: false });
  });

  it('are kept per conversation and per operator', () => {
    const anna = new DraftStore('7');
    anna.save('31', { ...emptyDraft, text: 'a' });
    anna.save('32', { ...emptyDraft, text: 'b', comment: true });
    expect(anna.load('31').text).toBe('a');
    expect(anna.load('32')).toEqual({ text: 'b', quote: null, comment: true });
    expect(new DraftStore('8').load('31')).toEqual(emptyDraft);
  });

  it('are removed when emptied or cleared', () => {
    const d = new DraftStore('7');
    d.save('31', { ...emptyDraft, text: 'x' });
    d.save('31', emptyDraft);
    expect(localStorage.length).toBe(0);
    d.save('32', { ...emptyDraft, text: 'y' });
    d.clear('32');
    expect(d.load('32')).toEqual(emptyDraft);
  });

  it('ignore garbage in storage', () => {
    localStorage.setItem('livedesk.draft.7.31', '{not json');
    expect(new DraftStore('7').load('31')).toEqual(emptyDraft);
  });
});
