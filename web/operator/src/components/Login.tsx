import { useState } from 'preact/hooks';
import { ApiError, api } from '../api/client';
import type { Operator } from '../api/types';
import { type Lang, getLang, setLang, t } from '../i18n';

/** The sign-in screen. */
export function Login({ onLogin }: { onLogin: (me: Operator) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const r = await api.login(email.trim(), password);
      onLogin(r.operator);
    } catch (err) {
      setError(err instanceof ApiError && err.code !== 'invalid_input' ? t('error.' + err.code, { message: err.message })
        : err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="login-page">
      <form class="login-card" onSubmit={submit}>
        <div class="brand"><span class="brand-mark">ld</span> livedesk</div>
        <h1>{t('login.title')}</h1>
        <label>
          <span>{t('login.email')}</span>
          <input type="email" name="email" autoComplete="username" required value={email} autoFocus
            onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label>
          <span>{t('login.password')}</span>
          <input type="password" name="password" autoComplete="current-password" required value={password}
            onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        {error && <p class="form-error" role="alert">{error}</p>}
        <button class="btn btn-primary btn-block" type="submit" disabled={busy}>{busy ? t('login.busy') : t('login.submit')}</button>
        <div class="login-lang">
          {(['ru', 'en'] as Lang[]).map((l) => (
            <button type="button" class={'link-btn' + (getLang() === l ? ' active' : '')} onClick={() => setLang(l)}>{t('lang.' + l)}</button>
          ))}
        </div>
      </form>
    </div>
  );
}
