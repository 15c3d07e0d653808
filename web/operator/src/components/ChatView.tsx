import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Attachment, Conversation, ID, Message } from '../api/types';
import { type Controller, errorText } from '../controller';
import { getLang, t } from '../i18n';
import { fullTime, guestNumber } from '../lib/format';
import { assignBlock, can } from '../lib/status';
import { type Draft, emptyDraft } from '../state/drafts';
import { type AppState, isStaff } from '../state/reducer';
import { useAppState } from '../state/store';
import { Composer } from './Composer';
import { History } from './History';
import { RatingBanner } from './Rating';
import { ProfileToggle } from './VisitorPanel';
import { IconAlert, IconArrowLeft, IconChat, IconCheck, IconClock, IconLock, IconMail, IconTransfer } from './icons';

interface Props {
  ctl: Controller;
  id: ID;
  onTransfer: (id: ID) => void;
  onClose: (id: ID) => void;
  /** Back to the list (the narrow layout shows either the list or the conversation). */
  onBack: () => void;
  /** The caller took the conversation from the queue: it is in their work list now. */
  onTaken: (id: ID) => void;
}

const selectMe = (s: AppState) => s.me;
const selectOperators = (s: AppState) => s.operators;
const selectCategories = (s: AppState) => s.categories;

/** Why the panel's actions are unavailable, as dictionary keys (null = allowed). */
export function actionBlocks(c: Conversation, me: AppState['me']) {
  // A closed conversation (the archive) is read-only, whatever the status.
  if (c.state === 'closed') return { reply: 'chat.closedDisabled', transfer: 'chat.closedDisabled', close: 'chat.closedDisabled' };
  const offline = !can.reply(me.status) ? 'chat.offlineDisabled' : null;
  return {
    reply: offline ?? (c.state !== 'assigned' ? 'chat.notAssigned' : null),
    transfer: offline ?? (c.state !== 'assigned' ? 'chat.notAssigned' : c.pending_transfer ? 'chat.pendingDisabled' : null),
    close: offline,
  };
}

/**
 * The selected conversation: its panel (Передать, Завершить), history and composer. A closed
 * one (from the archive) is read-only: the panel says when it was closed and with what
 * category, and there is no composer.
 */
