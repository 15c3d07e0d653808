import { useEffect, useState } from 'preact/hooks';
import type { Controller } from '../controller';
import { guestNumber } from '../lib/format';
import { t } from '../i18n';
import { can } from '../lib/status';
import type { AppState } from '../state/reducer';
import { useAppState } from '../state/store';
import { IconChat, IconMail } from './icons';
import { Modal } from './Modal';

const selectOffers = (s: AppState) => s.offers;
const selectOperators = (s: AppState) => s.operators;
const selectMe = (s: AppState) => s.me;

/** The receiver's side of a transfer: who offers which visitor, with the note; Принять or Отклонить. */
export function OfferModal({ ctl }: { ctl: Controller }) {
  const offers = useAppState(ctl.store, selectOffers);
  const operators = useAppState(ctl.store, selectOperators);
  const me = useAppState(ctl.store, selectMe);
  const [now, setNow] = useState(Date.now());
  const [busy, setBusy] = useState(false);
  const offer = offers[0];

  useEffect(() => {
    if (!offer) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [offer?.transfer.id]);

  if (!offer) return null;
  const { transfer: tr, conversation: c } = offer;
  const left = Math.max(0, Math.round((Date.parse(tr.expires_at) - now) / 1000));
  const acceptBlock = can.acceptTransfer(me.status) ? null : t('offer.cannotAccept', { status: t('status.' + me.status) });
  const answer = async (accept: boolean) => {
    setBusy(true);
    await ctl.answerOffer(tr.id, accept);
    setBusy(false);
  };
  const Channel = c.channel === 'email' ? IconMail : IconChat;

  return (
    <Modal title={t('offer.title')} testId="offer-modal" initialFocus="[data-autofocus]"
      footer={<>
        <button class="btn" disabled={busy} onClick={() => void answer(false)} data-testid="offer-decline">{t('offer.decline')}</button>
        <span class="tip-wrap" title={acceptBlock ?? undefined}>
          <button class="btn btn-primary" disabled={busy || !!acceptBlock} onClick={() => void answer(true)} data-autofocus
            data-testid="offer-accept">{t('offer.accept')}</button>
        </span>
      </>}>
      <dl class="offer">
        <dt>{t('offer.from')}</dt>
        <dd data-testid="offer-from">{operators[tr.from_operator_id]?.name ?? '—'}</dd>
        <dt>{t('offer.visitor')}</dt>
        <dd data-testid="offer-visitor">
          <span class={'chan chan-sm chan-' + c.channel}><Channel size={14} /></span>
          {c.visitor.name ? c.visitor.display_name : t('list.guestN', { n: String(guestNumber(c.visitor.id)) })} <span class="muted">· {c.contact_point.name}</span>
          {c.last_message && <div class="offer-last">«{c.last_message.text}»</div>}
        </dd>
        <dt>{t('offer.comment')}</dt>
        <dd data-testid="offer-comment" class={tr.comment ? '' : 'muted'}>{tr.comment || t('offer.noComment')}</dd>
      </dl>
      <p class="muted offer-timer">{t('offer.expires', { s: left })}</p>
      {offers.length > 1 && <p class="muted">{t('offer.more', { n: offers.length - 1 })}</p>}
      {offer.error && <p class="form-error" role="alert" data-testid="offer-error">{offer.error}</p>}
    </Modal>
  );
}
