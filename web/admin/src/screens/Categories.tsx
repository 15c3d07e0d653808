import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Category } from '../api/types';
import { AddForm, NameList } from '../components/NameList';
import { Confirm, Empty, LoadError, Loading, PageHead, useLoad } from '../components/ui';
import { t } from '../i18n';
import { applyPositions, moveUpdates, nextPosition } from '../lib/reorder';
import { showToast } from '../lib/toast';

/** Conversation categories: what operators pick when they close a conversation. */
export function Categories() {
  const cats = useLoad(() => api.categories().then((r) => r.items));
  const [deleting, setDeleting] = useState<Category | null>(null);
  const list = cats.data ?? [];

  return (
    <section data-testid="screen-categories" class="narrow">
      <PageHead title={t('nav.categories')} intro={t('categories.intro')} />
      {cats.loading && !cats.data && <Loading />}
      {cats.error != null && !cats.data && <LoadError error={cats.error} retry={cats.reload} />}
      {cats.data && (
        <div class="panel">
          <AddForm label={t('categories.new')} placeholder={t('categories.placeholder')} testId="category-add"
            add={async (name) => {
              const c = await api.createCategory(name, nextPosition(list));
              cats.set([...list, c]);
              showToast(t('categories.added', { name: c.name }));
            }} />
          {list.length === 0 ? <Empty title={t('categories.empty')}>{t('categories.emptyHint')}</Empty> : (
            <NameList items={list} label={t('nav.categories')}
              rename={async (c, name) => {
                const n = await api.updateCategory(c.id, { name });
                cats.set(list.map((x) => (x.id === c.id ? n : x)));
                showToast(t('common.renamed', { name: n.name }));
              }}
              move={async (c, dir) => {
                const ups = moveUpdates(list, c.id, dir);
                try {
                  for (const u of ups) await api.updateCategory(u.id, { position: u.position });
                  cats.set(applyPositions(list, ups));
                } catch (err) {
                  await cats.reload(); // some positions may have changed
                  throw err;
                }
              }}
              remove={setDeleting} />
          )}
        </div>
      )}
      {deleting && (
        <Confirm title={t('categories.deleteTitle')} text={t('categories.deleteText', { name: deleting.name })} confirmLabel={t('common.delete')}
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await api.deleteCategory(deleting.id);
            cats.set(list.filter((x) => x.id !== deleting.id));
            showToast(t('common.deleted', { name: deleting.name }));
          }} />
      )}
    </section>
  );
}
