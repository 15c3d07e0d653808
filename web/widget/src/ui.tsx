// The widget's interface: a launcher and the chat window, rendered in a shadow root.

import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Chat, ChatMessage, ChatState } from './chat';
import type { Texts } from './i18n';
import { LineMedia, useWidgetMedia } from './media';
import { RatingCard } from './rating';

const ChatIcon = () => (
  <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true"><path fill="currentColor" d="M12 3C6.5 3 2 6.8 2 11.5c0 2.4 1.2 4.6 3.1 6.1L4.3 21a.6.6 0 0 0 .9.6l4-2.2c.9.2 1.8.3 2.8.3 5.5 0 10-3.8 10-8.5S17.5 3 12 3Zm-4.5 9.8a1.3 1.3 0 1 1 0-2.6 1.3 1.3 0 0 1 0 2.6Zm4.5 0a1.3 1.3 0 1 1 0-2.6 1.3 1.3 0 0 1 0 2.6Zm4.5 0a1.3 1.3 0 1 1 0-2.6 1.3 1.3 0 0 1 0 2.6Z" /></svg>
);
const CloseIcon = () => (
  <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" d="M6 6l12 12M18 6 6 18" /></svg>
);
const MinimizeIcon = () => (
  <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" d="m6 9 6 6 6-6" /></svg>
);
const EndIcon = () => (
  <svg viewBox="0 0 24 24" width="19" height="19" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" d="M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3M10 17l-5-5 5-5M5 12h11" /></svg>
);
const SendIcon = () => (
  <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor" d="M3.4 20.4 21 12.9a1 1 0 0 0 0-1.8L3.4 3.6a.8.8 0 0 0-1.1 1l2.3 6.4 9 1-9 1-2.3 6.4a.8.8 0 0 0 1.1 1Z" /></svg>
);

function timeOf(iso: string, lang: string): string {
  const d = new Date(iso);
  return isNaN(d.getTime()) ? '' : d.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
}

function initials(name: string): string {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]!.toUpperCase()).join('') || '?';
}

/**
 * The chat's state, kept current. The subscription is made in an effect, after the first
 * render; whatever changed in between (the config answered, the session started) would be
 * lost if the effect only subscribed, and the launcher would never appear. So it subscribes
 * first and then reads the state once more: no order of answers and renders can drop a change.
 */
export function useChat(chat: Chat): ChatState {
  const [state, setState] = useState(chat.state);
  useLayoutEffect(() => {
    const unsubscribe = chat.subscribe(() => setState(chat.state));
    setState(chat.state);
    return unsubscribe;
  }, [chat]);
  return state;
}

export function App({ chat, t, lang }: { chat: Chat; t: Texts; lang: string }) {
  const s = useChat(chat);
  const launcher = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (wasOpen.current && !s.open) launcher.current?.focus();
    wasOpen.current = s.open;
  }, [s.open]);
  if (s.fatal || !s.ready) return null;
  const a = s.appearance!;
  return (
    <div class={'ld-root ld-' + a.position}>
      {s.open && <Window chat={chat} s={s} t={t} lang={lang} />}
      <button ref={launcher} type="button" class={'ld-launcher' + (s.open ? ' ld-launcher-open' : '')}
        aria-label={s.open ? t.minimize : t.openChat} aria-expanded={s.open} onClick={() => (s.open ? chat.close() : chat.open())}>
        {s.open ? <CloseIcon /> : <ChatIcon />}
        {!s.open && s.unread > 0 && <span class="ld-badge" aria-label={t.unread(s.unread)}>{s.unread > 9 ? '9+' : s.unread}</span>}
      </button>
    </div>
  );
}

