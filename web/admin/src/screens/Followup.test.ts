import { describe, expect, it } from 'vitest';
import type { ContactPoint } from '../api/types';
import { checkFollowupForm, followupFormOf, followupOf, mailboxesOf } from './Followup';

const point = (id: string, channel: string, settings: Record<string, unknown>) =>
  ({ id, name: 'P' + id, channel, key: 'k' + id, created_at: '2026-01-01T00:00:00Z', settings }) as unknown as ContactPoint;

const box = point('3', 'email', { address: 'help@shop.example' });
const bare = point('4', 'email', {});
const chat = point('5', 'webchat', { email_followup: { contact_point_id: '3', after_minutes: 10, link: 'https://shop.example/help' } });

describe('continue by email (widget settings)', () => {
  it('offers only the email contact points that have an address', () => {
    expect(mailboxesOf([box, bare, chat]).map((p) => p.id)).toEqual(['3']);
  });
  it('reads the saved setting and writes it back; off is null', () => {
    const f = followupFormOf(chat);
    expect(f).toEqual({ followOn: true, followBox: '3', followMinutes: '10', followLink: 'https://shop.example/help' });
    expect(followupOf(f)).toEqual({ contact_point_id: '3', after_minutes: 10, link: 'https://shop.example/help' });
    expect(followupOf({ ...f, followMinutes: ' ', followLink: '' })).toEqual({ contact_point_id: '3' });
    expect(followupOf({ ...f, followOn: false })).toBeNull();
    expect(followupFormOf(point('6', 'webchat', {})).followOn).toBe(false);
  });
  it('checks the mailbox, the minutes and the link before saving', () => {
    const f = followupFormOf(chat);
    expect(checkFollowupForm(f, [box])).toEqual({});
    expect(checkFollowupForm({ ...f, followBox: '4' }, [box])).toEqual({ followBox: 'cp.followupBoxRequired' });
    for (const m of ['0', '1441', '2.5', 'три']) {
      expect(checkFollowupForm({ ...f, followMinutes: m }, [box])).toEqual({ followMinutes: 'cp.followupMinutesBad' });
    }
    expect(checkFollowupForm({ ...f, followLink: 'ftp://shop.example' }, [box])).toEqual({ followLink: 'cp.followupLinkBad' });
    expect(checkFollowupForm({ ...f, followOn: false, followBox: '' }, [])).toEqual({});
  });
});
