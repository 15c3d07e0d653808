import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { AccountSettings } from '../api/types';
import { Field, LoadError, Loading, PageHead, described, useLoad } from '../components/ui';
import { getLang, t } from '../i18n';
import { placeError } from '../lib/errors';
import { formatDuration } from '../lib/format';
import { SETTINGS_BOUNDS, type SettingsForm, validateSettings } from '../lib/forms';
import { showToast } from '../lib/toast';
import { RatingSettings } from './CSAT';
import { PrivacySettings } from './VisitorProfile';

function formOf(s: AccountSettings): SettingsForm {
  return {
    default_limit: String(s.default_limit),
    transfer_timeout_seconds: String(s.transfer_timeout_seconds),
    offline_requeue_seconds: String(s.offline_requeue_seconds),
    file_retention_days: String(s.file_retention_days),
  };
}

/** Account settings: limits, timeouts, retention, the autocomplete default. */
export function Settings() {
  const settings = useLoad(() => api.settings());
  return (
    <section data-testid="screen-settings" class="narrow">
      <PageHead title={t('nav.settings')} intro={t('settings.intro')} />
      {settings.loading && !settings.data && <Loading />}
      {settings.error != null && !settings.data && <LoadError error={settings.error} retry={settings.reload} />}
      {settings.data && <SettingsEditor initial={settings.data} onSaved={settings.set} />}
      {settings.data && <RatingSettings initial={settings.data} onSaved={settings.set} />}
      {settings.data && <PrivacySettings />}
    </section>
  );
}

const FIELDS: { key: keyof SettingsForm; unit: string; duration?: boolean }[] = [
  { key: 'default_limit', unit: 'settings.unit.conversations' },
  { key: 'transfer_timeout_seconds', unit: 'settings.unit.seconds', duration: true },
  { key: 'offline_requeue_seconds', unit: 'settings.unit.seconds', duration: true },
  { key: 'file_retention_days', unit: 'settings.unit.days' },
];

function SettingsEditor({ initial, onSaved }: { initial: AccountSettings; onSaved: (s: AccountSettings) => void }) {
  const [form, setForm] = useState<SettingsForm>(() => formOf(initial));
  const [autocomplete, setAutocomplete] = useState(initial.autocomplete_quick_messages);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const [savedAt, setSavedAt] = useState(false);
  const dirty = JSON.stringify(form) !== JSON.stringify(formOf(initial)) || autocomplete !== initial.autocomplete_quick_messages;
  const lang = getLang();

  async function submit(e: Event) {
    e.preventDefault();
    const v = validateSettings(form);
    const errs: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) errs[k] = t(x.key, { min: x.min, max: x.max });
    setErrors(errs);
    setFormError('');
    setSavedAt(false);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const s = await api.updateSettings({
        default_limit: Number(form.default_limit),
        transfer_timeout_seconds: Number(form.transfer_timeout_seconds),
        offline_requeue_seconds: Number(form.offline_requeue_seconds),
        file_retention_days: Number(form.file_retention_days),
        autocomplete_quick_messages: autocomplete,
      });
      onSaved(s);
      setForm(formOf(s));
      setAutocomplete(s.autocomplete_quick_messages);
      setSavedAt(true);
      showToast(t('settings.saved'));
    } catch (err) {
      const { field, text } = placeError(err, Object.keys(SETTINGS_BOUNDS));
      if (field) {
        const [min, max] = SETTINGS_BOUNDS[field as keyof SettingsForm];
        setErrors({ [field]: t('form.range', { min, max }) });
      } else setFormError(text);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="panel form" onSubmit={submit} noValidate data-testid="settings-form">
      {FIELDS.map(({ key, unit, duration }) => {
        const [min, max] = SETTINGS_BOUNDS[key];
        const n = Number(form[key]);
        const hint = t('settings.hint.' + key) + (duration && /^\d+$/.test(form[key]) && n >= 60 ? ` (${formatDuration(n, lang)})` : '');
        return (
          <Field key={key} label={t('settings.' + key)} id={'s-' + key} error={errors[key]} hint={hint}>
            <div class="input-unit">
              <input {...described('s-' + key, errors[key], true)} type="number" min={min} max={max} value={form[key]} name={key}
                onInput={(e) => { setForm({ ...form, [key]: e.currentTarget.value }); setErrors({ ...errors, [key]: '' }); setSavedAt(false); }} />
              <span class="unit">{t(unit)}</span>
            </div>
          </Field>
        );
      })}
      <label class="check check-block">
        <input type="checkbox" checked={autocomplete} onChange={(e) => { setAutocomplete(e.currentTarget.checked); setSavedAt(false); }} name="autocomplete" />
        <span><span class="check-title">{t('settings.autocomplete')}</span><span class="hint">{t('settings.hint.autocomplete')}</span></span>
      </label>
      {formError && <p class="form-error" role="alert">{formError}</p>}
      <div class="form-actions">
        {savedAt && !dirty && <span class="ok-text" role="status">{t('settings.savedInline')}</span>}
        {dirty && <span class="muted small">{t('common.unsaved')}</span>}
        <button type="submit" class="btn btn-primary" disabled={busy || !dirty} data-testid="settings-save">{busy ? t('common.saving') : t('common.save')}</button>
      </div>
    </form>
  );
}
