import type { ComponentChildren } from 'preact';
import { Modal as SharedModal } from '../../../shared/ui/Modal';
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

/** The shared dialog (shared/ui/Modal) with the app's close button: Esc and the backdrop close it, Tab stays inside. */
export function Modal(p: Props) {
  return <SharedModal {...p} closeLabel={t('dialog.close')} closeIcon={<IconX />} />;
}
