import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import { t } from '../i18n';
import { Modal } from './Modal';

/** Changes the operator's own password; the server ends their other sessions. */
export function PasswordDialog({ onDone }: { onDone: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (next.length < 8) return setError(t('password.short'));
    if (next !== repeat) return setError(t('password.mismatch'));
    setBusy(true);
    setError(null);
    try {
      await api.changePassword(current, next);
      setDone(true);
    } catch (err) {
      const field = err instanceof ApiError ? err.details.field : '';
      setError(field === 'current_password' ? t('password.wrongCurrent') : err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <Modal title={t('password.title')} onClose={onDone} testId="password-dialog"
        footer={<button class="btn btn-primary" data-autofocus onClick={onDone}>{t('dialog.ok')}</button>}>
        <p data-testid="password-done">{t('password.done')}</p>
      </Modal>
    );
  }
  return (
    <Modal title={t('password.title')} onClose={onDone} testId="password-dialog"
      footer={<>
        <button class="btn" onClick={onDone}>{t('dialog.cancel')}</button>
        <button class="btn btn-primary" type="submit" form="password-form" disabled={busy || !current || !next || !repeat}>{t('password.save')}</button>
      </>}>
      <form id="password-form" class="form-stack" onSubmit={submit}>
        <label class="field">{t('password.current')}
          <input type="password" autocomplete="current-password" value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
        </label>
        <label class="field">{t('password.new')}
          <input type="password" autocomplete="new-password" value={next} onInput={(e) => setNext(e.currentTarget.value)} />
        </label>
        <label class="field">{t('password.repeat')}
          <input type="password" autocomplete="new-password" value={repeat} onInput={(e) => setRepeat(e.currentTarget.value)} />
        </label>
        <p class="menu-hint">{t('password.hint')}</p>
        {error && <p class="form-error" role="alert" data-testid="password-error">{error}</p>}
      </form>
    </Modal>
  );
}
