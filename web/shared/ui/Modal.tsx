// The one dialog of the apps: a focus trap any modal surface can use (useModalFocus), and the
// centred Modal built on it. The operator app and the cabinet style it (.backdrop, .modal,
// .modal-head, .modal-body, .modal-foot); the shared lightbox uses the trap alone.

import type { ComponentChildren, RefObject } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

/** What Tab moves between inside a trap. */
export const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), a[href], [tabindex="0"]';

/** The fields and buttons of a box that Tab may reach, in document order (hidden ones skipped). */
export function focusables(box: HTMLElement): HTMLElement[] {
  return Array.from(box.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => !el.closest('[hidden], [inert]'));
}

/**
 * Keeps Tab and Shift+Tab inside box: from the last element Tab goes to the first, from the
 * first (or from outside) Shift+Tab to the last. Returns true when it moved the focus itself.
 */
export function trapTab(box: HTMLElement, e: KeyboardEvent): boolean {
  if (e.key !== 'Tab') return false;
  const f = focusables(box);
  if (f.length === 0) return false;
  const i = f.indexOf(document.activeElement as HTMLElement);
  if (e.shiftKey && i <= 0) { e.preventDefault(); f[f.length - 1]!.focus(); return true; }
  if (!e.shiftKey && (i === -1 || i === f.length - 1)) { e.preventDefault(); f[0]!.focus(); return true; }
  return false;
}

/** How a modal surface takes the focus. */
export interface ModalFocusOptions {
  /** Esc anywhere closes it (absent: Esc does nothing, e.g. an offer that must be answered). */
  onClose?: (() => void) | undefined;
  /** Selectors of the element to focus first, tried in order (none matches: the first focusable). */
  initialFocus?: string[];
}

/**
 * Makes the element behind ref a modal surface while it is mounted: it takes the focus (the
 * first match of initialFocus, else the first focusable), Esc closes it wherever the focus is,
 * and the focus returns where it was when it goes. Tab is kept inside by the returned onKeyDown.
 */
export function useModalFocus(ref: RefObject<HTMLElement | null>, opts: ModalFocusOptions): (e: KeyboardEvent) => void {
  const onClose = useRef(opts.onClose);
  onClose.current = opts.onClose;
  // A layout effect: the dialog takes the focus and the Esc key in the same frame it appears.
  useLayoutEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const box = ref.current;
    if (box) {
      let first: HTMLElement | null = null;
      for (const sel of opts.initialFocus ?? []) if ((first = box.querySelector<HTMLElement>(sel))) break;
      (first ?? focusables(box)[0])?.focus();
    }
    const onEsc = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && onClose.current) {
        e.stopPropagation();
        e.preventDefault();
        onClose.current();
      }
    };
    document.addEventListener('keydown', onEsc, true);
    return () => {
      document.removeEventListener('keydown', onEsc, true);
      before?.focus?.();
    };
  }, []);
  return (e: KeyboardEvent) => { if (ref.current) trapTab(ref.current, e); };
}

/** A selector list limited to the descendants of part. */
function within(part: string, selector: string): string {
  return selector.split(',').map((s) => `${part} ${s.trim()}`).join(', ');
}

/** The props of Modal. */
export interface ModalProps {
  title: string;
  /** Esc, the backdrop and the ✕ button close it; absent: none of them does. */
  onClose?: (() => void) | undefined;
  children: ComponentChildren;
  footer?: ComponentChildren;
  wide?: boolean | undefined;
  /** data-testid of the dialog, for the end-to-end tests. */
  testId?: string | undefined;
  /**
   * The element to focus first: a selector looked for in the body, then in the footer
   * (default: the first field or button), or a list of selectors tried in order in the dialog.
   */
  initialFocus?: string | string[] | undefined;
  /** The ✕ button's name (in the app's language) and its icon. */
  closeLabel: string;
  closeIcon: ComponentChildren;
}

/** A centred dialog: Esc and the backdrop close it, Tab stays inside, focus returns afterwards. */
export function Modal({ title, onClose, children, footer, wide, testId, initialFocus, closeLabel, closeIcon }: ModalProps) {
  const box = useRef<HTMLDivElement>(null);
  const sel = initialFocus ?? 'input:not([disabled]), textarea:not([disabled]), select:not([disabled]), [data-autofocus], button:not([disabled])';
  const onKeyDown = useModalFocus(box, { onClose, initialFocus: typeof sel === 'string' ? [within('.modal-body', sel), within('.modal-foot', sel)] : sel });
  return (
    <div class="backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) onClose?.(); }}>
      <div class={'modal' + (wide ? ' modal-wide' : '')} role="dialog" aria-modal="true" aria-label={title} ref={box}
        onKeyDown={onKeyDown} data-testid={testId}>
        <header class="modal-head">
          <h2>{title}</h2>
          {onClose && <button type="button" class="icon-btn" onClick={onClose} title={closeLabel} aria-label={closeLabel}>{closeIcon}</button>}
        </header>
        <div class="modal-body">{children}</div>
        {footer && <footer class="modal-foot">{footer}</footer>}
      </div>
    </div>
  );
}
