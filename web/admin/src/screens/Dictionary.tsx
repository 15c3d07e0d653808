import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { AddForm } from '../components/NameList';
import { Empty, LoadError, Loading, PageHead, useAction, useLoad } from '../components/ui';
import { t } from '../i18n';

/** Words matching a filter (case-insensitive, ё = е), sorted alphabetically. */
export function filterWords(words: string[], q: string): string[] {
  const fold = (s: string) => s.toLocaleLowerCase('ru').replace(/ё/g, 'е');
  const f = fold(q.trim());
  return words.filter((w) => fold(w).includes(f)).sort((a, b) => a.localeCompare(b, 'ru'));
}

/** The account's spell-check dictionary: words nobody's composer underlines. */
export function Dictionary() {
  const words = useLoad(() => api.dictionary().then((r) => r.items.map((i) => i.word)));
  const [q, setQ] = useState('');
  const [removing, setRemoving] = useState('');
  const [, run] = useAction();
  const list = words.data ?? [];
  const shown = filterWords(list, q);

  return (
    <section data-testid="screen-dictionary" class="narrow">
      <PageHead title={t('nav.dictionary')} intro={t('dictionary.intro')} />
      {words.loading && !words.data && <Loading />}
      {words.error != null && !words.data && <LoadError error={words.error} retry={words.reload} />}
      {words.data && (
        <div class="panel">
          <AddForm label={t('dictionary.new')} placeholder={t('dictionary.placeholder')} testId="word-add" maxLength={64}
            add={async (w) => {
              const r = await api.addWord(w);
              if (!list.some((x) => x.toLocaleLowerCase() === r.word.toLocaleLowerCase())) words.set([...list, r.word]);
              setQ('');
            }} />
          <div class="filter-row">
            <input type="search" value={q} placeholder={t('dictionary.filter')} aria-label={t('dictionary.filter')}
              onInput={(e) => setQ(e.currentTarget.value)} />
            <span class="muted small">{t('dictionary.count', { n: shown.length, total: list.length })}</span>
          </div>
          {list.length === 0 ? <Empty title={t('dictionary.empty')}>{t('dictionary.emptyHint')}</Empty>
            : shown.length === 0 ? <Empty title={t('dictionary.noMatch')} /> : (
              <ul class="chips" data-testid="words">
                {shown.map((w) => (
                  <li key={w} class="chip" data-testid="word">
                    <span>{w}</span>
                    <button type="button" class="chip-x" aria-label={t('dictionary.remove', { word: w })} title={t('dictionary.remove', { word: w })}
                      disabled={removing === w}
                      onClick={async () => {
                        setRemoving(w);
                        const ok = await run(() => api.removeWord(w), t('dictionary.removed', { word: w }));
                        if (ok) words.set(list.filter((x) => x !== w));
                        setRemoving('');
                      }}>✕</button>
                  </li>
                ))}
              </ul>
            )}
        </div>
      )}
    </section>
  );
}
