import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n';
import type { Draft } from '../state/drafts';
import { IconBolt, IconNote, IconPaperclip, IconSend, IconSmile, IconX } from './icons';

type Soon = 'attach' | 'emoji' | 'quick';

interface Props {
  draft: Draft;
  setDraft: (d: Draft) => void;
  onSend: () => void;
  onTyping: () => void;
  /** Why the operator cannot write here now (a dictionary key), or null. */
  blocked: string | null;
}

/**
 * The reply area in the seed's order: attach, input, emoji/stickers, send, quick messages.
 * Attach, emoji and quick messages belong to later issues: their buttons are here and say so.
 */
export function Composer({ draft, setDraft, onSend, onTyping, blocked }: Props) {
  const input = useRef<HTMLTextAreaElement>(null);
  const [soon, setSoon] = useState<Soon | null>(null);

  // Grow with the text up to a limit, then scroll.
  useLayoutEffect(() => {
    const el = input.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = Math.min(el.scrollHeight, 180) + 'px';
  }, [draft.text]);

  useEffect(() => {
    if (!soon) return;
    const close = (e: MouseEvent) => { if (!(e.target as HTMLElement).closest?.('.soon, .composer-tool')) setSoon(null); };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [soon]);

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !e.isComposing) {
      e.preventDefault();
      if (draft.text.trim()) onSend();
    } else if (e.key === 'Escape' && draft.quote) {
      e.preventDefault();
      e.stopPropagation();
      setDraft({ ...draft, quote: null });
    }
  }

  const disabled = blocked !== null;
  const tip = blocked ? t(blocked) : undefined;
  const tool = (kind: Soon, label: string, Icon: typeof IconSmile, testId: string) => (
    <span class="tip-wrap" title={tip ?? t(label)}>
      <button type="button" class="icon-btn composer-tool" aria-label={t(label)} disabled={disabled} data-testid={testId}
        aria-haspopup="dialog" aria-expanded={soon === kind} onClick={() => setSoon(soon === kind ? null : kind)}>
        <Icon />
      </button>
    </span>
  );

  return (
    <div class={'composer' + (draft.comment ? ' composer-comment' : '') + (disabled ? ' composer-blocked' : '')} data-testid="composer">
      {soon && (
        <div class="soon" role="dialog" aria-label={t('soon.title')} data-testid="soon-popover">
          <b>{t('soon.title')}</b>
          <p>{t('soon.' + soon)}</p>
          <button class="btn btn-small" onClick={() => { setSoon(null); input.current?.focus(); }}>{t('soon.ok')}</button>
        </div>
      )}
      <div class="composer-top">
        <div class="seg" role="radiogroup">
          <button type="button" role="radio" aria-checked={!draft.comment} class={'seg-btn' + (!draft.comment ? ' active' : '')}
            disabled={disabled} onClick={() => setDraft({ ...draft, comment: false })} data-testid="mode-reply">{t('composer.reply')}</button>
          <button type="button" role="radio" aria-checked={draft.comment} class={'seg-btn' + (draft.comment ? ' active comment' : '')}
            disabled={disabled} onClick={() => setDraft({ ...draft, comment: true, quote: null })} data-testid="mode-comment">
            <IconNote size={14} />{t('composer.comment')}</button>
        </div>
        {blocked && <span class="composer-why" data-testid="composer-blocked">{t(blocked)}</span>}
      </div>
      {draft.quote && !draft.comment && (
        <div class="composer-quote" data-testid="composer-quote">
          <div class="quote">
            <span class="quote-author">{t('composer.quoting')} · {draft.quote.author.name || t('list.guest')}</span>
            <span class="quote-text">{draft.quote.text}</span>
          </div>
          <button class="icon-btn" title={t('composer.removeQuote')} aria-label={t('composer.removeQuote')}
            onClick={() => setDraft({ ...draft, quote: null })} data-testid="remove-quote"><IconX size={16} /></button>
        </div>
      )}
      <div class="composer-row">
        {tool('attach', 'composer.attach', IconPaperclip, 'attach-button')}
        <span class="tip-wrap composer-input-wrap" title={tip}>
          <textarea id="composer-input" ref={input} rows={1} value={draft.text} disabled={disabled} aria-label={t('composer.label')}
            placeholder={t(draft.comment ? 'composer.commentPlaceholder' : 'composer.placeholder')} spellcheck
            onInput={(e) => { setDraft({ ...draft, text: e.currentTarget.value }); if (!draft.comment) onTyping(); }}
            onKeyDown={onKeyDown} />
        </span>
        {tool('emoji', 'composer.emoji', IconSmile, 'emoji-button')}
        <span class="tip-wrap" title={tip ?? t(draft.comment ? 'composer.sendComment' : 'composer.send')}>
          <button type="button" class={'send-btn' + (draft.comment ? ' comment' : '')} disabled={disabled || !draft.text.trim()}
            aria-label={t(draft.comment ? 'composer.sendComment' : 'composer.send')} onClick={onSend} data-testid="send-button">
            <IconSend size={18} />
          </button>
        </span>
        {tool('quick', 'composer.quick', IconBolt, 'quick-button')}
      </div>
    </div>
  );
}
