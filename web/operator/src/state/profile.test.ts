import { describe, expect, it } from 'vitest';
import type { EarlierConversation, VisitorProfile } from '../api/profile';
import type { EventFrame, Operator } from '../api/types';
import { conv } from './fixtures.test-util';
import { ProfileStore } from './profile';
import { initialState, reduce } from './reducer';

function profile(name: string): VisitorProfile {
  return {
    visitor: { id: 'v31', contact_point_id: '1', name, display_name: name }, email_verified: false, channel: 'webchat',
    contact_point: { id: '1', name: 'Сайт' }, context: null, attributes: [], note: { text: '', updated_by: null, updated_at: null }, mailbox: null,
  };
}

function storage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
}

describe('ProfileStore', () => {
  it("loads a conversation's profile and earlier conversations, and a live profile replaces it", async () => {
    const calls: string[] = [];
    const store = new ProfileStore({
      profile: async (id) => { calls.push('p' + id); return profile('Мария'); },
      earlier: async (id) => { calls.push('e' + id); return { items: [{ id: '12' } as EarlierConversation] }; },
    }, '7', storage());
    let changes = 0;
    store.subscribe(() => changes++);
    await Promise.all([store.load('31'), store.load('31')]); // the second waits for nothing: one load at a time
    expect(calls).toEqual(['p31', 'e31']);
    expect(store.get('31').profile?.visitor.name).toBe('Мария');
    expect(store.get('31').earlier?.map((c) => c.id)).toEqual(['12']);
    store.setProfile('31', profile('Мария Петрова'));
    expect(store.get('31').profile?.visitor.name).toBe('Мария Петрова');
    expect(store.get('31').earlier?.length).toBe(1); // kept
    store.forget(['31']);
    expect(store.get('31').profile).toBeNull();
    expect(changes).toBe(3);
  });

  it("keeps a failed load's error for the retry", async () => {
    const store = new ProfileStore({ profile: async () => { throw new Error('сеть'); }, earlier: async () => ({ items: [] }) }, '7', null);
    await store.load('31');
    expect(store.get('31').error).toBe('сеть');
  });

  it("remembers the panel per operator; the phone's sheet is not remembered", () => {
    const st = storage();
    const anna = new ProfileStore({ profile: async () => profile('x'), earlier: async () => ({ items: [] }) }, '7', st);
    expect(anna.panelOpen).toBe(true);
    anna.panelOpen = false;
    expect(new ProfileStore({ profile: async () => profile('x'), earlier: async () => ({ items: [] }) }, '7', st).panelOpen).toBe(false);
    expect(new ProfileStore({ profile: async () => profile('x'), earlier: async () => ({ items: [] }) }, '8', st).panelOpen).toBe(true);
    anna.sheetOpen = true;
    expect(st.m.size).toBe(1);
  });
});

describe('visitor.deleted', () => {
  it('drops the conversations from every list, the history and the view', () => {
    const me = { id: '7', account_id: '1', name: 'Анна', email: 'a@x', role: 'supervisor', status: 'available', status_at: '', deactivated: false,
      limit: 5, open_count: 1, settings: {} } as Operator;
    const T = '2026-03-01T09:00:00Z';
    let s = initialState(me);
    s = reduce(s, { type: 'list.page', which: 'open', items: [conv('31', T), conv('32', T)], cursor: null, reset: true });
    s = reduce(s, { type: 'archive.page', items: [conv('12', T, { state: 'closed', closed_at: T })], cursor: null, reset: true });
    s = reduce(s, { type: 'history.page', id: '31', items: [], before: null });
    s = reduce(s, { type: 'select', id: '31' });
    s = reduce(s, { type: 'event', frame: { type: 'visitor.deleted', cursor: '5', data: { visitor_id: 'v31', conversation_ids: ['31', '12'] } } as EventFrame });
    expect(s.open.order).toEqual(['32']);
    expect(s.archive.order).toEqual([]);
    expect(s.histories['31']).toBeUndefined();
    expect(s.selectedId).toBeNull();
  });
});
