import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ID, OperatorBrief } from '../api/types';
import { type Controller, errorText } from '../controller';
import { t } from '../i18n';
import { initials } from '../lib/format';
import { STATUSES, STATUS_COLOR, assignBlock, transferBlock } from '../lib/status';
import type { AppState } from '../state/reducer';
import { useAppState } from '../state/store';
import { Modal } from './Modal';

const selectOperators = (s: AppState) => s.operators;
const selectMe = (s: AppState) => s.me;

/**
 * Передать: colleagues live with status and load; who cannot take the conversation is disabled
 * and says why. For a queued conversation (a supervisor's «Назначить») the same list assigns it,
 * the supervisor included, with no comment.
 */
export function TransferDialog({ ctl, id, onDone }: { ctl: Controller; id: ID; onDone: () => void }) {
  const c = useAppState(ctl.store, useCallback((s: AppState) => s.open.byId[id] ?? s.queue.byId[id], [id]));
  const operators = useAppState(ctl.store, selectOperators);
  const me = useAppState(ctl.store, selectMe);
  const [to, setTo] = useState<ID | null>(null);
  const [comment, setComment] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => { void ctl.refreshOperators(); }, []);
  // The conversation went away (closed, transferred) while the dialog was open.
  useEffect(() => { if (!c) onDone(); }, [c]);
  if (!c) return null;

  const assigning = c.state === 'queued';
  const blockOf = (o: OperatorBrief) => (assigning ? assignBlock(o) : transferBlock(c.channel, o));
  const rank = (o: OperatorBrief) => (blockOf(o) ? 10 : 0) + STATUSES.indexOf(o.status);
  const list = Object.values(operators)
    .filter((o) => (assigning || o.id !== me.id) && o.id !== c.assignee_id)
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  const chosen = to ? operators[to] : null;
  const chosenBlock = chosen ? blockOf(chosen) : null;

  async function submit(e?: Event) {
    e?.preventDefault();
    if (!to || chosenBlock) return;
    setBusy(true);
    setError('');
    try {
      if (assigning) await ctl.assignQueued(id, to);
      else await ctl.offerTransfer(id, to, comment.trim());
      onDone();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title={t(assigning ? 'queue.assignTitle' : 'transfer.title')} onClose={onDone} testId="transfer-dialog" initialFocus="input[type=radio]:not([disabled])"
      footer={<>
        <button class="btn" onClick={onDone}>{t('dialog.cancel')}</button>
        <button class="btn btn-primary" disabled={!to || !!chosenBlock || busy} onClick={submit} data-testid="transfer-submit">{t(assigning ? 'queue.assign' : 'transfer.submit')}</button>
      </>}>
      <form onSubmit={submit}>
        <fieldset class="pick-list" role="radiogroup" aria-label={t(assigning ? 'queue.pick' : 'transfer.pick')}>
          <legend>{t(assigning ? 'queue.pick' : 'transfer.pick')}</legend>
          {list.length === 0 && <p class="muted">{t('transfer.none')}</p>}
          {list.map((o) => {
            const block = blockOf(o);
            const pct = Math.min(100, Math.round((o.open_count / Math.max(1, o.limit)) * 100));
            return (
              <label class={'pick' + (block ? ' disabled' : '') + (to === o.id ? ' chosen' : '')} title={block ? t(block) : undefined}
                data-testid="transfer-operator" data-operator={o.name} data-disabled={block ? 'true' : 'false'}>
                <input type="radio" name="to" value={o.id} disabled={!!block} checked={to === o.id} onChange={() => setTo(o.id)} />
                <span class="avatar avatar-sm">{initials(o.name)}<span class="status-dot" style={{ background: STATUS_COLOR[o.status] }} /></span>
                <span class="pick-main">
                  <span class="pick-name">{o.name}</span>
                  <span class="pick-sub"><span class="dot" style={{ background: STATUS_COLOR[o.status] }} />{t('status.' + o.status)}</span>
                  {block && <span class="pick-why">{t(block)}</span>}
                </span>
                <span class="load" title={t('transfer.load', { open: o.open_count, limit: o.limit })}>
                  <span class="load-num" data-testid="transfer-load">{o.open_count}/{o.limit}</span>
                  <span class="load-bar"><i style={{ width: pct + '%' }} class={pct >= 100 ? 'full' : ''} /></span>
                </span>
              </label>
            );
          })}
        </fieldset>
        {!assigning && <label class="field">
          <span>{t('transfer.comment')}</span>
          <textarea rows={3} value={comment} maxLength={2000} data-testid="transfer-comment" onInput={(e) => setComment(e.currentTarget.value)}
            onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit(); }} />
        </label>}
        {error && <p class="form-error" role="alert" data-testid="transfer-error">{error}</p>}
      </form>
    </Modal>
  );
}
