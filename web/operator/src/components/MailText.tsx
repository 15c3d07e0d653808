import { useState } from 'preact/hooks';
import type { Message } from '../api/types';
import { t } from '../i18n';

/**
 * A message's text. A mail that quoted earlier mail of its thread shows its new text with
 * «Показать всё письмо» under it, which shows the whole mail as it came (`full_text`) in its
 * place, and «Свернуть письмо» back.
 */
export function MailText({ m }: { m: Pick<Message, 'text' | 'full_text'> }) {
  const [whole, setWhole] = useState(false);
  if (!m.full_text) return <div class="msg-text">{m.text}</div>;
  return (
    <>
      <div class={'msg-text' + (whole ? ' msg-full-text' : '')} data-testid="msg-text">{whole ? m.full_text : m.text}</div>
      <button type="button" class="link-btn msg-full-toggle" aria-expanded={whole} data-testid="full-mail-toggle"
        onClick={() => setWhole(!whole)}>{t(whole ? 'chat.fullMail.hide' : 'chat.fullMail.show')}</button>
    </>
  );
}
