import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import type { QuickMessage } from '../api/types';
import { errorText } from '../controller';
import { getLang, t } from '../i18n';
import type { QuickCache } from '../state/quickStore';
import { type Recorded, checkHotkey, formatHotkey, hotkeyParts, recordKey, usedByText } from '../state/quickHotkeys';
import { IconKeyboard } from './icons';

/** A hotkey problem in words: what is wrong and why (client check or the server's refusal). */
export function hotkeyProblem(reason: string, hotkey: string, usedBy = ''): string {
  if (reason === 'reserved') return t('quick.hk.reserved', { hotkey: formatHotkey(hotkey), used: usedByText(usedBy, getLang()) });
  return t('quick.hk.' + reason);
}

/** The server's refusal of a hotkey, explained by `details.reason` / `used_by` / `quick_message_id`. */
export function hotkeyError(err: unknown, hotkey: string, cache: QuickCache): string {
  if (err instanceof ApiError && err.code === 'invalid_hotkey') {
    return hotkeyProblem(err.details.reason ?? 'format', err.details.hotkey || hotkey, err.details.used_by);
  }
  if (err instanceof ApiError && err.code === 'hotkey_taken') {
    const other = err.details.quick_message_id ? cache.byId(err.details.quick_message_id) : undefined;
    return other ? t('quick.hk.taken', { hotkey: formatHotkey(hotkey), title: other.title || t('quick.untitled') })
      : t('quick.hk.takenUnknown', { hotkey: formatHotkey(hotkey) });
  }
  return errorText(err);
}

/** The client-side check of a recorded combination: the rules, then uniqueness among the cached messages. */
export function hotkeyCheck(hotkey: string, self: QuickMessage, cache: QuickCache): { hotkey: string | null; error: string } {
  const c = checkHotkey(hotkey);
  if (!c.ok) return { hotkey: null, error: hotkeyProblem(c.reason!, c.hotkey ?? hotkey, c.usedBy) };
  const other = cache.byHotkey(c.hotkey!);
  if (other && other.id !== self.id) {
    return { hotkey: null, error: t('quick.hk.taken', { hotkey: formatHotkey(c.hotkey!), title: other.title || t('quick.untitled') }) };
  }
  return { hotkey: c.hotkey!, error: '' };
}

/**
 * «Назначить горячие клавиши»: the operator presses the combination (read by physical key, so the
 * layout does not matter), sees it written out and checked at once, and saves it.
 */
export function QuickHotkey({ m, cache }: { m: QuickMessage; cache: QuickCache }) {
  const [recording, setRecording] = useState(false);
  const [held, setHeld] = useState<Recorded | null>(null);
  const [ready, setReady] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const assign = useRef<HTMLButtonElement>(null);
  const wasRecording = useRef(false);

  useEffect(() => { setRecording(false); setHeld(null); setReady(null); setError(''); }, [m.id]);
  // Focus follows: into the box when recording starts, back to the button when it ends.
  useLayoutEffect(() => {
    if (recording) box.current?.focus();
    else if (wasRecording.current) assign.current?.focus();
    wasRecording.current = recording;
  }, [recording]);

  function start() {
    setRecording(true);
    setHeld(null);
    setReady(null);
    setError('');
  }

  function stop() {
    setRecording(false);
    setHeld(null);
    setReady(null);
  }

  async function save(hotkey: string | null) {
    setBusy(true);
    setError('');
    try {
      await cache.setHotkey(m.id, hotkey);
      stop();
    } catch (err) {
      setError(hotkey ? hotkeyError(err, hotkey, cache) : errorText(err));
    } finally {
      setBusy(false);
    }
  }

  function onKeyDown(e: KeyboardEvent) {
    const plain = !e.ctrlKey && !e.altKey && !e.metaKey && !e.shiftKey;
    if (plain && e.key === 'Tab') return; // keyboard users leave the box as usual
    e.preventDefault();
    e.stopPropagation();
    if (plain && e.code === 'Escape') { stop(); return; }
    if (plain && e.code === 'Enter' && ready) { void save(ready); return; }
    const r = recordKey(e);
    setHeld(r);
    if (!r.hotkey) return; // only modifiers so far
    const c = hotkeyCheck(r.hotkey, m, cache);
    setReady(c.hotkey);
    setError(c.error);
  }

  function onKeyUp(e: KeyboardEvent) {
    // Letting go of the modifiers before any key: start again.
    if (recording && held && !held.code) setHeld(recordKey(e).mods.length ? recordKey(e) : null);
  }

  const parts = held ? hotkeyParts(held) : [];
  return (
    <div class="quick-hotkey" data-testid="quick-hotkey"
      onKeyDown={(e) => { if (recording && e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); stop(); } }}>
      <div class="quick-hotkey-head">
        <span class="quick-label"><IconKeyboard size={16} />{t('quick.hotkey')}</span>
        {!recording && (m.hotkey
          ? <kbd class="kbd-lg" data-testid="quick-hotkey-value">{formatHotkey(m.hotkey)}</kbd>
          : <span class="muted">{t('quick.hotkeyNone')}</span>)}
      </div>
      {recording ? (
        <>
          <div ref={box} class={'hk-rec' + (error ? ' hk-bad' : ready ? ' hk-ok' : '')} tabIndex={0} role="textbox"
            aria-label={t('quick.record')} onKeyDown={onKeyDown} onKeyUp={onKeyUp} data-testid="quick-hotkey-recorder">
            {parts.length
              ? parts.map((p, i) => <>{i > 0 && <span class="hk-plus">+</span>}<kbd class="kbd-lg">{p}</kbd></>)
              : <span class="hk-wait">{t('quick.record')}</span>}
            {held && !held.code && <span class="hk-plus">+ …</span>}
          </div>
          {error ? <p class="form-error" role="alert" data-testid="quick-hotkey-error">{error}</p>
            : <p class="hint">{t(ready ? 'quick.recordReady' : 'quick.recordHint')}</p>}
          <div class="quick-actions">
            <button class="btn btn-small btn-primary" disabled={!ready || busy} onClick={() => ready && void save(ready)}
              data-testid="quick-hotkey-save">{t('quick.save')}</button>
            <button class="btn btn-small" onClick={stop}>{t('quick.cancel')}</button>
          </div>
        </>
      ) : (
        <>
          {m.hotkey && <p class="hint">{t('quick.hotkeyUse', { hotkey: formatHotkey(m.hotkey) })}</p>}
          {error && <p class="form-error" role="alert" data-testid="quick-hotkey-error">{error}</p>}
          <div class="quick-actions">
            <button ref={assign} class="btn btn-small" onClick={start} data-testid="quick-hotkey-assign">
              {m.hotkey ? t('quick.changeHotkey') : t('quick.assign')}</button>
            {m.hotkey && <button class="btn btn-small btn-ghost" disabled={busy} onClick={() => void save(null)}
              data-testid="quick-hotkey-remove">{t('quick.removeHotkey')}</button>}
          </div>
        </>
      )}
    </div>
  );
}
