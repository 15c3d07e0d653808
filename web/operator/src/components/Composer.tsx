import { useLayoutEffect, useRef } from 'preact/hooks';
import { t } from '../i18n';
import type { Draft } from '../state/drafts';
import { IconNote, IconSend, IconX } from './icons';
import { type QuickOptions, useQuickComposer } from './QuickComposer';
import type { Attachment, StickerRef } from '../api/types';
import { useComposerMedia } from './ComposerMedia';
import { useSpell } from './Spell';
import { chipAttachment } from '../../../shared/media/attach';
import { useNarrow } from '../lib/narrow';


interface Props {
  draft: Draft;
  setDraft: (d: Draft) => void;
  /** Sends the draft, with the uploaded files chosen for it. */
  onSend: (attachments?: Attachment[]) => void;
  /** Sends a sticker at once. */
  onSticker?: (s: StickerRef) => void;
  onTyping: () => void;
  /** Why the operator cannot write here now (a dictionary key), or null. */
  blocked: string | null;
  /** Quick messages: the window, autocomplete and hotkeys (absent: the button is disabled). */
  quick?: QuickOptions;
}

/**
 * The reply area in the seed's order: attach, input, emoji/stickers, send, quick messages.
 */
export function Composer({ draft, setDraft, onSend, onSticker, onTyping, blocked, quick: quickOpts }: Props) {
  const input = useRef<HTMLTextAreaElement>(null);
  // On a phone the box is one short line: the placeholder without the keyboard hints.
  const narrow = useNarrow();

  // Grow with the text up to a limit, then scroll.
  useLayoutEffect(() => {
    const el = input.current;
    if (!el) return;
    el.style.height = 'auto';
    // Empty, the box is one line whatever the placeholder's length (it would count in scrollHeight).
    if (!draft.text) return;
    el.style.height = Math.min(el.scrollHeight, 180) + 'px';
  }, [draft.text]);

  const quick = useQuickComposer({ input, draft, setDraft, disabled: blocked !== null, tip: blocked ? t(blocked) : undefined, opts: quickOpts });

  // Our spell check (underlines and suggestions); the browser's own is off on the textarea.
  const spell = useSpell({ input, text: draft.text, disabled: blocked !== null });

  const media = useComposerMedia({
    input, text: draft.text, setText: (text) => setDraft({ ...draft, text }), disabled: blocked !== null,
    tip: blocked ? t(blocked) : undefined, comment: draft.comment, onSticker: (s) => onSticker?.(s),
  });
  const uploading = media.chips.some((c) => c.status === 'uploading');
  const canSend = !uploading && (!!draft.text.trim() || (media.ready && !draft.comment));
  function send() {
    if (!canSend) return;
    if (draft.comment || !media.ready) return onSend();
    const { chips } = media.take();
    onSend(chips.filter((c) => c.status === 'done').map((c) => chipAttachment(c, '/api/v1/attachments/' + c.id)));
  }

  function onKeyDown(e: KeyboardEvent) {
    if (quick.onKeyDown(e)) return;
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !e.isComposing) {
      e.preventDefault();
      send();
    } else if (e.key === 'Escape' && draft.quote) {
      e.preventDefault();
      e.stopPropagation();
      setDraft({ ...draft, quote: null });
    }
  }

  const disabled = blocked !== null;
  const tip = blocked ? t(blocked) : undefined;

  return (
    <div class={'composer' + (draft.comment ? ' composer-comment' : '') + (disabled ? ' composer-blocked' : '')} data-testid="composer"
      {...media.dropHandlers}>
      {quick.popups}
      {spell.menu}
      {media.picker}
      {media.dropOverlay}
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
      {draft.comment && (
        <div class="comment-banner" role="note" data-testid="comment-banner"><IconNote size={14} />{t('composer.commentBanner')}</div>
      )}
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
      {media.chipsView}
      <div class="composer-row">
        {media.attachButton}
        <span class="tip-wrap composer-input-wrap" title={tip}>
          <textarea id="composer-input" ref={input} rows={1} value={draft.text} disabled={disabled} aria-label={t('composer.label')}
            placeholder={t(draft.comment ? (narrow ? 'composer.commentPlaceholderShort' : 'composer.commentPlaceholder')
              : (narrow ? 'composer.placeholderShort' : 'composer.placeholder'))} spellcheck={false}
            onInput={(e) => { setDraft({ ...draft, text: e.currentTarget.value }); quick.onInput(e.currentTarget.value); if (!draft.comment) onTyping(); }}
            onKeyDown={onKeyDown} onBlur={quick.hideSuggest} onPaste={media.onPaste} />
          {spell.overlay}
        </span>
        {media.emojiButton}
        <span class="tip-wrap" title={tip ?? t(draft.comment ? 'composer.sendComment' : 'composer.send')}>
          <button type="button" class={'send-btn' + (draft.comment ? ' comment' : '')} disabled={disabled || !canSend}
            aria-label={t(draft.comment ? 'composer.sendComment' : 'composer.send')} onClick={send} data-testid="send-button">
            <IconSend size={18} />
          </button>
        </span>
        {quick.button}
      </div>
      {spell.note}
    </div>
  );
}
