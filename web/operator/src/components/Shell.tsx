import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { ID } from '../api/types';
import type { Controller } from '../controller';
import { type Lang, t } from '../i18n';
import { askNotificationPermission, notificationPermission, unlockAudio } from '../lib/alerts';
import { menuPosition } from '../lib/format';
import { NARROW } from '../lib/narrow';
import { can } from '../lib/status';
import type { AppState } from '../state/reducer';
import { isStaff } from '../state/reducer';
import { useAppState } from '../state/store';
import { ChatView, actionBlocks } from './ChatView';
import { CloseDialog } from './CloseDialog';
import { ConversationList, type Which } from './ConversationList';
import { HelpDialog } from './HelpDialog';
import { IconBell, IconChat, IconCheck, IconKeyboard, IconMail, IconTransfer, IconWifiOff } from './icons';
import { NewMailDialog } from './NewMailDialog';
import { Notices } from './Notices';
import { OfferModal } from './OfferModal';
import { ProfileMenu } from './ProfileMenu';
import { Search } from './Search';
import { TransferDialog } from './TransferDialog';
import { ProfileSlot } from './VisitorPanel';

type Dialog = { kind: 'transfer' | 'close'; id: ID } | { kind: 'help' } | { kind: 'mail' } | null;

const selectMe = (s: AppState) => s.me;
const selectSelected = (s: AppState) => s.selectedId;
const selectLink = (s: AppState) => s.link;
const selectCounts = (s: AppState) => `${s.open.order.length}/${s.queue.order.length}`;
const NOTIFY_DISMISSED = 'livedesk.notify.dismissed';

