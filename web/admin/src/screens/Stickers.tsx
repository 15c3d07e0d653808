import { useRef, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { StickerLimits, StickerPack } from '../api/types';
import { AddForm } from '../components/NameList';
import { Confirm, Empty, LoadError, Loading, PageHead, useLoad } from '../components/ui';
import { getLang, t } from '../i18n';
import { errorText } from '../lib/errors';
import { formatBytes } from '../lib/format';
import { showToast } from '../lib/toast';

const TYPES = ['image/png', 'image/webp', 'image/gif'];

/** Which chosen files cannot be uploaded, as texts; empty when all may go. */
export function checkStickerFiles(files: { name: string; type: string; size: number }[], have: number, limits: StickerLimits,
  lang: 'ru' | 'en' = 'ru'): string[] {
  const out: string[] = [];
  if (have + files.length > limits.max_stickers_per_pack) {
    out.push(t('stickers.tooMany', { n: limits.max_stickers_per_pack, left: Math.max(0, limits.max_stickers_per_pack - have) }));
  }
  for (const f of files) {
    if (!TYPES.includes(f.type)) out.push(t('stickers.badType', { name: f.name }));
    else if (f.size > limits.max_image_bytes) out.push(t('stickers.tooBig', { name: f.name, max: formatBytes(limits.max_image_bytes, lang) }));
  }
  return out;
}

interface Data {
  builtin: StickerPack[];
  packs: StickerPack[];
  limits: StickerLimits;
}

/** livedesk's own stickers (read-only) and the account's uploaded packs. */
export function Stickers() {
  const data = useLoad<Data>(async () => {
    const [all, own] = await Promise.all([api.allStickerPacks(), api.stickerPacks()]);
    return { builtin: all.items.filter((p) => p.builtin), packs: own.items, limits: own.limits };
  });
  const [deleting, setDeleting] = useState<StickerPack | null>(null);
  const d = data.data;
  const lang = getLang();

  async function refresh() {
    const own = await api.stickerPacks();
    if (d) data.set({ ...d, packs: own.items, limits: own.limits });
  }

  return (
    <section data-testid="screen-stickers">
      <PageHead title={t('nav.stickers')} intro={t('stickers.intro')} />
      {data.loading && !d && <Loading />}
      {data.error != null && !d && <LoadError error={data.error} retry={data.reload} />}
      {d && (
        <>
          <div class="panel">
            <h2 class="panel-title">{t('stickers.uploaded')} <span class="count">{d.packs.length} / {d.limits.max_packs}</span></h2>
            <p class="hint hint-top">{t('stickers.limits', { packs: d.limits.max_packs, per: d.limits.max_stickers_per_pack, size: formatBytes(d.limits.max_image_bytes, lang) })}</p>
            {d.packs.length < d.limits.max_packs ? (
              <AddForm label={t('stickers.newPack')} placeholder={t('stickers.packPlaceholder')} testId="pack-add"
                add={async (name) => {
                  const p = await api.createStickerPack(name);
                  data.set({ ...d, packs: [...d.packs, { ...p, stickers: p.stickers ?? [] }] });
                  showToast(t('stickers.packCreated', { name: p.name }));
                }} />
            ) : <p class="notice">{t('stickers.packLimit')}</p>}
            {d.packs.length === 0 && <Empty title={t('stickers.noPacks')}>{t('stickers.noPacksHint')}</Empty>}
          </div>
          {d.packs.map((p) => <PackPanel key={p.id} pack={p} limits={d.limits} onChanged={refresh} onDelete={() => setDeleting(p)} />)}
          {d.builtin.map((p) => (
            <div class="panel" key={p.id} data-testid="builtin-pack">
              <h2 class="panel-title">{p.name} <span class="tag">{t('stickers.builtin')}</span></h2>
              <p class="hint hint-top">{t('stickers.builtinHint')}</p>
              <StickerGrid pack={p} />
            </div>
          ))}
        </>
      )}
      {deleting && (
        <Confirm title={t('stickers.deleteTitle')} confirmLabel={t('common.delete')} onClose={() => setDeleting(null)}
          text={t('stickers.deleteText', { name: deleting.name })}
          onConfirm={async () => {
            await api.deleteStickerPack(deleting.id);
            if (d) data.set({ ...d, packs: d.packs.filter((p) => p.id !== deleting.id) });
            showToast(t('common.deleted', { name: deleting.name }));
          }} />
      )}
    </section>
  );
}

function StickerGrid({ pack }: { pack: StickerPack }) {
  if (!pack.stickers?.length) return <Empty title={t('stickers.emptyPack')}>{t('stickers.emptyPackHint')}</Empty>;
  return (
    <ul class="sticker-grid">
      {pack.stickers.map((s) => (
        <li key={s.id} class="sticker" title={s.name}>
          <img src={s.url} alt={s.name} loading="lazy" width={72} height={72} />
          <span class="sticker-name">{s.name}</span>
        </li>
      ))}
    </ul>
  );
}

function PackPanel({ pack, limits, onChanged, onDelete }: { pack: StickerPack; limits: StickerLimits; onChanged: () => Promise<void>; onDelete: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const count = pack.stickers?.length ?? 0;

  async function upload(list: FileList | null) {
    const files = Array.from(list ?? []);
    if (input.current) input.current.value = '';
    if (!files.length) return;
    const bad = checkStickerFiles(files, count, limits, getLang());
    setProblems(bad);
    if (bad.length) return;
    setBusy(true);
    try {
      await api.uploadStickers(pack.id, files);
      await onChanged();
      showToast(t('stickers.uploadedToast', { n: files.length }));
    } catch (err) {
      setProblems([errorText(err)]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="panel" data-testid="sticker-pack" data-name={pack.name}>
      <div class="panel-head">
        <h2 class="panel-title">{pack.name} <span class="count">{count} / {limits.max_stickers_per_pack}</span></h2>
        <div class="page-actions">
          <input ref={input} type="file" accept={TYPES.join(',')} multiple class="sr-only" id={'upload-' + pack.id}
            onChange={(e) => upload(e.currentTarget.files)} disabled={busy} data-testid="sticker-file" />
          <button type="button" class="btn" disabled={busy || count >= limits.max_stickers_per_pack} onClick={() => input.current?.click()}>
            {busy ? t('stickers.uploading') : t('stickers.upload')}
          </button>
          <button type="button" class="btn btn-danger-ghost" onClick={onDelete}>{t('stickers.deletePack')}</button>
        </div>
      </div>
      {problems.length > 0 && <ul class="form-error" role="alert">{problems.map((p) => <li key={p}>{p}</li>)}</ul>}
      <StickerGrid pack={pack} />
    </div>
  );
}
