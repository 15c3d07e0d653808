import { LoginForm } from '../../../shared/LoginForm';
import { api } from '../api/client';
import type { Operator } from '../api/types';
import { type Lang, getLang, setLang, t } from '../i18n';
import { errorText } from '../lib/errors';

/** The sign-in screen (the same session as the operator app). */
export function Login({ onLogin }: { onLogin: (me: Operator) => void }) {
  return (
    <LoginForm t={t} login={async (email, password) => (await api.login(email, password)).operator} onLogin={onLogin}
      errorText={(err) => err && (err as { code?: string }).code === 'unauthenticated' ? t('login.wrong') : errorText(err)}
      footer={<LangSwitch />} />
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
