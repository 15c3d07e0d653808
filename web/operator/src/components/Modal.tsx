import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { t } from '../i18n';
import { IconX } from './icons';

interface Props {
  title: string;
  onClose?: () => void;
  children: ComponentChildren;
  footer?: ComponentChildren;
  wide?: boolean;
  /** data-testid of the dialog, for the end-to-end tests. */
  testId?: string;
  /** Element to focus first (defaults to the first field or button in the body). */
  initialFocus?: string;
}

/** A centred dialog: Esc and the backdrop close it, Tab stays inside, focus returns afterwards. */
export function Modal({ title, onClose, children, footer, wide, testId, initialFocus }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  // A layout effect: the dialog takes the focus and the Esc key in the same frame it appears.
  useLayoutEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const el = box.current;
    const sel = initialFocus ?? 'input:not([disabled]), textarea, [data-autofocus], button:not([disabled])';
    const first = el?.querySelector<HTMLElement>(`.modal-body ${sel}`) ?? el?.querySelector<HTMLElement>(`.modal-foot ${sel}`);
    first?.focus();
    // Esc closes the dialog wherever the focus is (it may still be on the page behind).
    const onEsc = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && onCloseRef.current) {
        e.stopPropagation();
        e.preventDefault();
        onCloseRef.current();
      }
    };
    document.addEventListener('keydown', onEsc, true);
    return () => {
      document.removeEventListener('keydown', onEsc, true);
      before?.focus?.();
    };
  }, []);

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'Tab' && box.current) {
      const f = Array.from(box.current.querySelectorAll<HTMLElement>('button:not([disabled]), input:not([disabled]), textarea, [tabindex="0"]'));
      if (f.length === 0) return;
      const i = f.indexOf(document.activeElement as HTMLElement);
      if (e.shiftKey && i <= 0) { e.preventDefault(); f[f.length - 1].focus(); }
      else if (!e.shiftKey && i === f.length - 1) { e.preventDefault(); f[0].focus(); }
    }
  }

  return (
    <div class="backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) onClose?.(); }}>
      <div class={'modal' + (wide ? ' modal-wide' : '')} role="dialog" aria-modal="true" aria-label={title} ref={box}
        onKeyDown={onKeyDown} data-testid={testId}>
        <header class="modal-head">
          <h2>{title}</h2>
          {onClose && <button class="icon-btn" onClick={onClose} title={t('dialog.close')} aria-label={t('dialog.close')}><IconX /></button>}
        </header>
        <div class="modal-body">{children}</div>
        {footer && <footer class="modal-foot">{footer}</footer>}
      </div>
    </div>
  );
}
