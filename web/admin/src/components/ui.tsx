import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Modal as SharedModal } from '../../../shared/ui/Modal';
import { t } from '../i18n';
import { errorText } from '../lib/errors';
import { type Toast, dismissToast, showToast, subscribeToasts } from '../lib/toast';

/** A labelled form field with an optional hint and error under it (linked by aria-describedby). */
export function Field({ label, id, error, hint, children, inline }: {
  label: string; id: string; error?: string | null; hint?: ComponentChildren; children: ComponentChildren; inline?: boolean;
}) {
  return (
    <div class={'field' + (inline ? ' field-inline' : '') + (error ? ' field-invalid' : '')}>
      <label for={id}>{label}</label>
      {children}
      {hint && !error && <p class="hint" id={id + '-hint'}>{hint}</p>}
      {error && <p class="field-error" id={id + '-error'} role="alert">{error}</p>}
    </div>
  );
}

/** aria attributes of an input inside Field. */
export function described(id: string, error?: string | null, hint?: boolean): { id: string; 'aria-invalid'?: boolean | undefined; 'aria-describedby'?: string | undefined } {
  return {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? id + '-error' : hint ? id + '-hint' : undefined,
  };
}

interface ModalProps {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  footer?: ComponentChildren;
  testId?: string;
  wide?: boolean;
}

/** The shared dialog (shared/ui/Modal): Esc and the backdrop close it, Tab stays inside, focus returns afterwards. */
export function Modal(p: ModalProps) {
  // The first field of the body, else the first button of the footer.
  return <SharedModal {...p} closeLabel={t('common.close')} closeIcon="✕"
    initialFocus={['.modal-body input:not([disabled]), .modal-body textarea, .modal-body select, .modal-foot button:not([disabled])']} />;
}

/** "Are you sure?" for destructive actions; the action runs with the button disabled. */
export function Confirm({ title, text, confirmLabel, onConfirm, onClose }: {
  title: string; text: ComponentChildren; confirmLabel: string; onConfirm: () => Promise<void>; onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  async function go() {
    setBusy(true);
    setError('');
    try {
      await onConfirm();
      onClose();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  }
  return (
    <Modal title={title} onClose={onClose} testId="confirm"
      footer={<>
        <button type="button" class="btn" onClick={onClose}>{t('common.cancel')}</button>
        <button type="button" class="btn btn-danger" onClick={go} disabled={busy}>{busy ? t('common.working') : confirmLabel}</button>
      </>}>
      <p class="confirm-text">{text}</p>
      {error && <p class="form-error" role="alert">{error}</p>}
    </Modal>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty" data-testid="empty">
      <p class="empty-title">{title}</p>
      {children && <p class="empty-text">{children}</p>}
    </div>
  );
}

export function Loading() {
  return <div class="loading" role="status" aria-live="polite"><span class="spinner" aria-hidden="true" />{t('common.loading')}</div>;
}

export function LoadError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <div class="load-error" role="alert" data-testid="load-error">
      <p>{t('common.loadFailed')}</p>
      <p class="muted">{errorText(error)}</p>
      <button type="button" class="btn" onClick={retry}>{t('common.retry')}</button>
    </div>
  );
}

/** The page header of a section: title, a sentence about it and actions on the right. */
export function PageHead({ title, intro, children }: { title: string; intro?: ComponentChildren; children?: ComponentChildren }) {
  return (
    <header class="page-head">
      <div>
        <h1>{title}</h1>
        {intro && <p class="page-intro">{intro}</p>}
      </div>
      {children && <div class="page-actions">{children}</div>}
    </header>
  );
}

/** Loads data on mount; `reload` fetches again and keeps the old data while it runs. */
export function useLoad<T>(fn: () => Promise<T>): { data: T | undefined; error: unknown; loading: boolean; reload: () => Promise<void>; set: (v: T) => void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const alive = useRef(true);
  async function reload() {
    setLoading(true);
    try {
      const v = await fn();
      if (!alive.current) return;
      setData(v);
      setError(null);
    } catch (err) {
      if (alive.current) setError(err);
    } finally {
      if (alive.current) setLoading(false);
    }
  }
  useEffect(() => {
    alive.current = true;
    void reload();
    return () => { alive.current = false; };
  }, []);
  return { data, error, loading, reload, set: setData };
}

/** Runs a mutating action with a busy flag; reports failures as a toast and rethrows nothing. */
export function useAction(): [boolean, (fn: () => Promise<unknown>, ok?: string) => Promise<boolean>] {
  const [busy, setBusy] = useState(false);
  async function run(fn: () => Promise<unknown>, ok?: string): Promise<boolean> {
    setBusy(true);
    try {
      await fn();
      if (ok) showToast(ok);
      return true;
    } catch (err) {
      showToast(errorText(err), 'error');
      return false;
    } finally {
      setBusy(false);
    }
  }
  return [busy, run];
}

export function Toasts() {
  const [list, setList] = useState<Toast[]>([]);
  useEffect(() => subscribeToasts(setList), []);
  return (
    <div class="toasts" aria-live="polite">
      {list.map((x) => <ToastItem key={x.id} toast={x} />)}
    </div>
  );
}

function ToastItem({ toast }: { toast: Toast }) {
  useEffect(() => {
    const timer = setTimeout(() => dismissToast(toast.id), toast.tone === 'error' ? 10_000 : 5_000);
    return () => clearTimeout(timer);
  }, []);
  return (
    <div class={'toast toast-' + toast.tone} role={toast.tone === 'error' ? 'alert' : 'status'} data-testid="toast" data-tone={toast.tone}>
      <span class="toast-icon" aria-hidden="true">{toast.tone === 'error' ? '!' : '✓'}</span>
      <span class="toast-text">{toast.text}</span>
      <button type="button" class="icon-btn" onClick={() => dismissToast(toast.id)} aria-label={t('common.close')}>✕</button>
    </div>
  );
}
