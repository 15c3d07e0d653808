import { Component, type ComponentChildren } from 'preact';
import type { ID, Message } from '../api/types';
import { getLang, t } from '../i18n';
import { clockTime, dayLabel, menuPosition, sameDay } from '../lib/format';
import type { HistoryMessage } from '../state/history';
import { IconAlert, IconArrowDown, IconCheck, IconClock, IconNote, IconQuote } from './icons';
import { MailText } from './MailText';
import { MessageMedia } from './MessageMedia';

/** At most this many messages are in the DOM; the window slides as the operator scrolls. */
const MAX_RENDERED = 240;
const STEP = 60;
const EDGE_PX = 400;

/** One conversation's history; the parent mounts a new one for another conversation. */
interface Props {
  messages: HistoryMessage[];
  loaded: boolean;
  hasOlder: boolean;
  typing: boolean;
  onLoadOlder: () => Promise<void>;
  onQuote: (m: Message) => void;
  onRetry: (clientId: string) => void;
  /** Quoting is offered only when the operator may reply. */
  canQuote: boolean;
  /** Changes when the operator sends something: the view jumps to the newest message. */
  sendCount: number;
  /**
   * A widget conversation: a reply's mail is a followup, sent only if the visitor is gone
   * (docs/email.md § A widget conversation continues by email), and says so.
   */
  followup?: boolean;
  /**
   * A message to show and highlight (a search result opened here); a new seq shows it again.
   * It must be loaded: the controller loads the history back to it first.
   */
  focus?: { id: ID; seq: number } | null;
}

interface State {
  /** First rendered message, by id. */
  firstId: ID | null;
  /** Last rendered message, or null to follow the newest. */
  lastId: ID | null;
  loadingOlder: boolean;
  atBottom: boolean;
  menu: { x: number; y: number; m: Message } | null;
  /** The message a search result opened (highlighted). */
  foundId: ID | null;
}

type Snapshot = { bottom: true } | { id: string; offset: number } | null;

/**
 * The history of one conversation, oldest at the top. It renders a sliding window of the
 * loaded messages (so a 10,000-message history costs the same as a short one), loads older
 * pages when the top comes near, and keeps the message under the operator's eyes in place
 * while content is added above or removed below.
 */
export class History extends Component<Props, State> {
  override state: State = { firstId: null, lastId: null, loadingOlder: false, atBottom: true, menu: null, foundId: null };
  private box: HTMLDivElement | null = null;
  /** The seq of the focus last shown. */
  private focusSeq = 0;

  private range(): [number, number] {
    const msgs = this.props.messages;
    const n = msgs.length;
    let end = n;
    if (this.state.lastId !== null) {
      const i = msgs.findIndex((m) => m.id === this.state.lastId);
      if (i >= 0) end = i + 1;
    }
    let start = Math.max(0, end - STEP);
    if (this.state.firstId !== null) {
      const i = msgs.findIndex((m) => m.id === this.state.firstId);
      if (i >= 0 && i < end) start = i;
    }
    return [start, end];
  }

  override componentDidMount() {
    this.scrollToBottom();
    this.closeMenuOnOutside();
    this.showFocus();
  }

  /**
   * Brings the focused message into the middle of the view, with the messages around it
   * rendered, and marks it; once per focus (seq), when it is loaded.
   */
  private showFocus() {
    const f = this.props.focus;
    if (!f || f.seq === this.focusSeq) return;
    const msgs = this.props.messages;
    const i = msgs.findIndex((m) => m.id === f.id);
    if (i < 0) return;
    this.focusSeq = f.seq;
    const first = Math.max(0, i - STEP / 2);
    const last = Math.min(msgs.length, i + STEP / 2 + 1);
    this.setState({ firstId: msgs[first].id, lastId: msgs[last - 1].id, atBottom: false, foundId: f.id }, () => {
      const el = this.box?.querySelector<HTMLElement>(`[data-mid="${CSS.escape(f.id)}"]`);
      if (el && this.box) this.box.scrollTop = Math.max(0, el.offsetTop - (this.box.clientHeight - el.offsetHeight) / 2);
    });
  }

  override componentWillUnmount() {
    document.removeEventListener('mousedown', this.onOutside);
  }

  override getSnapshotBeforeUpdate(): Snapshot {
    const el = this.box;
    if (!el) return null;
    if (this.state.lastId === null && this.state.atBottom) return { bottom: true };
    for (const child of Array.from(el.querySelectorAll<HTMLElement>('[data-mid]'))) {
      if (child.offsetTop + child.offsetHeight > el.scrollTop) return { id: child.dataset.mid!, offset: child.offsetTop - el.scrollTop };
    }
    return null;
  }

