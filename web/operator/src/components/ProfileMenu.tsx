import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Operator, Status } from '../api/types';
import { type Lang, getLang, setLang, t } from '../i18n';
import { initials } from '../lib/format';
import { STATUSES, STATUS_COLOR, can } from '../lib/status';
import { IconBolt, IconCabinet, IconCheck, IconGlobe, IconKeyboard, IconLock, IconLogout } from './icons';
import { PasswordDialog } from './PasswordDialog';
import { spellSession } from '../state/spellSession';

interface Props {
  me: Operator;
  open: boolean;
  setOpen: (v: boolean) => void;
  onStatus: (s: Status) => void;
  onLanguage: (l: Lang) => void;
  onHelp: () => void;
  onLogout: () => void;
  /** The quick-message suggestions setting (absent: not shown). */
  autocomplete?: { on: boolean; set: (on: boolean) => void };
}

/** The operator's avatar with the status dot; a click opens the status list and the settings. */
export function ProfileMenu({ me, open, setOpen, onStatus, onLanguage, onHelp, onLogout, autocomplete }: Props) {
  const root = useRef<HTMLDivElement>(null);
  const [lang, setLangState] = useState(getLang());
  const [spellOn, setSpellOn] = useState(spellSession.enabled);
  const [password, setPassword] = useState(false);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => { if (!root.current?.contains(e.target as Node)) setOpen(false); };
    document.addEventListener('mousedown', close);
    root.current?.querySelector<HTMLElement>('[role=menuitemradio][aria-checked=true]')?.focus();
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  function onKeyDown(e: KeyboardEvent) {
    if (!open) return;
    const items = Array.from(root.current?.querySelectorAll<HTMLElement>('[role^=menuitem]:not([disabled])') ?? []);
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown') { e.preventDefault(); items[(i + 1) % items.length]?.focus(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); items[(i - 1 + items.length) % items.length]?.focus(); }
    else if (e.key === 'Escape') { e.stopPropagation(); setOpen(false); root.current?.querySelector<HTMLElement>('.avatar-btn')?.focus(); }
  }

  const settingsBlocked = !can.settings(me.status);
  const color = STATUS_COLOR[me.status];

  return (
    <div class="profile" ref={root} onKeyDown={onKeyDown}>
      <button class="avatar-btn" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}
        title={t('status.change')} data-testid="status-button" data-status={me.status}>
        <span class="avatar">{initials(me.name)}<span class="status-dot" style={{ background: color }} /></span>
        <span class="profile-text">
          <span class="profile-name">{me.name}</span>
          <span class="profile-status"><span class="dot" style={{ background: color }} />{t('status.' + me.status)}
            <span class="profile-load">· {me.open_count}/{me.limit}</span></span>
        </span>
      </button>
      {open && (
        <div class="menu profile-menu" role="menu" aria-label={t('status.change')}>
          {STATUSES.map((s) => (
            <button role="menuitemradio" aria-checked={me.status === s} class="menu-item status-item" data-status={s}
              onClick={() => { onStatus(s); setOpen(false); }}>
              <span class="dot dot-lg" style={{ background: STATUS_COLOR[s] }} />
              <span class="menu-text">
                <span class="menu-label">{t('status.' + s)}</span>
                <span class="menu-hint">{t('status.hint.' + s)}</span>
              </span>
              {me.status === s && <IconCheck size={16} />}
            </button>
          ))}
          <div class="menu-sep" />
          <div class="menu-group" title={settingsBlocked ? t('menu.settingsOffline') : undefined}>
            <span class="menu-group-label"><IconGlobe size={16} />{t('menu.language')}</span>
            <span class="seg">
              {(['ru', 'en'] as Lang[]).map((l) => (
                <button role="menuitemradio" aria-checked={lang === l} class={'seg-btn' + (lang === l ? ' active' : '')}
                  disabled={settingsBlocked} data-lang={l}
                  onClick={() => { setLang(l); setLangState(l); onLanguage(l); }}>{l.toUpperCase()}</button>
              ))}
            </span>
          </div>
          {autocomplete && (
            <button role="menuitemcheckbox" aria-checked={autocomplete.on} class="menu-item" disabled={settingsBlocked}
              title={settingsBlocked ? t('menu.settingsOffline') : undefined} data-testid="autocomplete-toggle"
              onClick={() => autocomplete.set(!autocomplete.on)}>
              <IconBolt size={16} /><span class="menu-label">{t('menu.autocomplete')}</span>
              <span class={'switch' + (autocomplete.on ? ' on' : '')} aria-hidden="true"><i /></span>
            </button>
          )}
          <button role="menuitemcheckbox" aria-checked={spellOn} class="menu-item" data-testid="spellcheck-toggle"
            disabled={settingsBlocked} title={settingsBlocked ? t('menu.settingsOffline') : undefined}
            onClick={() => {
              // A setting like the others: not while offline (the seed: an offline operator
              // changes no settings). The choice follows the operator to other browsers.
              spellSession.setEnabled(!spellOn);
              setSpellOn(!spellOn);
              api.updateSettings({ spellcheck: !spellOn }).catch(() => {});
            }}>
            <span class="spell-icon" aria-hidden="true">abc</span><span class="menu-label">{t('menu.spellcheck')}</span>
            <span class={'switch' + (spellOn ? ' on' : '')} aria-hidden="true"><i /></span>
          </button>
          {settingsBlocked && <p class="menu-note">{t('menu.settingsOffline')}</p>}
          <div class="menu-sep" />
          {(me.role === 'admin' || me.role === 'supervisor') && (
            <a role="menuitem" class="menu-item" href="/admin/" target="_blank" rel="noopener" data-testid="cabinet-link">
              <IconCabinet size={18} /><span class="menu-label">{t('menu.cabinet')}</span>
            </a>
          )}
          <button role="menuitem" class="menu-item" onClick={() => { setOpen(false); onHelp(); }}>
            <IconKeyboard size={18} /><span class="menu-label">{t('menu.help')}</span><kbd>Alt+/</kbd>
          </button>
          <button role="menuitem" class="menu-item" onClick={() => { setOpen(false); setPassword(true); }} data-testid="change-password">
            <IconLock size={18} /><span class="menu-label">{t('menu.password')}</span>
          </button>
          <button role="menuitem" class="menu-item" onClick={onLogout} data-testid="logout">
            <IconLogout size={18} /><span class="menu-label">{t('menu.logout')}</span>
          </button>
          <button role="menuitem" class="menu-item" data-testid="logout-everywhere"
            onClick={() => { void api.logoutEverywhere().catch(() => {}).finally(onLogout); }}>
            <IconLogout size={18} /><span class="menu-label">{t('menu.logoutEverywhere')}</span>
          </button>
        </div>
      )}
      {password && <PasswordDialog onDone={() => setPassword(false)} />}
    </div>
  );
}
