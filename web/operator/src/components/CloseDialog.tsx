import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Category, ID } from '../api/types';
import { type Controller, errorText } from '../controller';
import { t } from '../i18n';
import { IconSearch } from './icons';
import { Modal } from './Modal';

/** Case- and ё-insensitive match of every word of the query. */
function matches(name: string, query: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/ё/g, 'е');
  const n = norm(name);
  return norm(query).split(/\s+/).filter(Boolean).every((w) => n.includes(w));
}

/** Завершить: pick the conversation category (required when the account has any), then close. */
export function CloseDialog({ ctl, id, onDone }: { ctl: Controller; id: ID; onDone: () => void }) {
  const [cats, setCats] = useState<Category[] | null>(null);
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<ID | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    ctl.categories().then(setCats, (err) => { setCats([]); setError(errorText(err)); });
  }, []);

  const shown = useMemo(() => (cats ?? []).filter((c) => matches(c.name, query)), [cats, query]);
  const required = (cats?.length ?? 0) > 0;

  async function submit(e?: Event) {
    e?.preventDefault();
    if (cats === null || (required && !chosen)) {
      if (required) setError(t('close.required'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      await ctl.close(id, chosen);
      onDone();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title={t('close.title')} onClose={onDone} testId="close-dialog"
      footer={<>
        <button class="btn" onClick={onDone}>{t('dialog.cancel')}</button>
        <button class="btn btn-primary" disabled={busy || cats === null || (required && !chosen)} onClick={submit}
          data-testid="close-submit" title={required && !chosen ? t('close.required') : undefined}>{t('close.submit')}</button>
      </>}>
      <form onSubmit={submit}>
        {cats !== null && !required && <p class="muted">{t('close.none')}</p>}
        {required && (
          <>
            {cats!.length > 5 && (
              <label class="search">
                <IconSearch size={16} />
                <input type="search" placeholder={t('close.search')} value={query} aria-label={t('close.search')}
                  data-testid="category-search" onInput={(e) => setQuery(e.currentTarget.value)}
                  onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); if (shown.length === 1) setChosen(shown[0].id); } }} />
              </label>
            )}
            <fieldset class="pick-list cat-list" role="radiogroup" aria-label={t('close.category')}>
              <legend>{t('close.category')}</legend>
              {shown.length === 0 && <p class="muted">{t('close.noMatch')}</p>}
              {shown.map((c) => (
                <label class={'pick pick-cat' + (chosen === c.id ? ' chosen' : '')} data-testid="category">
                  <input type="radio" name="category" value={c.id} checked={chosen === c.id} onChange={() => setChosen(c.id)} />
                  <span class="pick-name">{c.name}</span>
                </label>
              ))}
            </fieldset>
            {!chosen && <p class="hint">{t('close.required')}</p>}
          </>
        )}
        {error && <p class="form-error" role="alert" data-testid="close-error">{error}</p>}
      </form>
    </Modal>
  );
}