function statusLine(s: ChatState, t: Texts): { text: string; dot: 'on' | 'off' | 'wait' } {
  if (s.connection === 'offline') return { text: t.reconnecting, dot: 'off' };
  if (s.typing !== null) return { text: t.typing(s.typing), dot: 'on' };
  const c = s.conversation;
  if (c?.state === 'assigned' && c.operator) return { text: t.answering(c.operator.name), dot: 'on' };
  if (c?.state === 'queued') return s.online ? { text: t.queued, dot: 'wait' } : { text: t.queuedOffline, dot: 'off' };
  return s.online ? { text: t.onlineNow, dot: 'on' } : { text: t.nobodyOnline, dot: 'off' };
}

function Window({ chat, s, t, lang }: { chat: Chat; s: ChatState; t: Texts; lang: string }) {
  const a = s.appearance!;
  const [confirmEnd, setConfirmEnd] = useState(false);
  const status = statusLine(s, t);
  const offlineForm = !s.online && !s.conversation && !s.offlineSent && s.messages.length === 0;
  const offlineFormWithHistory = !s.online && !s.conversation && !s.offlineSent && s.messages.length > 0;
  useEffect(() => {
    if (s.online || s.conversation) return;
    const id = setInterval(() => chat.pollOnline(), 20_000);
    return () => clearInterval(id);
  }, [s.online, s.conversation]);
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      if (confirmEnd) setConfirmEnd(false);
      else chat.close();
    }
  };
  return (
    <section class="ld-window" role="dialog" aria-modal="false" aria-label={a.title || t.title} onKeyDown={onKey}>
      <header class="ld-header">
        <div class="ld-avatar" aria-hidden="true">
          {s.conversation?.operator ? initials(s.conversation.operator.name) : <ChatIcon />}
        </div>
        <div class="ld-heading">
          <h2 class="ld-title">{a.title || t.title}</h2>
          <p class="ld-status" aria-live="polite"><span class={'ld-dot ld-dot-' + status.dot} /><span class="ld-status-text">{status.text}</span></p>
        </div>
        {s.conversation && (
          <button type="button" class="ld-icon-btn" aria-label={t.endChat} title={t.endChat} onClick={() => setConfirmEnd(true)}>
            <EndIcon />
          </button>
        )}
        <button type="button" class="ld-icon-btn" aria-label={t.minimize} title={t.minimize} onClick={() => chat.close()}>
          <MinimizeIcon />
        </button>
      </header>
      {confirmEnd && (
        <div class="ld-confirm" role="alertdialog" aria-label={t.endConfirm}>
          <span>{t.endConfirm}</span>
          <button type="button" class="ld-btn ld-btn-primary" autoFocus
            onClick={() => { setConfirmEnd(false); void chat.closeConversation().catch(() => {}); }}>{t.endYes}</button>
          <button type="button" class="ld-btn" onClick={() => setConfirmEnd(false)}>{t.cancel}</button>
        </div>
      )}
      {offlineForm ? (
        <OfflineForm chat={chat} s={s} t={t} />
      ) : (
        <>
          <Messages chat={chat} s={s} t={t} lang={lang} />
          {offlineFormWithHistory ? <OfflineForm chat={chat} s={s} t={t} compact /> : <Composer chat={chat} s={s} t={t} lang={lang} />}
        </>
      )}
      <footer class="ld-footer">{t.poweredBy}</footer>
    </section>
  );
}

