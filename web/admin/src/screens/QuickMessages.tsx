import { useState } from 'preact/hooks';
import { DownIcon, EditIcon, TrashIcon, UpIcon } from '../components/icons';
import { api } from '../api/client';
import type { Category, QuickMessage } from '../api/types';
import { AddForm, NameList } from '../components/NameList';
import { Confirm, Empty, Field, LoadError, Loading, PageHead, described, useLoad } from '../components/ui';
import { t } from '../i18n';
import { errorText } from '../lib/errors';
import { applyPositions, moveUpdates, nextPosition, sortByPosition } from '../lib/reorder';
import { showToast } from '../lib/toast';

interface Data {
  cats: Category[];
  msgs: QuickMessage[];
}

/** Account-wide quick messages by category (everyone's «Быстрые сообщения» window). */
export function QuickMessages() {
  const data = useLoad<Data>(async () => {
    const [c, m] = await Promise.all([api.quickCategories(), api.quickMessages()]);
    return { cats: c.items, msgs: m.items };
  });
  const [selected, setSelected] = useState<string>('');
  const [deleting, setDeleting] = useState<Category | null>(null);
  const [deletingMsg, setDeletingMsg] = useState<QuickMessage | null>(null);
  const cats = data.data?.cats ?? [];
  const msgs = data.data?.msgs ?? [];
  const current = cats.find((c) => c.id === selected) ?? sortByPosition(cats)[0] ?? null;
  const inCurrent = current ? sortByPosition(msgs.filter((m) => m.category_id === current.id)) : [];
  const setCats = (c: Category[]) => data.set({ cats: c, msgs });
  const setMsgs = (m: QuickMessage[]) => data.set({ cats, msgs: m });
  const countOf = (id: string) => msgs.filter((m) => m.category_id === id).length;

  async function moved<T extends { id: string; position: number }>(list: T[], id: string, dir: -1 | 1,
    patch: (id: string, position: number) => Promise<unknown>): Promise<T[]> {
    const ups = moveUpdates(list, id, dir);
    try {
      for (const u of ups) await patch(u.id, u.position);
    } catch (err) {
      await data.reload();
      throw err;
    }
    return applyPositions(list, ups);
  }

  return (
    <section data-testid="screen-quick-messages">
      <PageHead title={t('nav.quick-messages')} intro={t('quick.intro')} />
      {data.loading && !data.data && <Loading />}
      {data.error != null && !data.data && <LoadError error={data.error} retry={data.reload} />}
      {data.data && (
        <div class="quick-layout">
          <div class="panel">
            <h2 class="panel-title">{t('quick.categories')}</h2>
            <AddForm label={t('quick.newCategory')} placeholder={t('quick.categoryPlaceholder')} testId="quick-category-add"
              add={async (name) => {
                const c = await api.createQuickCategory(name, nextPosition(cats));
                setCats([...cats, c]);
                setSelected(c.id);
                showToast(t('quick.categoryAdded', { name: c.name }));
              }} />
            {cats.length === 0 ? <Empty title={t('quick.noCategories')}>{t('quick.noCategoriesHint')}</Empty> : (
              <NameList items={cats} label={t('quick.categories')} selected={current?.id} onSelect={(c) => setSelected(c.id)}
                note={(c) => String(countOf(c.id))}
                rename={async (c, name) => {
                  const n = await api.updateQuickCategory(c.id, { name });
                  setCats(cats.map((x) => (x.id === c.id ? n : x)));
                  showToast(t('common.renamed', { name: n.name }));
                }}
                move={async (c, dir) => setCats(await moved(cats, c.id, dir, (id, position) => api.updateQuickCategory(id, { position })))}
                remove={setDeleting} />
            )}
          </div>
          <div class="panel" data-testid="quick-messages">
            {!current ? <Empty title={t('quick.pickCategory')}>{t('quick.pickCategoryHint')}</Empty> : (
              <>
                <h2 class="panel-title">{current.name} <span class="count">{inCurrent.length}</span></h2>
                <MessageForm key={'new-' + current.id} submitLabel={t('quick.addMessage')} onSubmit={async (title, text) => {
                  const m = await api.createQuick({ category_id: current.id, title, text, position: nextPosition(inCurrent) });
                  setMsgs([...msgs, m]);
                  showToast(t('quick.messageAdded'));
                  return true;
                }} />
                {inCurrent.length === 0 ? <Empty title={t('quick.noMessages')}>{t('quick.noMessagesHint')}</Empty> : (
                  <ul class="msg-list">
                    {inCurrent.map((m, i) => (
                      <MessageRow key={m.id} m={m} first={i === 0} last={i === inCurrent.length - 1}
                        save={async (title, text) => {
                          const n = await api.updateQuick(m.id, { title, text });
                          setMsgs(msgs.map((x) => (x.id === m.id ? n : x)));
                          showToast(t('quick.messageSaved'));
                        }}
                        move={async (dir) => {
                          const next = await moved(inCurrent, m.id, dir, (id, position) => api.updateQuick(id, { position }));
                          setMsgs([...msgs.filter((x) => x.category_id !== current.id), ...next]);
                        }}
                        remove={() => setDeletingMsg(m)} />
                    ))}
                  </ul>
                )}
              </>
            )}
          </div>
        </div>
      )}
      {deleting && (
        <Confirm title={t('quick.deleteCategoryTitle')} confirmLabel={t('common.delete')} onClose={() => setDeleting(null)}
          text={t('quick.deleteCategoryText', { name: deleting.name, n: countOf(deleting.id) })}
          onConfirm={async () => {
            await api.deleteQuickCategory(deleting.id);
            data.set({ cats: cats.filter((c) => c.id !== deleting.id), msgs: msgs.filter((m) => m.category_id !== deleting.id) });
            showToast(t('common.deleted', { name: deleting.name }));
          }} />
      )}
      {deletingMsg && (
        <Confirm title={t('quick.deleteMessageTitle')} confirmLabel={t('common.delete')} onClose={() => setDeletingMsg(null)}
          text={t('quick.deleteMessageText', { name: deletingMsg.title || deletingMsg.text.slice(0, 60) })}
          onConfirm={async () => {
            await api.deleteQuick(deletingMsg.id);
            setMsgs(msgs.filter((m) => m.id !== deletingMsg.id));
            showToast(t('quick.messageDeleted'));
          }} />
      )}
    </section>
  );
}

