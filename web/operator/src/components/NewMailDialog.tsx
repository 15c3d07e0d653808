import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type Chip, ChipSet, chipsReady, limitMessage, uploadFile } from '../../../shared/media/attach';
import { Chips } from '../../../shared/media/Media';
import { mediaTexts } from '../../../shared/media/texts';
import { ApiError, api } from '../api/client';
import type { ID } from '../api/types';
import { type Controller, errorText } from '../controller';
import { getLang, t } from '../i18n';
import { clientId } from '../lib/format';
import { useMediaCss } from './ComposerMedia';
import { IconPaperclip } from './icons';
import { Modal } from './Modal';

type Mailbox = { id: ID; name: string; address: string };

/** The fields a refusal may name (details.field), in the dialog's order. */
const FIELDS = ['contact_point_id', 'to', 'name', 'subject', 'text'] as const;
type Field = (typeof FIELDS)[number];

/**
 * «Написать письмо»: a new mail to a customer address, from one of the account's mailboxes
 * (chosen here when there are several). The conversation it starts is the operator's; the
 * app opens it. A refusal is shown at the field it names; an address that already has an
 * open conversation offers to open it.
 */
export function NewMailDialog({ ctl, onDone }: { ctl: Controller; onDone: (id?: ID) => void }) {
  useMediaCss();
  const lang = getLang();
  const tx = mediaTexts(lang);
  const [boxes, setBoxes] = useState<Mailbox[] | null>(null);
  const [from, setFrom] = useState<ID>('');
  const [to, setTo] = useState('');
  const [name, setName] = useState('');
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [chips, setChips] = useState<Chip[]>([]);
  const [fileError, setFileError] = useState<string | null>(null);
  const [error, setError] = useState<{ field: Field | null; text: string; conversation?: ID | undefined } | null>(null);
  const [busy, setBusy] = useState(false);
  // One client id per mail: a second click after a lost answer gets the same conversation.
  const cid = useRef(clientId());
  const fileInput = useRef<HTMLInputElement>(null);
  const files = useMemo(() => new ChipSet((f, onProgress) => uploadFile('/api/v1/attachments', f, {}, onProgress, true), setChips), []);
  useEffect(() => () => files.clear(), [files]);

  useEffect(() => {
    let live = true;
    api.mailboxes().then((r) => {
      if (!live) return;
      setBoxes(r.items);
      if (r.items.length) setFrom(r.items[0]!.id);
    }, (err) => { if (live) { setBoxes([]); setError({ field: null, text: errorText(err) }); } });
    return () => { live = false; };
  }, []);
  useEffect(() => {
    const failed = chips.find((c) => c.status === 'failed');
    if (failed?.error) setFileError(limitMessage(failed.error, tx) ?? tx.uploadFailed);
  }, [chips]);

  const uploading = chips.some((c) => c.status === 'uploading');
  const canSend = !!boxes?.length && !!from && to.trim() !== '' && subject.trim() !== '' &&
    (text.trim() !== '' || chipsReady(chips)) && !uploading && !busy;

  async function submit(e?: Event) {
    e?.preventDefault();
    if (!canSend) return;
    setBusy(true);
    setError(null);
    try {
      const ids = chips.filter((c) => c.status === 'done').map((c) => c.id!);
      const id = await ctl.startEmail({ client_id: cid.current, contact_point_id: from, to: to.trim(),
        ...(name.trim() ? { name: name.trim() } : {}), subject: subject.trim(), text, ...(ids.length ? { attachment_ids: ids } : {}) });
      files.take();
      onDone(id);
    } catch (err) {
      const field = err instanceof ApiError ? (FIELDS as readonly string[]).includes(err.details.field ?? '') ? err.details.field as Field : null : null;
      const open = err instanceof ApiError && err.code === 'conflict' ? err.details.conversation_id : undefined;
      if (err instanceof ApiError && !err.transient) cid.current = clientId();
      setError({ field, text: open ? t('mail.new.openExists') : fieldText(field, err), conversation: open });
    } finally {
      setBusy(false);
    }
  }

  const invalid = (f: Field) => (error?.field === f ? { 'aria-invalid': true, 'aria-describedby': 'new-mail-error' } : {});
  /** Editing the field a refusal named takes the refusal away. */
  const edited = (f: Field) => { if (error && (error.field === f || error.conversation)) setError(null); };
  const box = boxes?.find((b) => b.id === from);
  return (
    <Modal title={t('mail.new.title')} onClose={() => onDone()} testId="new-mail-dialog" wide initialFocus="input[name=to]"
      footer={<>
        <button class="btn" onClick={() => onDone()}>{t('dialog.cancel')}</button>
        <button class="btn btn-primary" disabled={!canSend} onClick={submit} data-testid="new-mail-send">
          {busy ? t('mail.new.sending') : t('mail.new.send')}</button>
      </>}>
      <form class="new-mail" onSubmit={submit}>
        {boxes && boxes.length === 0 && !error && <p class="form-error" role="alert">{t('mail.new.noMailbox')}</p>}
        {boxes && boxes.length > 1 && (
          <label class="field">
            <span>{t('mail.new.from')}</span>
            <select name="from" value={from} onChange={(e) => { setFrom(e.currentTarget.value); edited('contact_point_id'); }} {...invalid('contact_point_id')}>
              {boxes.map((b) => <option value={b.id}>{b.name} — {b.address}</option>)}
            </select>
          </label>
        )}
        {boxes && boxes.length === 1 && box && (
          <p class="new-mail-from" data-testid="new-mail-from"><span>{t('mail.new.from')}</span> {box.name} — {box.address}</p>
        )}
        <div class="new-mail-row">
          <label class="field">
            <span>{t('mail.new.to')}</span>
            <input name="to" type="email" value={to} autoComplete="off" maxLength={254} placeholder="client@example.org"
              onInput={(e) => { setTo(e.currentTarget.value); edited('to'); }} {...invalid('to')} />
          </label>
          <label class="field">
            <span>{t('mail.new.name')}</span>
            <input name="name" value={name} maxLength={200} onInput={(e) => { setName(e.currentTarget.value); edited('name'); }} {...invalid('name')} />
          </label>
        </div>
        <label class="field">
          <span>{t('mail.new.subject')}</span>
          <input name="subject" value={subject} maxLength={200} onInput={(e) => { setSubject(e.currentTarget.value); edited('subject'); }} {...invalid('subject')} />
        </label>
        <label class="field">
          <span>{t('mail.new.text')}</span>
          <textarea name="text" rows={8} value={text} maxLength={10000} onInput={(e) => { setText(e.currentTarget.value); edited('text'); }} {...invalid('text')}
            onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit(); }} />
        </label>
        <div class="new-mail-files">
          <button type="button" class="btn btn-small" data-testid="new-mail-attach" onClick={() => fileInput.current?.click()}>
            <IconPaperclip size={16} />{t('composer.attach')}</button>
          <input ref={fileInput} type="file" multiple hidden data-testid="new-mail-files"
            onChange={(e) => {
              const el = e.currentTarget;
              const err = files.add(Array.from(el.files ?? []));
              setFileError(err ? limitMessage(err, tx) : null);
              el.value = '';
            }} />
          {fileError && <p class="md-error" role="alert">{fileError}</p>}
          <Chips chips={chips} tx={tx} lang={lang} onRemove={(k) => { files.remove(k); setFileError(null); }} />
        </div>
        {error && (
          <p class="form-error" role="alert" id="new-mail-error" data-testid="new-mail-error">{error.text}
            {error.conversation && (
              <button type="button" class="link-btn" data-testid="new-mail-open" onClick={() => onDone(error.conversation)}>
                {t('mail.new.open')}</button>
            )}
          </p>
        )}
        <p class="muted new-mail-hint">{t('mail.new.hint')}</p>
      </form>
    </Modal>
  );
}

/** A refusal in words, at its field when it names one. */
function fieldText(field: Field | null, err: unknown): string {
  if (!field || !(err instanceof ApiError)) return errorText(err);
  return t('mail.new.field.' + field, { message: err.message });
}