export function ChatView({ ctl, id, onTransfer, onClose, onBack, onTaken }: Props) {
  const selectConv = useCallback((s: AppState) => s.open.byId[id] ?? s.queue.byId[id] ?? s.archive.byId[id] ?? s.found[id], [id]);
  const selectFocus = useCallback((s: AppState) => (s.focus?.conversation === id ? s.focus : null), [id]);
  const selectHistory = useCallback((s: AppState) => s.histories[id], [id]);
  const selectTyping = useCallback((s: AppState) => (s.typing[id] ?? 0), [id]);
  const c = useAppState(ctl.store, selectConv);
  const history = useAppState(ctl.store, selectHistory);
  const typingUntil = useAppState(ctl.store, selectTyping);
  const focus = useAppState(ctl.store, selectFocus);
  const me = useAppState(ctl.store, selectMe);
  const operators = useAppState(ctl.store, selectOperators);
  const categories = useAppState(ctl.store, selectCategories);
  const [draft, setDraftState] = useState<Draft>(() => ctl.drafts.load(id));
  const [now, setNow] = useState(Date.now());
  const [sendCount, setSendCount] = useState(0);

  useEffect(() => setDraftState(ctl.drafts.load(id)), [id]);

  // The typing indicator goes out by itself a few seconds after the last typing frame.
  useEffect(() => {
    if (typingUntil <= Date.now()) return;
    setNow(Date.now());
    const timer = setTimeout(() => setNow(Date.now()), typingUntil - Date.now() + 50);
    return () => clearTimeout(timer);
  }, [typingUntil]);

  if (!c) return null;

  const setDraft = (d: Draft) => {
    setDraftState(d);
    ctl.drafts.save(id, d);
  };
  const send = (attachments?: Attachment[]) => {
    const text = draft.text.replace(/\s+$/, '');
    if (!text.trim() && !attachments?.length) return;
    void ctl.send(id, text, { comment: draft.comment, quote: draft.comment ? undefined : draft.quote ?? undefined, attachments });
    // Back to «Ответ» after every send: left in comment mode, the next answer meant for the
    // visitor became an internal note nobody sent (the mode itself is unmistakable: banner).
    setDraft({ ...emptyDraft });
    setSendCount((n) => n + 1);
  };
  const quote = (m: Message) => {
    setDraft({ ...draft, comment: false, quote: { id: m.id, author: m.author, text: m.text } });
    document.getElementById('composer-input')?.focus();
  };

  const blocks = actionBlocks(c, me);
  const name = c.visitor.name ? c.visitor.display_name : t('list.guestN', { n: String(guestNumber(c.visitor.id)) });
  const pt = c.pending_transfer;
  // «Взять себе» follows the server's rule for the receiver: available or pause, below the limit.
  const selfBlock = assignBlock(me);
  const takeBlock = (can.reply(me.status) ? null : 'chat.offlineDisabled') ?? (selfBlock === 'transfer.block.limit' ? 'queue.myLimit' : selfBlock ? 'queue.selfStatus' : null);
  const assignee = c.assignee_id && c.assignee_id !== me.id ? operators[c.assignee_id]?.name : null;
  const Channel = c.channel === 'email' ? IconMail : IconChat;
  const closed = c.state === 'closed';
  const category = c.category_id ? categories[c.category_id]?.name : '';

  return (
    <section class="chat" data-testid="chat" data-conversation={id}>
      <header class="chat-head">
        <div class="chat-who">
          <button class="icon-btn chat-back" onClick={onBack} aria-label={t('chat.back')} title={t('chat.back')} data-testid="chat-back">
            <IconArrowLeft /></button>
          <span class={'chan chan-' + c.channel}><Channel size={18} title={t('channel.' + c.channel)} /></span>
          <div>
            <h2 data-testid="chat-visitor">{name}</h2>
            <p class="muted">{t('channel.' + c.channel)} · {c.contact_point.name}{assignee ? ' · ' + t('chat.assignee', { name: assignee }) : ''}</p>
            {closed && (
              <p class="chat-closed" data-testid="chat-closed">
                {t('chat.closedAt', { date: fullTime(c.closed_at ?? c.last_message_at, getLang()) })}
                {category && <> · <span class="tag tag-cat" data-testid="chat-category">{category}</span></>}
              </p>
            )}
            {c.subject && <p class="chat-subject" data-testid="chat-subject" title={c.subject}>{t('chat.subject', { subject: c.subject })}</p>}
          </div>
          <ProfileToggle ctl={ctl} />
        </div>
        {c.state === 'queued' && isStaff(me) ? (
        <div class="chat-actions">
          <button class="btn" disabled={!can.reply(me.status)} title={can.reply(me.status) ? undefined : t('chat.offlineDisabled')}
            onClick={() => onTransfer(id)} data-testid="assign-button">
            <IconTransfer size={18} /><span class="btn-label">{t('queue.assign')}</span></button>
          <button class="btn btn-primary" disabled={!!takeBlock} data-testid="take-button" title={takeBlock ? t(takeBlock) : undefined}
            onClick={() => { void ctl.assignQueued(id).then(() => onTaken(id), (err) => ctl.dispatch({ type: 'notice', tone: 'error', key: 'queue.refused', params: { why: errorText(err) } })); }}>
            <IconCheck size={18} /><span class="btn-label">{t('queue.take')}</span></button>
        </div>
        ) : (
        <div class="chat-actions">
          <span class="tip-wrap" title={blocks.transfer ? t(blocks.transfer) : 'Alt+T'}>
            <button class="btn" disabled={!!blocks.transfer} onClick={() => onTransfer(id)} data-testid="transfer-button">
              <IconTransfer size={18} /><span class="btn-label">{t('chat.transfer')}</span></button>
          </span>
          <span class="tip-wrap" title={blocks.close ? t(blocks.close) : 'Alt+E'}>
            <button class="btn btn-primary" disabled={!!blocks.close} onClick={() => onClose(id)} data-testid="close-button">
              <IconCheck size={18} /><span class="btn-label">{t('chat.close')}</span></button>
          </span>
        </div>
        )}
      </header>
      {pt && pt.from_operator_id === c.assignee_id && (
        <div class="chat-banner banner-wait" data-testid="transfer-pending">
          <IconClock size={16} />
          <span>{t('chat.awaiting', { to: operators[pt.to_operator_id]?.name ?? '' })}</span>
          <button class="btn btn-small" onClick={() => void ctl.cancelTransfer(pt.id)} data-testid="cancel-transfer"
            disabled={!can.reply(me.status)}>{t('chat.cancelTransfer')}</button>
        </div>
      )}
      {c.visitor_closed && !closed && (
        <div class="chat-banner banner-closed" data-testid="visitor-closed-banner"><IconAlert size={16} /><span>{t('chat.visitorClosed')}</span></div>
      )}
      {c.state === 'queued' && <div class="chat-banner"><IconClock size={16} /><span>{t('chat.queued')}</span></div>}
      {c.rating && <RatingBanner rating={c.rating} />}
      <History messages={history?.messages ?? []} loaded={!!history?.loaded} hasOlder={!!history?.before}
        typing={!closed && typingUntil > now} onLoadOlder={() => ctl.loadOlder(id)} onQuote={quote} canQuote={!blocks.reply}
        onRetry={(cid) => ctl.retry(id, cid)} sendCount={sendCount} followup={c?.channel === 'webchat'}
        focus={focus ? { id: focus.message, seq: focus.seq } : null} />
      {closed ? (
        <div class="composer-closed" data-testid="conversation-closed" role="status"><IconLock size={16} />{t('chat.closedReadonly')}</div>
      ) : <Composer key={id} draft={draft} setDraft={setDraft} onSend={send} onTyping={() => ctl.typing(id)} blocked={blocks.reply}
        onSticker={(s) => { void ctl.send(id, '', { comment: false, sticker: s }); setSendCount((n) => n + 1); }}
        quick={{ cache: ctl.quick, names: { visitor: c.visitor.name, operator: me.name }, autocomplete: ctl.autocomplete(me) }} />}
    </section>
  );
}
