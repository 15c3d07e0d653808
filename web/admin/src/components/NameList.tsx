import { useState } from 'preact/hooks';
import { DownIcon, EditIcon, TrashIcon, UpIcon } from './icons';
import type { Category } from '../api/types';
import { t } from '../i18n';
import { errorText } from '../lib/errors';
import { sortByPosition } from '../lib/reorder';
import { showToast } from '../lib/toast';

interface Props {
  items: Category[];
  label: string;
  rename: (c: Category, name: string) => Promise<void>;
  move: (c: Category, dir: -1 | 1) => Promise<void>;
  remove: (c: Category) => void;
  selected?: string;
  onSelect?: (c: Category) => void;
  /** A note after the name (e.g. how many messages). */
  note?: (c: Category) => string;
}

/** An ordered list of named things: rename in place, move up and down, delete. */
export function NameList({ items, label, rename, move, remove, selected, onSelect, note }: Props) {
  const [editing, setEditing] = useState<string | null>(null);
  const [moving, setMoving] = useState(false);
  const list = sortByPosition(items);

  async function doMove(c: Category, dir: -1 | 1) {
    setMoving(true);
    try {
      await move(c, dir);
    } catch (err) {
      showToast(errorText(err), 'error');
    } finally {
      setMoving(false);
    }
  }

  return (
    <ul class="name-list" aria-label={label}>
      {list.map((c, i) => (
        <li key={c.id} class={'name-row' + (selected === c.id ? ' active' : '')} data-testid="name-row" data-name={c.name}>
          {editing === c.id ? (
            <RenameForm item={c} save={async (name) => { await rename(c, name); setEditing(null); }} cancel={() => setEditing(null)} />
          ) : (
            <>
              {onSelect ? (
                <button type="button" class="name-main" onClick={() => onSelect(c)} aria-current={selected === c.id ? 'true' : undefined}>
                  <span class="name-text">{c.name}</span>{note && <span class="count">{note(c)}</span>}
                </button>
              ) : <span class="name-main"><span class="name-text">{c.name}</span>{note && <span class="count">{note(c)}</span>}</span>}
              <span class="row-tools">
                <button type="button" class="icon-btn" disabled={moving || i === 0} onClick={() => doMove(c, -1)}
                  aria-label={t('list.up', { name: c.name })} title={t('list.upShort')}><UpIcon /></button>
                <button type="button" class="icon-btn" disabled={moving || i === list.length - 1} onClick={() => doMove(c, 1)}
                  aria-label={t('list.down', { name: c.name })} title={t('list.downShort')}><DownIcon /></button>
                <button type="button" class="icon-btn" onClick={() => setEditing(c.id)} aria-label={t('list.rename', { name: c.name })}
                  title={t('list.renameShort')} data-testid="rename"><EditIcon /></button>
                <button type="button" class="icon-btn icon-danger" onClick={() => remove(c)} aria-label={t('list.delete', { name: c.name })}
                  title={t('common.delete')} data-testid="delete"><TrashIcon /></button>
              </span>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

function RenameForm({ item, save, cancel }: { item: Category; save: (name: string) => Promise<void>; cancel: () => void }) {
  const [name, setName] = useState(item.name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  async function submit(e: Event) {
    e.preventDefault();
    if (!name.trim()) return setError(t('form.required'));
    if (name.trim() === item.name) return cancel();
    setBusy(true);
    try {
      await save(name.trim());
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  }
  return (
    <form class="rename-form" onSubmit={submit} onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); cancel(); } }}>
      <input value={name} maxLength={100} autoFocus aria-label={t('list.newName')} aria-invalid={error ? true : undefined}
        onInput={(e) => { setName(e.currentTarget.value); setError(''); }} data-testid="rename-input" />
      <button type="submit" class="btn btn-small btn-primary" disabled={busy}>{busy ? t('common.saving') : t('common.save')}</button>
      <button type="button" class="btn btn-small" onClick={cancel}>{t('common.cancel')}</button>
      {error && <p class="field-error" role="alert">{error}</p>}
    </form>
  );
}

/** A one-line "add" form that keeps the text when the server refuses it. */
export function AddForm({ label, placeholder, add, testId, maxLength = 100 }: {
  label: string; placeholder: string; add: (name: string) => Promise<void>; testId?: string; maxLength?: number;
}) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  async function submit(e: Event) {
    e.preventDefault();
    if (!name.trim()) return setError(t('form.required'));
    setBusy(true);
    setError('');
    try {
      await add(name.trim());
      setName('');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="add-form" onSubmit={submit} data-testid={testId}>
      <input value={name} placeholder={placeholder} aria-label={label} maxLength={maxLength} aria-invalid={error ? true : undefined}
        onInput={(e) => { setName(e.currentTarget.value); setError(''); }} />
      <button type="submit" class="btn btn-primary" disabled={busy}>{busy ? t('common.adding') : t('common.add')}</button>
      {error && <p class="field-error" role="alert">{error}</p>}
    </form>
  );
}