function MessageRow({ m, first, last, save, move, remove }: {
  m: QuickMessage; first: boolean; last: boolean; save: (title: string, text: string) => Promise<void>;
  move: (dir: -1 | 1) => Promise<void>; remove: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [moving, setMoving] = useState(false);
  async function doMove(dir: -1 | 1) {
    setMoving(true);
    try {
      await move(dir);
    } catch (err) {
      showToast(errorText(err), 'error');
    } finally {
      setMoving(false);
    }
  }
  if (editing) {
    return (
      <li class="msg-row editing">
        <MessageForm initialTitle={m.title} initialText={m.text} submitLabel={t('common.save')} onCancel={() => setEditing(false)}
          onSubmit={async (title, text) => { await save(title, text); setEditing(false); return false; }} />
      </li>
    );
  }
  return (
    <li class="msg-row" data-testid="quick-message" data-title={m.title}>
      <div class="msg-body">
        {m.title && <span class="cell-strong">{m.title}</span>}
        <span class="msg-text">{m.text}</span>
      </div>
      <span class="row-tools">
        <button type="button" class="icon-btn" disabled={moving || first} onClick={() => doMove(-1)} aria-label={t('list.up', { name: m.title || m.text.slice(0, 30) })} title={t('list.upShort')}><UpIcon /></button>
        <button type="button" class="icon-btn" disabled={moving || last} onClick={() => doMove(1)} aria-label={t('list.down', { name: m.title || m.text.slice(0, 30) })} title={t('list.downShort')}><DownIcon /></button>
        <button type="button" class="icon-btn" onClick={() => setEditing(true)} aria-label={t('common.edit')} title={t('common.edit')}><EditIcon /></button>
        <button type="button" class="icon-btn icon-danger" onClick={remove} aria-label={t('common.delete')} title={t('common.delete')}><TrashIcon /></button>
      </span>
    </li>
  );
}

let formSeq = 0;

/** Title and text of a quick message; keeps what was typed when the server refuses. Resolves true to clear. */
function MessageForm({ initialTitle = '', initialText = '', submitLabel, onSubmit, onCancel }: {
  initialTitle?: string; initialText?: string; submitLabel: string;
  onSubmit: (title: string, text: string) => Promise<boolean>; onCancel?: () => void;
}) {
  const [id] = useState(() => 'qm' + ++formSeq);
  const [title, setTitle] = useState(initialTitle);
  const [text, setText] = useState(initialText);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    if (!text.trim()) return setError(t('form.textRequired'));
    setBusy(true);
    setError('');
    try {
      const clear = await onSubmit(title.trim(), text);
      if (clear) {
        setTitle('');
        setText('');
      }
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="msg-form" onSubmit={submit} noValidate data-testid={onCancel ? 'quick-edit' : 'quick-add'}
      onKeyDown={(e) => { if (e.key === 'Escape' && onCancel) { e.stopPropagation(); onCancel(); } }}>
      <Field label={t('quick.title')} id={id + '-title'}>
        <input {...described(id + '-title')} value={title} maxLength={100} placeholder={t('quick.titlePlaceholder')}
          onInput={(e) => setTitle(e.currentTarget.value)} />
      </Field>
      <Field label={t('quick.text')} id={id + '-text'} error={error} hint={<>{t('quick.placeholders')} <code>{'{visitor_name}'}</code>, <code>{'{operator_name}'}</code></>}>
        <textarea id={id + '-text'} rows={3} value={text} maxLength={4000} aria-invalid={error ? true : undefined}
          aria-describedby={error ? id + '-text-error' : id + '-text-hint'}
          onInput={(e) => { setText(e.currentTarget.value); setError(''); }}
          onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e); }} />
      </Field>
      <div class="form-actions">
        {onCancel && <button type="button" class="btn" onClick={onCancel}>{t('common.cancel')}</button>}
        <button type="submit" class="btn btn-primary" disabled={busy}>{busy ? t('common.saving') : submitLabel}</button>
      </div>
    </form>
  );
}
