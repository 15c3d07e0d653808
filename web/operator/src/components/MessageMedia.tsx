// A message's sticker and files in the operator's history (shared/media renders them).

import type { Message } from '../api/types';
import type { Attachment } from '../../../shared/media/attach';
import { Attachments, MessageSticker } from '../../../shared/media/Media';
import { mediaTexts } from '../../../shared/media/texts';
import { getLang } from '../i18n';
import { operatorImage, useMediaCss } from './ComposerMedia';

/** Downloads with the session cookie: the server answers Content-Disposition: attachment. */
function download(a: Attachment) {
  const link = document.createElement('a');
  link.href = a.url;
  link.download = a.name;
  document.body.appendChild(link);
  link.click();
  link.remove();
}

export function MessageMedia({ m }: { m: Message }) {
  useMediaCss();
  const lang = getLang();
  const tx = mediaTexts(lang);
  return (
    <>
      {m.sticker && <MessageSticker sticker={m.sticker} image={operatorImage} tx={tx} />}
      {m.attachments?.length > 0 && <Attachments list={m.attachments} image={operatorImage} download={download} tx={tx} lang={lang} />}
    </>
  );
}
