import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, setUnauthenticatedHandler } from './api/client';
import type { Operator } from './api/types';
import { Login } from './components/Login';
import { Shell } from './components/Shell';
import { Controller } from './controller';
import { getLang, onLangChange, setLang } from './i18n';
import '../../shared/base.css';
import './styles.css';

type Session = { kind: 'checking' } | { kind: 'out' } | { kind: 'in'; ctl: Controller };

function App() {
  const [session, setSession] = useState<Session>({ kind: 'checking' });
  const [lang, setLangState] = useState(getLang());

  useEffect(() => onLangChange(setLangState), []);

  const signIn = (me: Operator) => {
    // The operator's saved language wins over this browser's last choice.
    if (me.settings.language) setLang(me.settings.language);
    const ctl = new Controller(me, () => setSession({ kind: 'out' }));
    ctl.start();
    setSession({ kind: 'in', ctl });
  };

  useEffect(() => {
    setUnauthenticatedHandler(() => setSession((s) => {
      if (s.kind === 'in') s.ctl.stop();
      return { kind: 'out' };
    }));
    api.me().then(signIn, () => setSession({ kind: 'out' }));
  }, []);

  if (session.kind === 'checking') return <div class="boot" />;
  if (session.kind === 'out') return <Login key={lang} onLogin={signIn} />;
  return <Shell key={lang} ctl={session.ctl} />;
}

document.documentElement.lang = getLang();
render(<App />, document.getElementById('app')!);
