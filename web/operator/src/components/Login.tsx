import { LoginForm } from '../../../shared/LoginForm';
import { ApiError, api } from '../api/client';
import type { Operator } from '../api/types';
import { type Lang, getLang, setLang, t } from '../i18n';

/** The sign-in screen. */
export function Login({ onLogin }: { onLogin: (me: Operator) => void }) {
  return (
    <LoginForm t={t} login={async (email, password) => (await api.login(email, password)).operator} onLogin={onLogin}
      errorText={(err) => err instanceof ApiError && err.code !== 'invalid_input' ? t('error.' + err.code, { message: err.message })
        : err instanceof ApiError ? err.message : String(err)}
      footer={
        <div class="login-lang">
          {(['ru', 'en'] as Lang[]).map((l) => (
            <button type="button" class={'link-btn' + (getLang() === l ? ' active' : '')} onClick={() => setLang(l)}>{t('lang.' + l)}</button>
          ))}
        </div>
      } />
  );
}
