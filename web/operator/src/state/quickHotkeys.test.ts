import { describe, expect, it } from 'vitest';
import { checkHotkey, eventHotkey, formatHotkey, hotkeyParts, recordKey, usedByText } from './quickHotkeys';

const key = (code: string, key: string, mods: Partial<Record<'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey', boolean>> = {}) =>
  new KeyboardEvent('keydown', { code, key, ...mods });

describe('recording a hotkey by physical key', () => {
  it('maps a Russian-layout key to its code: й is KeyQ', () => {
    expect(eventHotkey(key('KeyQ', 'й', { ctrlKey: true, altKey: true }))).toBe('Ctrl+Alt+KeyQ');
    expect(eventHotkey(key('KeyQ', 'q', { ctrlKey: true, altKey: true }))).toBe('Ctrl+Alt+KeyQ');
    expect(eventHotkey(key('Digit1', '!', { altKey: true, shiftKey: true }))).toBe('Alt+Shift+Digit1');
  });

  it('writes modifiers in the order Ctrl, Alt, Shift, Meta', () => {
    expect(recordKey(key('KeyB', 'и', { metaKey: true, shiftKey: true, ctrlKey: true })).hotkey).toBe('Ctrl+Shift+Meta+KeyB');
  });

  it('waits while only modifiers are held', () => {
    const r = recordKey(key('AltLeft', 'Alt', { altKey: true, ctrlKey: true }));
    expect(r.code).toBeNull();
    expect(r.hotkey).toBeNull();
    expect(hotkeyParts(r)).toEqual(['Ctrl', 'Alt']);
    expect(recordKey(key('ControlRight', 'Control', { ctrlKey: true })).hotkey).toBeNull();
  });

  it('shows hotkeys readably', () => {
    expect(formatHotkey('Ctrl+Alt+Digit1')).toBe('Ctrl+Alt+1');
    expect(formatHotkey('Alt+Shift+KeyQ')).toBe('Alt+Shift+Q');
    expect(formatHotkey('Ctrl+Alt+ArrowUp')).toBe('Ctrl+Alt+↑');
    expect(formatHotkey('Alt+Numpad3')).toBe('Alt+Num 3');
    expect(formatHotkey('Ctrl+Alt+Slash')).toBe('Ctrl+Alt+/');
  });
});

describe('the rules (as the server)', () => {
  it('accepts a modifier plus a key, in any modifier order, canonically', () => {
    expect(checkHotkey('Ctrl+Alt+Digit1')).toEqual({ ok: true, hotkey: 'Ctrl+Alt+Digit1' });
    expect(checkHotkey('Alt+Ctrl+KeyQ')).toEqual({ ok: true, hotkey: 'Ctrl+Alt+KeyQ' });
    expect(checkHotkey('Meta+Shift+KeyM')).toEqual({ ok: true, hotkey: 'Shift+Meta+KeyM' });
    expect(checkHotkey('Meta+Shift+KeyJ')).toMatchObject({ reason: 'reserved', usedBy: 'developer console' }); // as Ctrl+Shift+J
  });

  it('needs Ctrl, Alt or Meta', () => {
    expect(checkHotkey('Shift+KeyQ').reason).toBe('no_modifier');
    expect(checkHotkey('KeyQ').reason).toBe('no_modifier');
  });

  it('needs a key besides the modifiers', () => {
    expect(checkHotkey('Ctrl+Alt').reason).toBe('no_key');
    expect(checkHotkey('Ctrl').reason).toBe('no_key');
  });

  it('refuses what is not a key code', () => {
    expect(checkHotkey('Ctrl+q').reason).toBe('format');
    expect(checkHotkey('Ctrl+Ctrl+KeyQ').reason).toBe('format');
    expect(checkHotkey('Ctrl+KeyQ+KeyW').reason).toBe('format');
    expect(checkHotkey('Control+KeyQ').reason).toBe('format');
  });

  it('refuses combinations the browser, the system or the app use, saying which', () => {
    expect(checkHotkey('Ctrl+KeyC')).toMatchObject({ ok: false, reason: 'reserved', usedBy: 'copy' });
    expect(checkHotkey('Meta+KeyV')).toMatchObject({ reason: 'reserved', usedBy: 'paste' }); // ⌘ is Ctrl on a Mac
    expect(checkHotkey('Ctrl+Enter')).toMatchObject({ reason: 'reserved' });
    expect(checkHotkey('Ctrl+Tab')).toMatchObject({ reason: 'reserved' });
    expect(checkHotkey('Alt+F4')).toMatchObject({ reason: 'reserved', usedBy: 'close window' });
    expect(checkHotkey('Ctrl+Shift+F5')).toMatchObject({ reason: 'reserved', usedBy: 'reload the page' });
    // The operator app's own shortcuts.
    for (const k of ['Alt+KeyL', 'Alt+KeyR', 'Alt+KeyK', 'Alt+KeyT', 'Alt+KeyE', 'Alt+KeyS', 'Alt+Slash', 'Alt+ArrowDown', 'Alt+ArrowUp']) {
      expect(checkHotkey(k).reason, k).toBe('reserved');
    }
    expect(checkHotkey('Ctrl+Alt+KeyQ').ok).toBe(true);
  });

  it('says what a reserved combination does in Russian, the server\'s words included', () => {
    expect(usedByText('copy', 'ru')).toBe('копирование');
    expect(usedByText('reload the page', 'ru')).toBe('перезагрузка страницы');
    expect(usedByText('copy', 'en')).toBe('copy');
    expect(usedByText('something new', 'ru')).toBe('something new');
  });
});