  override componentDidUpdate(prev: Props, _prevState: State, snap: Snapshot) {
    const el = this.box;
    if (!el) return;
    if (this.props.focus && this.props.focus.seq !== this.focusSeq) {
      this.showFocus();
      return;
    }
    if (prev.sendCount !== this.props.sendCount) {
      this.jumpToLatest();
      return;
    }
    if (snap && 'bottom' in snap) {
      el.scrollTop = el.scrollHeight;
      // Following the newest: drop what scrolled far out of view at the top.
      const [start, end] = this.range();
      if (end - start > MAX_RENDERED + STEP) this.setState({ firstId: this.props.messages[end - MAX_RENDERED].id });
    } else if (snap) {
      const a = el.querySelector<HTMLElement>(`[data-mid="${CSS.escape(snap.id)}"]`);
      if (a) el.scrollTop = a.offsetTop - snap.offset;
    }
  }

  private scrollToBottom() {
    if (this.box) this.box.scrollTop = this.box.scrollHeight;
  }

  private onOutside = (e: MouseEvent) => {
    if (this.state.menu && !(e.target as HTMLElement).closest?.('.ctx-menu')) this.setState({ menu: null });
  };

  private closeMenuOnOutside() {
    document.addEventListener('mousedown', this.onOutside);
  }

  private onScroll = () => {
    const el = this.box;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
    if (atBottom !== this.state.atBottom) this.setState({ atBottom });
    const msgs = this.props.messages;
    const [start, end] = this.range();
    if (el.scrollTop < EDGE_PX) {
      if (start > 0) {
        const ns = Math.max(0, start - STEP);
        const ne = end - ns > MAX_RENDERED ? ns + MAX_RENDERED : end;
        this.setState({ firstId: msgs[ns].id, lastId: ne >= msgs.length ? null : msgs[ne - 1].id });
      } else if (this.props.hasOlder && !this.state.loadingOlder) {
        // Pin the window's top, so the page arriving above does not shift what is shown.
        this.setState({ loadingOlder: true, firstId: msgs[start]?.id ?? null });
        void this.props.onLoadOlder().finally(() => {
          this.setState({ loadingOlder: false });
          this.onScroll();
        });
      }
    } else if (el.scrollHeight - el.scrollTop - el.clientHeight < EDGE_PX && end < msgs.length) {
      const ne = Math.min(msgs.length, end + STEP);
      const ns = ne - start > MAX_RENDERED ? ne - MAX_RENDERED : start;
      this.setState({ firstId: msgs[ns].id, lastId: ne >= msgs.length ? null : msgs[ne - 1].id });
    }
  };

  private jumpToLatest = () => {
    this.setState({ lastId: null, firstId: null, atBottom: true }, () => this.scrollToBottom());
  };

  override render() {
    const { messages, loaded, hasOlder, typing, canQuote } = this.props;
    const [start, end] = this.range();
    const lang = getLang();
    const items: ComponentChildren[] = [];
    let prevDay: Date | null = null;
    for (let i = start; i < end; i++) {
      const m = messages[i];
      const d = new Date(m.created_at);
      if (!prevDay || !sameDay(prevDay, d)) {
        items.push(<div class="day-sep" key={'day-' + m.id} data-testid="day-separator"><span>{dayLabel(m.created_at, lang, t('chat.today'), t('chat.yesterday'))}</span></div>);
      }
      prevDay = d;
      items.push(this.renderMessage(m, canQuote));
    }
    const following = this.state.lastId === null;
    return (
      <div class="history-wrap">
        <div class="history" ref={(el) => { this.box = el; }} onScroll={this.onScroll} data-testid="history" role="log" aria-live="polite">
          {!loaded && <div class="history-note">{t('chat.loading')}</div>}
          {loaded && start === 0 && !hasOlder && <div class="history-note history-start">{t('chat.start')}</div>}
          {(this.state.loadingOlder || (start === 0 && hasOlder)) && <div class="history-note">{t('chat.loadingOlder')}</div>}
          {items}
          {typing && following && (
            <div class="typing" data-testid="typing"><span class="typing-dots"><i /><i /><i /></span>{t('chat.typing')}</div>
          )}
        </div>
        {(!this.state.atBottom || !following) && (
          <button class="jump-latest" onClick={this.jumpToLatest}><IconArrowDown size={16} />{t('chat.jumpLatest')}</button>
        )}
        {this.state.menu && (
          <div class="menu ctx-menu" role="menu" style={menuPosition(this.state.menu.x, this.state.menu.y, 200, 60)}>
            <button role="menuitem" class="menu-item" autoFocus data-testid="ctx-quote"
              onClick={() => { this.props.onQuote(this.state.menu!.m); this.setState({ menu: null }); }}
              onKeyDown={(e) => { if (e.key === 'Escape') this.setState({ menu: null }); }}>
              <IconQuote size={16} /><span class="menu-label">{t('ctx.quote')}</span>
            </button>
          </div>
        )}
      </div>
    );
  }

