import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Operator } from '../api/types';
import { type Lang, getLang, setLang, t } from '../i18n';
import { errorText } from '../lib/errors';

/** The sign-in screen (the same session as the operator app). */
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
      setError(err && (err as { code?: string }).code === 'unauthenticated' ? t('login.wrong') : errorText(err));
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
        <LangSwitch />
      </form>
    </div>
  );
}

export function LangSwitch() {
  return (
    <div class="lang-switch" role="group" aria-label={t('header.language')}>
      {(['ru', 'en'] as Lang[]).map((l) => (
        <button type="button" key={l} data-lang={l} class={'lang-btn' + (getLang() === l ? ' active' : '')} aria-pressed={getLang() === l}
          onClick={() => setLang(l)}>{l === 'ru' ? 'RU' : 'EN'}</button>
      ))}
    </div>
  );
}
