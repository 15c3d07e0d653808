import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Modal, trapTab } from './Modal';

let mount: HTMLElement;
let opener: HTMLButtonElement;

beforeEach(() => {
  document.body.innerHTML = '<button id="opener">open</button><div id="mount"></div>';
  opener = document.getElementById('opener') as HTMLButtonElement;
  mount = document.getElementById('mount')!;
  opener.focus();
});
afterEach(() => render(null, mount));

function tab(shift = false) {
  const e = new KeyboardEvent('keydown', { key: 'Tab', shiftKey: shift, bubbles: true, cancelable: true });
  (document.activeElement ?? document.body).dispatchEvent(e);
  // A browser moves the focus itself when nothing prevented the key; here only the trap moves it.
  return e.defaultPrevented;
}

function dialog(onClose?: () => void, initialFocus?: string | string[]) {
  render(
    <Modal title="Передать" onClose={onClose} closeLabel="Закрыть" closeIcon="✕" testId="d" initialFocus={initialFocus}
      footer={<><button id="cancel">Отмена</button><button id="ok" disabled>OK</button></>}>
      <button id="inner">выбрать</button>
      <input id="name" />
      <textarea id="text" disabled />
    </Modal>, mount);
}

describe('the modal focus trap', () => {
  it('takes the focus: the first field or button of the body', () => {
    dialog(() => {});
    expect(document.activeElement?.id).toBe('inner');
  });

  it('a selector of the body, or a list of selectors tried in order', () => {
    dialog(() => {}, 'input');
    expect(document.activeElement?.id).toBe('name');
    render(null, mount);
    dialog(() => {}, ['.nothing', '.modal-foot button']);
    expect(document.activeElement?.id).toBe('cancel');
  });

  it('Tab from the last goes to the first, Shift+Tab from the first to the last; disabled ones are skipped', () => {
    dialog(() => {});
    (document.getElementById('cancel') as HTMLElement).focus(); // the last enabled one (OK is disabled)
    expect(tab()).toBe(true);
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Закрыть'); // the ✕ of the header is first
    expect(tab(true)).toBe(true);
    expect(document.activeElement?.id).toBe('cancel');
    (document.getElementById('name') as HTMLElement).focus();
    expect(tab()).toBe(false); // inside: the browser moves on
  });

  it('Esc closes it wherever the focus is, and the focus returns to where it was', () => {
    const onClose = vi.fn();
    dialog(onClose);
    opener.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
    expect(onClose).toHaveBeenCalledTimes(1);
    render(null, mount);
    expect(document.activeElement).toBe(opener);
  });

  it('without onClose: no ✕ button, Esc and the backdrop do nothing', () => {
    dialog(undefined);
    expect(mount.querySelector('[aria-label="Закрыть"]')).toBeNull();
    const e = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    document.activeElement!.dispatchEvent(e);
    expect(e.defaultPrevented).toBe(false);
    mount.querySelector('.backdrop')!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
    expect(mount.querySelector('[data-testid=d]')).not.toBeNull();
  });

  it('trapTab on a box without anything focusable leaves Tab alone', () => {
    const box = document.createElement('div');
    expect(trapTab(box, new KeyboardEvent('keydown', { key: 'Tab' }))).toBe(false);
  });
});