  private renderMessage(m: HistoryMessage, canQuote: boolean) {
    const time = clockTime(m.created_at, getLang());
    if (m.kind === 'system') {
      return <div class={'msg-system' + this.found(m)} key={m.id} data-mid={m.id} data-testid="msg-system"><span>{m.text}</span><time>{time}</time></div>;
    }
    if (m.kind === 'comment') {
      return (
        <div class={'msg-comment' + this.found(m)} key={m.id} data-mid={m.id} data-testid="msg-comment">
          <div class="msg-comment-head"><IconNote size={15} /><b>{t('chat.commentLabel')}</b> · {m.author.name ? <>{m.author.name} · </> : null}<time>{time}</time>
            {this.delivery(m)}</div>
          <div class="msg-text">{m.text}</div>
        </div>
      );
    }
    const visitor = m.author.type === 'visitor';
    const quotable = visitor && canQuote;
    return (
      <div class={'msg ' + (visitor ? 'msg-in' : 'msg-out') + (m.sticker && !m.text ? ' msg-sticker' : '') + this.found(m)} key={m.id} data-mid={m.id}
        data-testid={visitor ? 'msg-visitor' : 'msg-operator'}
        onContextMenu={quotable ? (e) => { e.preventDefault(); this.setState({ menu: { x: e.clientX, y: e.clientY, m } }); } : undefined}>
        <div class="bubble">
          {!visitor && <div class="msg-author">{m.author.name}</div>}
          {m.quote && (
            <blockquote class="quote" data-testid="msg-quote">
              <span class="quote-author">{m.quote.author.type === 'visitor' && !m.quote.author.name ? t('list.guest') : m.quote.author.name}</span>
              <span class="quote-text">{m.quote.text}</span>
            </blockquote>
          )}
          <MessageMedia m={m} />
          {(m.text || (!m.sticker && !m.attachments?.length)) && <MailText m={m} />}
          <div class="msg-foot"><time>{time}</time>{this.delivery(m)}</div>
        </div>
        {quotable && (
          <button class="msg-action" title={t('ctx.quote')} aria-label={t('ctx.quote')} data-testid="quote-button"
            onClick={() => this.props.onQuote(m)}><IconQuote size={16} /></button>
        )}
      </div>
    );
  }

  /** The class of the message a search result opened. */
  private found(m: HistoryMessage) {
    return m.id === this.state.foundId ? ' msg-found' : '';
  }

  private delivery(m: HistoryMessage) {
    if (m.author.type !== 'operator') return null;
    const mail = m.email_delivery;
    if (mail && !m.delivery) {
      // A reply in an email conversation: where its mail is.
      if (this.props.followup && mail.state !== 'failed') {
        // A widget conversation's reply: in a live chat most are never mailed, so only a mail
        // that went says so in words; waiting and not needed are an icon with the reason.
        const label = t('chat.followup.' + mail.state);
        return (
          <span class={'delivery mail mail-' + mail.state} data-testid="mail-state" data-state={mail.state} title={label} aria-label={label}>
            {mail.state === 'pending' ? <IconClock size={13} /> : <IconCheck size={13} />}
            {mail.state === 'sent' && label}
          </span>
        );
      }
      return (
        <span class={'delivery mail mail-' + mail.state} data-testid="mail-state" data-state={mail.state} title={mail.error || undefined}>
          {mail.state === 'failed' ? <IconAlert size={13} /> : mail.state === 'sent' ? <IconCheck size={13} /> : <IconClock size={13} />}
          {t('chat.mail.' + mail.state)}
        </span>
      );
    }
    if (m.delivery === 'pending') return <span class="delivery" title={t('chat.pending')}><IconClock size={13} /></span>;
    if (m.delivery === 'failed') {
      return (
        <span class="delivery failed"><IconAlert size={13} />{t('chat.failed')}
          <button class="link-btn" onClick={() => this.props.onRetry(m.client_id!)}>{t('chat.retry')}</button></span>
      );
    }
    return <span class="delivery ok" title={t('chat.sent')}><IconCheck size={13} /></span>;
  }
}
