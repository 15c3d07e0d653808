import { useEffect, useState } from 'preact/hooks';
import { api, setUnauthenticatedHandler } from '../api/client';
import type { Operator } from '../api/types';
import { onLangChange, t } from '../i18n';
import { errorText } from '../lib/errors';
import { type Route, type Section, pathOf, parsePath, sectionsFor } from '../lib/router';
import { Categories } from '../screens/Categories';
import { ContactPoints } from '../screens/ContactPoints';
import { Dictionary } from '../screens/Dictionary';
import { Monitor } from '../screens/Monitor';
import { Operators } from '../screens/Operators';
import { QuickMessages } from '../screens/QuickMessages';
import { Reports } from '../screens/Reports';
import { Settings } from '../screens/Settings';
import { Stickers } from '../screens/Stickers';
import { LangSwitch, Login } from './Login';
import { Toasts } from './ui';
import { SectionIcons } from './icons';

type Boot = { state: 'loading' } | { state: 'login' } | { state: 'error'; error: unknown } | { state: 'in'; me: Operator };


export function App() {
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });
  const [, setLangTick] = useState(0);

  useEffect(() => onLangChange(() => setLangTick((n) => n + 1)), []);
  useEffect(() => {
    setUnauthenticatedHandler(() => setBoot({ state: 'login' }));
    api.me().then((me) => setBoot({ state: 'in', me }), (err) => {
      setBoot(err?.status === 401 ? { state: 'login' } : { state: 'error', error: err });
    });
  }, []);

  return (
    <>
      {boot.state === 'loading' && <div class="boot" />}
      {boot.state === 'login' && <Login onLogin={(me) => setBoot({ state: 'in', me })} />}
      {boot.state === 'error' && (
        <div class="login-page"><div class="login-card" role="alert">
          <h1>{t('common.loadFailed')}</h1><p class="muted">{errorText(boot.error)}</p>
          <button class="btn" onClick={() => location.reload()}>{t('common.retry')}</button>
        </div></div>
      )}
      {boot.state === 'in' && (boot.me.role === 'operator'
        ? <NoAccess me={boot.me} onLogout={() => setBoot({ state: 'login' })} />
        : <Shell me={boot.me} onLogout={() => setBoot({ state: 'login' })} />)}
      <Toasts />
    </>
  );
}

async function logout(done: () => void) {
  try {
    await api.logout();
  } catch { /* the session may already be gone */ }
  done();
}

function NoAccess({ me, onLogout }: { me: Operator; onLogout: () => void }) {
  return (
    <div class="login-page">
      <div class="login-card no-access" data-testid="no-access">
        <div class="brand"><span class="brand-mark">ld</span> livedesk</div>
        <h1>{t('noAccess.title')}</h1>
        <p>{t('noAccess.text', { name: me.name })}</p>
        <a class="btn btn-primary btn-block" href="/">{t('header.operatorApp')}</a>
        <button type="button" class="btn btn-block" onClick={() => logout(onLogout)}>{t('header.logout')}</button>
        <LangSwitch />
      </div>
    </div>
  );
}

function Shell({ me, onLogout }: { me: Operator; onLogout: () => void }) {
  const [route, setRoute] = useState<Route>(() => parsePath(location.pathname, me.role));
  const allowed = sectionsFor(me.role);

  useEffect(() => {
    // A forbidden or unknown path shows as the section actually opened.
    const want = pathOf(route);
    if (location.pathname !== want) history.replaceState(null, '', want);
    const onPop = () => setRoute(parsePath(location.pathname, me.role));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    document.title = `${t('nav.' + route.section)} — ${t('app.title')}`;
  });

  function go(r: Route) {
    const p = pathOf(r);
    if (p !== location.pathname) history.pushState(null, '', p);
    setRoute(r);
  }

  function navClick(e: MouseEvent, s: Section) {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    go({ section: s, sub: '' });
    document.getElementById('main')?.focus();
  }

  const sub = (s: string) => go({ section: route.section, sub: s });

  return (
    <div class="shell">
      <a class="skip-link" href="#main">{t('nav.skip')}</a>
      <header class="topbar">
        <div class="brand"><span class="brand-mark">ld</span> livedesk <span class="brand-sub">{t('app.title')}</span></div>
        <div class="topbar-right">
          <span class="me" data-testid="me-name"><span class="me-name">{me.name}</span><span class="me-role">{t('role.' + me.role)}</span></span>
          <LangSwitch />
          <a class="btn btn-small" href="/">{t('header.operatorApp')}</a>
          <button type="button" class="btn btn-small" data-testid="logout" onClick={() => logout(onLogout)}>{t('header.logout')}</button>
        </div>
      </header>
      <nav class="sidebar" aria-label={t('nav.label')}>
        <ul>
          {allowed.map((s) => (
            <li key={s}>
              <a href={pathOf({ section: s, sub: '' })} class={'nav-link' + (route.section === s ? ' active' : '')}
                aria-current={route.section === s ? 'page' : undefined} data-nav={s} onClick={(e) => navClick(e, s)}>
                <span class="nav-icon" aria-hidden="true">{SectionIcons[s]?.()}</span>{t('nav.' + s)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main class="content" id="main" tabIndex={-1} key={route.section}>
        {route.section === 'monitor' && <Monitor />}
        {route.section === 'reports' && <Reports />}
        {route.section === 'operators' && <Operators me={me} />}
        {route.section === 'contact-points' && <ContactPoints selected={route.sub} select={sub} />}
        {route.section === 'categories' && <Categories />}
        {route.section === 'quick-messages' && <QuickMessages />}
        {route.section === 'stickers' && <Stickers />}
        {route.section === 'dictionary' && <Dictionary />}
        {route.section === 'settings' && <Settings />}
      </main>
    </div>
  );
}