/** The whole operator screen: profile and list on the left, the conversation on the right. */
export function Shell({ ctl }: { ctl: Controller }) {
  const me = useAppState(ctl.store, selectMe);
  const selectedId = useAppState(ctl.store, selectSelected);
  const link = useAppState(ctl.store, selectLink);
  const [openCount, queueCount] = useAppState(ctl.store, selectCounts).split('/').map(Number);
  const [tab, setTab] = useState<Which>('open');
  const [dialog, setDialog] = useState<Dialog>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const [ctx, setCtx] = useState<{ id: ID; x: number; y: number } | null>(null);
  const [showOffline, setShowOffline] = useState(false);
  const [searching, setSearching] = useState(false);
  const [askNotify, setAskNotify] = useState(
    () => notificationPermission() === 'default' && localStorage.getItem(NOTIFY_DISMISSED) !== '1');
  const staff = isStaff(me);
  const waiting = useWaiting(!staff, openCount);

  // A short blip is not worth a banner: show it only when the link stays down.
  useEffect(() => {
    if (link === 'online') { setShowOffline(false); return; }
    const timer = setTimeout(() => setShowOffline(true), 1500);
    return () => clearTimeout(timer);
  }, [link]);

  useEffect(() => {
    const unlock = () => unlockAudio();
    addEventListener('pointerdown', unlock, { once: true });
    addEventListener('keydown', unlock, { once: true });
    return () => { removeEventListener('pointerdown', unlock); removeEventListener('keydown', unlock); };
  }, []);

  const open = (id: ID) => {
    ctl.select(id);
    setCtx(null);
    // A closed conversation has no composer: the focus stays where it was (the archive list).
    // On a phone the focus would pop up the keyboard over the conversation just opened.
    if (!matchMedia(NARROW).matches) requestAnimationFrame(() => document.getElementById('composer-input')?.focus());
  };

  const conv = (id: ID | null) => (id ? ctl.state.open.byId[id] ?? ctl.state.queue.byId[id] : undefined);
  const openDialog = (kind: 'transfer' | 'close', id: ID | null) => {
    const c = conv(id);
    // A queued conversation's «Назначить» (staff) uses the transfer dialog's list.
    const assigning = kind === 'transfer' && c?.state === 'queued';
    if (!c || (!assigning && actionBlocks(c, ctl.state.me)[kind])) return;
    setCtx(null);
    setDialog({ kind, id: c.id });
  };

  // ← → (Home End) move between the list tabs, as in any tab list.
  const onTabKey = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const tabs: Which[] = staff ? ['open', 'queue', 'archive'] : ['open', 'archive'];
    const i = tabs.indexOf(tab);
    const next = e.key === 'ArrowRight' ? tabs[(i + 1) % tabs.length] : e.key === 'ArrowLeft' ? tabs[(i + tabs.length - 1) % tabs.length]
      : e.key === 'Home' ? tabs[0] : e.key === 'End' ? tabs[tabs.length - 1] : null;
    if (!next) return;
    e.preventDefault();
    setTab(next);
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-testid=tab-${next}]`)?.focus());
  };

  // Keyboard shortcuts (physical keys, so they work in the Russian layout too).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const s = ctl.state;
      const l = s[tab];
      const i = s.selectedId ? l.order.indexOf(s.selectedId) : -1;
      let handled = true;
      switch (e.code) {
        case 'ArrowDown':
          if (l.order.length) open(l.order[Math.min(l.order.length - 1, i + 1)]);
          break;
        case 'ArrowUp':
          if (l.order.length) open(l.order[Math.max(0, i - 1)]);
          break;
        case 'KeyL':
          document.querySelector<HTMLElement>('.conv-list')?.focus();
          break;
        case 'KeyF':
          if (matchMedia(NARROW).matches) ctl.select(null); // the phone shows the sidebar to search in
          document.querySelector<HTMLElement>('[data-testid=search-input]')?.focus();
          break;
        case 'KeyR':
          document.getElementById('composer-input')?.focus();
          break;
        case 'KeyK': {
          const other = document.querySelector<HTMLButtonElement>('[data-testid^=mode-][aria-checked=false]');
          other?.click();
          document.getElementById('composer-input')?.focus();
          break;
        }
        case 'KeyT':
          openDialog('transfer', s.selectedId);
          break;
        case 'KeyE':
          openDialog('close', s.selectedId);
          break;
        case 'KeyS':
          setMenuOpen((v) => !v);
          break;
        case 'Slash':
          setDialog({ kind: 'help' });
          break;
        default:
          handled = false;
      }
      if (handled) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [tab]);

  useEffect(() => {
    if (!ctx) return;
    const close = (e: MouseEvent) => { if (!(e.target as HTMLElement).closest?.('.ctx-menu')) setCtx(null); };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [ctx]);

  const ctxConv = conv(ctx?.id ?? null);
  const ctxBlocks = ctxConv ? actionBlocks(ctxConv, me) : null;

  return (
    <div class="app">
      {showOffline && (
        <div class="banner banner-offline" role="status" data-testid="offline-banner"><IconWifiOff size={16} />{t('banner.offline')}</div>
      )}
      {askNotify && (
        <div class="banner banner-notify" data-testid="notify-banner">
          <IconBell size={16} /><span>{t('banner.notify')}</span>
          <button class="btn btn-small btn-primary" onClick={async () => { await askNotificationPermission(); setAskNotify(false); }}>
            {t('banner.notifyEnable')}</button>
          <button class="btn btn-small btn-ghost" onClick={() => { localStorage.setItem(NOTIFY_DISMISSED, '1'); setAskNotify(false); }}>
            {t('banner.dismiss')}</button>
        </div>
      )}
      {/* Narrow screens show the list or the open conversation (data-view), never both squeezed. */}
      <div class="layout" data-view={selectedId ? 'chat' : 'list'}>
        <aside class="sidebar">
          <div class="sidebar-head">
            <ProfileMenu me={me} open={menuOpen} setOpen={setMenuOpen} onStatus={(st) => void ctl.setStatus(st)}
              onLanguage={(l: Lang) => void ctl.saveLanguage(l)} onHelp={() => setDialog({ kind: 'help' })} onLogout={() => void ctl.logout()}
              autocomplete={{ on: ctl.autocomplete(me), set: (on) => void ctl.saveAutocomplete(on) }} />
            <span class="sidebar-tools">
              <span class="tip-wrap" title={can.acceptTransfer(me.status) ? t('mail.new.button') : t('mail.new.disabled')}>
                <button class="icon-btn" aria-label={t('mail.new.button')} disabled={!can.acceptTransfer(me.status)}
                  data-testid="new-mail-button" onClick={() => setDialog({ kind: 'mail' })}><IconMail /></button>
              </span>
              <button class="icon-btn" title={`${t('menu.help')} (Alt+/)`} aria-label={t('menu.help')} onClick={() => setDialog({ kind: 'help' })}>
                <IconKeyboard /></button>
            </span>
          </div>
          <Search ctl={ctl} onActive={setSearching} onOpen={(r) => { setCtx(null); void ctl.openFound(r.conversation, r.message?.id); }} />
          {!searching && <>
          <div class="tabs" role="tablist" aria-label={t('list.label')} onKeyDown={onTabKey}>
            <button role="tab" aria-selected={tab === 'open'} class={'tab' + (tab === 'open' ? ' active' : '')} onClick={() => setTab('open')}
              data-testid="tab-open">{t('list.open')}<span class="count">{openCount}</span></button>
            {staff && (
              <button role="tab" aria-selected={tab === 'queue'} class={'tab' + (tab === 'queue' ? ' active' : '')} onClick={() => setTab('queue')}
                data-testid="tab-queue">{t('list.queue')}<span class={'count' + (queueCount ? ' count-warn' : '')}>{queueCount}</span></button>
            )}
            <button role="tab" aria-selected={tab === 'archive'} class={'tab' + (tab === 'archive' ? ' active' : '')}
              onClick={() => setTab('archive')} data-testid="tab-archive" title={t('list.archiveLabel')}>{t('list.archive')}</button>
            {!staff && waiting !== null && (
              <span class={'queue-waiting' + (waiting ? ' busy' : '')} data-testid="queue-waiting" title={t('list.waitingHint')}>
                {t('list.waiting', { n: String(waiting) })}</span>
            )}
          </div>
          <ConversationList key={tab} ctl={ctl} which={tab} onOpen={open}
            onContextMenu={tab === 'archive' ? undefined : (id, x, y) => setCtx({ id, x, y })} />
          </>}
        </aside>
        <main class="main">
          {selectedId ? (
            <ChatView key={selectedId} ctl={ctl} id={selectedId} onTransfer={(id) => openDialog('transfer', id)}
              onClose={(id) => openDialog('close', id)}
              onBack={() => ctl.select(null)} onTaken={() => setTab('open')} />
          ) : (
            <div class="chat-empty">
              <IconChat size={44} />
              <h2>{t('chat.empty')}</h2>
              <p class="muted">{t('chat.emptyHint')}</p>
              {!can.reply(me.status) && <p class="hint-offline">{t('chat.offlineDisabled')}</p>}
            </div>
          )}
          {selectedId && <ProfileSlot key={selectedId} ctl={ctl} id={selectedId} />}
        </main>
      </div>
      {ctx && ctxConv && ctxBlocks && (
        <div class="menu ctx-menu" role="menu" style={menuPosition(ctx.x, ctx.y)} data-testid="list-context-menu"
          onKeyDown={(e) => { if (e.key === 'Escape') setCtx(null); }}>
          <span class="tip-wrap" title={ctxBlocks.close ? t(ctxBlocks.close) : undefined}>
            <button role="menuitem" class="menu-item" disabled={!!ctxBlocks.close} autoFocus onClick={() => openDialog('close', ctx.id)}
              data-testid="ctx-close"><IconCheck size={16} /><span class="menu-label">{t('ctx.close')}</span><kbd>Alt+E</kbd></button>
          </span>
          <span class="tip-wrap" title={ctxBlocks.transfer ? t(ctxBlocks.transfer) : undefined}>
            <button role="menuitem" class="menu-item" disabled={!!ctxBlocks.transfer} onClick={() => openDialog('transfer', ctx.id)}
              data-testid="ctx-transfer"><IconTransfer size={16} /><span class="menu-label">{t('ctx.transfer')}</span><kbd>Alt+T</kbd></button>
          </span>
        </div>
      )}
      {dialog?.kind === 'transfer' && <TransferDialog ctl={ctl} id={dialog.id} onDone={() => setDialog(null)} />}
      {dialog?.kind === 'close' && <CloseDialog ctl={ctl} id={dialog.id} onDone={() => setDialog(null)} />}
      {dialog?.kind === 'help' && <HelpDialog onDone={() => setDialog(null)} />}
      {dialog?.kind === 'mail' && <NewMailDialog ctl={ctl} onDone={(id) => {
        setDialog(null);
        if (id) { setTab('open'); open(id); }
      }} />}
      <OfferModal ctl={ctl} />
      <Notices ctl={ctl} />
    </div>
  );
}

/**
 * How many visitors wait in the queue, for operators (who do not see the queue itself):
 * asked every 10 seconds and whenever their own list changes (null: not asked).
 */
function useWaiting(enabled: boolean, openCount: number): number | null {
  const [n, setN] = useState<number | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const ask = () => api.queueLength().then((r) => { if (live) setN(r.waiting); }, () => {});
    ask();
    const timer = setInterval(ask, 10_000);
    return () => { live = false; clearInterval(timer); };
  }, [enabled, openCount]);
  return n;
}
