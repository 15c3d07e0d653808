import { t } from '../i18n';
import { Modal } from './Modal';

/** The keyboard shortcuts; the same list is in docs/operator-app.md. */
export const SHORTCUTS: [string, string][] = [
  ['Alt+↓ / Alt+↑', 'help.nextPrev'],
  ['↓ ↑ Home End', 'help.listNav'],
  ['Enter', 'help.open'],
  ['← →', 'help.tabs'],
  ['Shift+F10', 'help.contextMenu'],
  ['Alt+L', 'help.list'],
  ['Alt+F', 'help.search'],
  ['Alt+R', 'help.composer'],
  ['Enter', 'help.send'],
  ['Shift+Enter', 'help.newline'],
  ['Alt+K', 'help.comment'],
  ['Alt+T', 'help.transfer'],
  ['Alt+E', 'help.closeConv'],
  ['Alt+S', 'help.status'],
  ['Alt+/', 'help.help'],
  ['Tab / Enter', 'help.suggest'],
  ['Ctrl/Alt+…', 'help.quickHotkey'],
  ['Shift+F10 / ContextMenu', 'help.spell'],
  ['Esc', 'help.escape'],
];

export function HelpDialog({ onDone }: { onDone: () => void }) {
  return (
    <Modal title={t('help.title')} onClose={onDone} testId="help-dialog">
      <table class="keys">
        <tbody>
          {SHORTCUTS.map(([k, what]) => (
            <tr><td>{k.split(' / ').map((part, i) => <>{i > 0 && ' / '}<kbd>{part}</kbd></>)}</td><td>{t(what)}</td></tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}
