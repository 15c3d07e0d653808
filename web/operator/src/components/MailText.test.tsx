import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLang } from '../i18n';
import { MailText } from './MailText';

let mount: HTMLElement;

beforeEach(() => {
  setLang('ru');
  document.body.innerHTML = '<div id="mount"></div>';
  mount = document.getElementById('mount')!;
});
afterEach(() => render(null, mount));

const quoting = { text: 'Спасибо, получила!', full_text: 'Спасибо, получила!\n\nАнна пишет:\n> Заказ передан в доставку.' };

describe('a mail with quoted history', () => {
  it('shows the new text and «Показать всё письмо», which shows the whole mail and folds back', () => {
    render(<MailText m={quoting} />, mount);
    const text = () => mount.querySelector('.msg-text')!.textContent;
    const toggle = () => mount.querySelector<HTMLButtonElement>('[data-testid="full-mail-toggle"]')!;
    expect(text()).toBe('Спасибо, получила!');
    expect(toggle().textContent).toBe('Показать всё письмо');
    expect(toggle().getAttribute('aria-expanded')).toBe('false');
    act(() => toggle().click());
    expect(text()).toBe(quoting.full_text);
    expect(toggle().textContent).toBe('Свернуть письмо');
    expect(toggle().getAttribute('aria-expanded')).toBe('true');
    act(() => toggle().click());
    expect(text()).toBe('Спасибо, получила!');
  });

  it('speaks English when asked', () => {
    setLang('en');
    render(<MailText m={quoting} />, mount);
    expect(mount.querySelector('[data-testid="full-mail-toggle"]')!.textContent).toBe('Show the whole mail');
  });

  it('a message without full_text has no toggle', () => {
    render(<MailText m={{ text: 'Привет' }} />, mount);
    expect(mount.querySelector('.msg-text')!.textContent).toBe('Привет');
    expect(mount.querySelector('[data-testid="full-mail-toggle"]')).toBeNull();
  });
});
