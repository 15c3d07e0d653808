import { useEffect } from 'preact/hooks';
import type { Controller } from '../controller';
import { t } from '../i18n';
import type { AppState, Notice } from '../state/reducer';
import { useAppState } from '../state/store';
import { IconAlert, IconCheck, IconInfo, IconX } from './icons';

const selectNotices = (s: AppState) => s.notices;

/** Short messages in the corner: outcomes of transfers, closes and the server's refusals. */
export function Notices({ ctl }: { ctl: Controller }) {
  const notices = useAppState(ctl.store, selectNotices);
  return (
    <div class="notices" aria-live="polite">
      {notices.map((n) => <Toast key={n.id} n={n} dismiss={() => ctl.dispatch({ type: 'notice.dismiss', id: n.id })} />)}
    </div>
  );
}

function Toast({ n, dismiss }: { n: Notice; dismiss: () => void }) {
  useEffect(() => {
    const timer = setTimeout(dismiss, n.tone === 'error' ? 12_000 : 7_000);
    return () => clearTimeout(timer);
  }, []);
  return (
    <div class={'toast toast-' + n.tone} role={n.tone === 'error' ? 'alert' : 'status'} data-testid="notice" data-tone={n.tone}>
      {n.tone === 'error' ? <IconAlert size={18} /> : n.tone === 'success' ? <IconCheck size={18} /> : <IconInfo size={18} />}
      <span>{t(n.key, n.params)}</span>
      <button class="icon-btn" onClick={dismiss} aria-label={t('dialog.close')}><IconX size={14} /></button>
    </div>
  );
}
