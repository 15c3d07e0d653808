// A widget conversation continues by email when the visitor is gone (issue 16): the webchat
// contact point's settings.email_followup — the mailbox the mails go from, after how many
// minutes, and the link back to the chat (docs/email.md § A widget conversation continues by
// email).

import type { ContactPoint } from '../api/types';
import { Field, described } from '../components/ui';
import { t } from '../i18n';

/** The followup part of a widget's form. */
export interface FollowupForm {
  followOn: boolean;
  followBox: string;
  followMinutes: string;
  followLink: string;
}

/** Where server refusals of the followup settings go in the form. */
export const FOLLOWUP_FIELDS = {
  'settings.email_followup.contact_point_id': 'followBox',
  'settings.email_followup.after_minutes': 'followMinutes',
  'settings.email_followup.link': 'followLink',
  'settings.email_followup': 'followBox',
};

/** The mailboxes a followup may go from: email contact points with an address. */
export function mailboxesOf(points: ContactPoint[]): ContactPoint[] {
  return points.filter((p) => p.channel === 'email' && typeof p.settings?.address === 'string' && p.settings.address !== '');
}

/** The form of a webchat contact point's saved followup settings. */
export function followupFormOf(cp: ContactPoint): FollowupForm {
  const f = (cp.settings?.email_followup ?? null) as { contact_point_id?: string; after_minutes?: number; link?: string } | null;
  return {
    followOn: !!f,
    followBox: f?.contact_point_id ?? '',
    followMinutes: f?.after_minutes ? String(f.after_minutes) : '',
    followLink: f?.link ?? '',
  };
}

/** The form's errors before saving (dictionary keys by field). */
export function checkFollowupForm(f: FollowupForm, boxes: ContactPoint[]): Record<string, string> {
  const errs: Record<string, string> = {};
  if (!f.followOn) return errs;
  if (!boxes.some((b) => b.id === f.followBox)) errs.followBox = 'cp.followupBoxRequired';
  const m = f.followMinutes.trim();
  if (m && (!/^\d+$/.test(m) || Number(m) < 1 || Number(m) > 1440)) errs.followMinutes = 'cp.followupMinutesBad';
  const link = f.followLink.trim();
  if (link && !/^https?:\/\/[^\s/]+/i.test(link)) errs.followLink = 'cp.followupLinkBad';
  return errs;
}

/** settings.email_followup of the form: null turns it off. */
export function followupOf(f: FollowupForm): Record<string, unknown> | null {
  if (!f.followOn) return null;
  const out: Record<string, unknown> = { contact_point_id: f.followBox };
  if (f.followMinutes.trim()) out.after_minutes = Number(f.followMinutes.trim());
  if (f.followLink.trim()) out.link = f.followLink.trim();
  return out;
}

/** «Продолжать по email, если посетитель ушёл»: the switch, the mailbox, the minutes and the link. */
export function FollowupSection({ form, set, errors, boxes, askEmail }: {
  form: FollowupForm; set: (patch: Partial<FollowupForm>) => void; errors: Record<string, string>; boxes: ContactPoint[]; askEmail: boolean;
}) {
  return (
    <fieldset class="field followup" data-testid="cp-followup">
      <legend>{t('cp.followup')}</legend>
      <label class="check check-block">
        <input type="checkbox" checked={form.followOn} disabled={!boxes.length && !form.followOn}
          onChange={(e) => {
            const on = e.currentTarget.checked;
            set({ followOn: on, followBox: on && !form.followBox && boxes.length ? boxes[0]!.id : form.followBox });
          }} />
        <span>{t('cp.followupOn')}</span>
      </label>
      <p class="hint hint-top">{t('cp.followupHint')}</p>
      {!boxes.length && <p class="hint" data-testid="cp-followup-nobox">{t('cp.followupNoBox')}</p>}
      {form.followOn && (
        <>
          <Field label={t('cp.followupFrom')} id="cp-followup-box" error={errors.followBox}>
            <select {...described('cp-followup-box', errors.followBox)} value={form.followBox} onChange={(e) => set({ followBox: e.currentTarget.value })}>
              {!boxes.some((b) => b.id === form.followBox) && <option value="">{t('cp.followupPick')}</option>}
              {boxes.map((b) => <option key={b.id} value={b.id}>{b.name} — {String(b.settings?.address)}</option>)}
            </select>
          </Field>
          <div class="form-row">
            <Field label={t('cp.followupMinutes')} id="cp-followup-minutes" error={errors.followMinutes} hint={t('cp.followupMinutesHint')}>
              <input {...described('cp-followup-minutes', errors.followMinutes, true)} inputMode="numeric" value={form.followMinutes} placeholder="3"
                maxLength={4} onInput={(e) => set({ followMinutes: e.currentTarget.value })} />
            </Field>
            <Field label={t('cp.followupLink')} id="cp-followup-link" error={errors.followLink} hint={t('cp.followupLinkHint')}>
              <input {...described('cp-followup-link', errors.followLink, true)} type="url" value={form.followLink} maxLength={500} spellcheck={false}
                placeholder="https://shop.example/help" onInput={(e) => set({ followLink: e.currentTarget.value })} />
            </Field>
          </div>
          {!askEmail && <p class="hint warn-hint" data-testid="cp-followup-askemail">{t('cp.followupAskEmail')}</p>}
        </>
      )}
    </fieldset>
  );
}