function Messages({ chat, s, t, lang }: { chat: Chat; s: ChatState; t: Texts; lang: string }) {
  const list = useRef<HTMLDivElement>(null);
  const last = s.messages[s.messages.length - 1];
  const showIntro = !s.introDone && !s.visitor?.name && s.messages.length === 0;
  useLayoutEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [last?.key, last?.delivery, s.typing !== null, s.closed, showIntro, !!s.rating, !!s.rating?.rating]);
  const greeting = s.appearance!.greeting || t.greeting;
  return (
    <div class="ld-messages" ref={list} role="log" aria-live="polite" aria-label={t.chatLog} tabIndex={0}>
      {s.hasOlder && (
        <button type="button" class="ld-older" onClick={() => void chat.loadOlder()}>{t.olderMessages}</button>
      )}
      {!s.hasOlder && <div class="ld-msg ld-msg-operator ld-greeting"><div class="ld-bubble">{greeting}</div></div>}
      {s.messages.map((m, i) => <Line key={m.key} m={m} prev={s.messages[i - 1]} chat={chat} t={t} lang={lang} />)}
      {s.offlineSent && <div class="ld-note">{t.offlineSent}</div>}
      {s.closed && !s.offlineSent && <div class="ld-note">{t.ended}</div>}
      {s.rating && !s.conversation && <RatingCard key={s.rating.request.conversation_id} chat={chat} r={s.rating} t={t} />}
      {s.typing !== null && (
        <div class="ld-msg ld-msg-operator ld-typing" aria-label={t.typing(s.typing)}>
          <div class="ld-bubble"><span /><span /><span /></div>
        </div>
      )}
      {showIntro && <Intro chat={chat} s={s} t={t} />}
    </div>
  );
}

/**
 * The server's line for a conversation the visitor closed. It is written for the operators'
 * history; the visitor who ended the chat reads their own words instead.
 */
const VISITOR_CLOSED_LINE = 'Посетитель закрыл обращение';

function Line({ m, prev, chat, t, lang }: { m: ChatMessage; prev?: ChatMessage; chat: Chat; t: Texts; lang: string }) {
  if (m.author === 'system') return <div class="ld-system">{m.text === VISITOR_CLOSED_LINE ? t.youEnded : m.text}</div>;
  const own = m.author === 'visitor';
  const showName = !own && (prev?.author !== m.author || prev?.name !== m.name);
  let state = '';
  if (own) {
    state = m.delivery === 'sending' ? t.sending : m.delivery === 'queued' ? t.waiting : m.delivery === 'failed' ? t.failed : t.sent;
  }
  return (
    <div class={'ld-msg ' + (own ? 'ld-msg-own' : 'ld-msg-operator') + (m.delivery ? ' ld-d-' + m.delivery : '')}
      data-message-id={m.id} data-client-id={m.clientId}>
      {showName && <div class="ld-name">{m.name || t.operator}</div>}
      {m.quote && (
        <blockquote class="ld-quote" data-testid="widget-quote" aria-label={t.quoted}>
          <span class="ld-quote-author">{m.quote.author.type === 'visitor' ? t.you : m.quote.author.name || t.operator}</span>
          <span class="ld-quote-text">{m.quote.text}</span>
        </blockquote>
      )}
      <LineMedia m={m} chat={chat} lang={lang === 'en' ? 'en' : 'ru'} />
      {(m.text || (!m.sticker && !m.attachments)) && <div class="ld-bubble">{m.text}</div>}
      <div class="ld-meta">
        <span>{timeOf(m.at, lang)}</span>
        {own && <span class="ld-delivery" title={m.error}>{m.delivery === 'sent' ? '✓ ' : m.delivery === 'failed' ? '! ' : '◷ '}{state}</span>}
        {own && m.delivery === 'failed' && (
          <button type="button" class="ld-retry" onClick={() => chat.retry(m.clientId!)}>{t.retry}</button>
        )}
      </div>
    </div>
  );
}

function Intro({ chat, s, t }: { chat: Chat; s: ChatState; t: Texts }) {
  const a = s.appearance!;
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    void chat.identify({ name, email, phone }).catch(() => {});
    chat.skipIntro();
  };
  return (
    <form class="ld-card ld-intro" onSubmit={submit} aria-label={t.introTitle}>
      <strong>{t.introTitle}</strong>
      <span class="ld-hint">{t.introHint}</span>
      <input class="ld-input" aria-label={t.name} placeholder={t.name} value={name} maxLength={100} autoComplete="name"
        onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      {a.ask_email && <input class="ld-input" type="email" aria-label={t.email} placeholder={t.email} value={email} maxLength={254}
        autoComplete="email" onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />}
      {a.ask_phone && <input class="ld-input" type="tel" aria-label={t.phone} placeholder={t.phone} value={phone} maxLength={40}
        autoComplete="tel" onInput={(e) => setPhone((e.target as HTMLInputElement).value)} />}
      <div class="ld-row">
        <button type="submit" class="ld-btn ld-btn-primary" disabled={!name.trim() && !email.trim() && !phone.trim()}>{t.save}</button>
        <button type="button" class="ld-btn" onClick={() => chat.skipIntro()}>{t.skip}</button>
      </div>
    </form>
  );
}

