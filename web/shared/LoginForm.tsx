import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

/** What the sign-in form needs from its app. */
export interface LoginFormProps<T> {
  /** Signs in (POST /auth/login) and returns what onLogin gets. */
  login: (email: string, password: string) => Promise<T>;
  onLogin: (result: T) => void;
  /** The app's words for a refusal. */
  errorText: (err: unknown) => string;
  /** The app's translations; the keys login.title, login.email, login.password, login.busy, login.submit. */
  t: (key: string) => string;
  /** Under the button (the language choice). */
  footer: ComponentChildren;
}

/** The sign-in screen of the operator app and the admin cabinet (one session for both). */
export function LoginForm<T>({ login, onLogin, errorText, t, footer }: LoginFormProps<T>) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      onLogin(await login(email.trim(), password));
    } catch (err) {
      setError(errorText(err));
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
        {footer}
      </form>
    </div>
  );
}