function Composer({ chat, s, t, lang }: { chat: Chat; s: ChatState; t: Texts; lang: string }) {
  const [text, setText] = useState('');
  const input = useRef<HTMLTextAreaElement>(null);
  const media = useWidgetMedia({ chat, lang: lang === 'en' ? 'en' : 'ru', input, text, setText });
  const canSend = !media.busy && (!!text.trim() || media.ready);
  // Focus on open, and again once the introduction card is gone (its buttons took the focus).
  useEffect(() => { input.current?.focus(); }, [s.introDone]);
  useLayoutEffect(() => {
    const el = input.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = Math.min(el.scrollHeight, 120) + 'px';
  }, [text]);
  const submit = () => {
    if (!canSend) return;
    chat.send(text, media.ready ? media.take() : {});
    setText('');
    input.current?.focus();
  };
  return (
    <form class="ld-composer" onSubmit={(e) => { e.preventDefault(); submit(); }} {...media.dropHandlers}>
      {media.picker}
      {media.dropOverlay}
      {media.chipsView}
      {media.attachButton}
      <textarea ref={input} class="ld-textarea" rows={1} placeholder={t.placeholder} aria-label={t.placeholder} value={text}
        maxLength={10000}
        onInput={(e) => { setText((e.target as HTMLTextAreaElement).value); chat.typing(); }}
        onKeyDown={(e) => { if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(); } }}
        onPaste={media.onPaste} />
      {media.emojiButton}
      <button type="submit" class="ld-send" aria-label={t.send} title={t.send} disabled={!canSend}><SendIcon /></button>
    </form>
  );
}

function OfflineForm({ chat, s, t, compact }: { chat: Chat; s: ChatState; t: Texts; compact?: boolean }) {
  const [name, setName] = useState(s.visitor?.name ?? '');
  const [contact, setContact] = useState(s.visitor?.email || s.visitor?.phone || '');
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => { first.current?.focus(); }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!contact.trim()) return setError(t.needContact);
    if (!text.trim()) return setError(t.needMessage);
    setBusy(true);
    setError('');
    try {
      await chat.sendOffline(name, contact, text);
    } catch (err: any) {
      setError(err?.status === 400 && err.message ? err.message : t.sendFailed);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class={'ld-offline' + (compact ? ' ld-offline-compact' : '')} onSubmit={submit} aria-label={t.offlineTitle} noValidate>
      <strong class="ld-offline-title">{t.offlineTitle}</strong>
      <span class="ld-hint">{t.offlineHint}</span>
      <input ref={first} class="ld-input" aria-label={t.yourName} placeholder={t.yourName} value={name} maxLength={100} autoComplete="name"
        onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      <input class="ld-input" aria-label={t.contact} placeholder={t.contact} value={contact} maxLength={254} autoComplete="email"
        onInput={(e) => setContact((e.target as HTMLInputElement).value)} />
      <textarea class="ld-input ld-offline-text" aria-label={t.message} placeholder={t.message} value={text} maxLength={10000}
        rows={compact ? 2 : 4} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
      {error && <span class="ld-error" role="alert">{error}</span>}
      <button type="submit" class="ld-btn ld-btn-primary ld-btn-wide" disabled={busy}>{t.send}</button>
    </form>
  );
}
