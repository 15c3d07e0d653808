// Quick-message hotkeys (DESIGN §2.8): recorded from the physical key (KeyboardEvent.code), so a
// combination works in the Russian and the English layout alike; written as the server stores
// them: modifiers in the order Ctrl, Alt, Shift, Meta, then one key code (`Ctrl+Alt+Digit1`).
// The rules are the server's (internal/quick/hotkey.go), repeated here for instant feedback.

export const MODIFIERS = ['Ctrl', 'Alt', 'Shift', 'Meta'] as const;

/** Key codes a hotkey may use (the server's keyCode pattern). */
const KEY_CODE = /^(Key[A-Z]|Digit[0-9]|Numpad[0-9]|F([1-9]|1[0-2])|Backquote|Minus|Equal|BracketLeft|BracketRight|Backslash|Semicolon|Quote|Comma|Period|Slash|Space|Enter|Tab|Escape|Backspace|Delete|Insert|Home|End|PageUp|PageDown|ArrowUp|ArrowDown|ArrowLeft|ArrowRight|NumpadAdd|NumpadSubtract|NumpadMultiply|NumpadDivide|NumpadDecimal|NumpadEnter)$/;

/** Codes of the modifier keys themselves. */
const MODIFIER_CODE = /^(Control|Alt|Shift|Meta|OS)(Left|Right)?$|^AltGraph$/;

type KeyLike = Pick<KeyboardEvent, 'code' | 'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey'>;

/** What a key press means while recording: the modifiers held, and the key if it is not one. */
export interface Recorded {
  mods: string[];
  /** The physical key, or null while only modifiers are held. */
  code: string | null;
  /** The canonical combination once a key is pressed (`Ctrl+Alt+KeyQ`). */
  hotkey: string | null;
}

/** Reads a key event by its physical key: `й` on the Russian layout is still KeyQ. */
export function recordKey(e: KeyLike): Recorded {
  const mods = MODIFIERS.filter((m) => (m === 'Ctrl' ? e.ctrlKey : m === 'Alt' ? e.altKey : m === 'Shift' ? e.shiftKey : e.metaKey));
  const code = !e.code || MODIFIER_CODE.test(e.code) ? null : e.code;
  return { mods: [...mods], code, hotkey: code ? [...mods, code].join('+') : null };
}

/** The hotkey a key event stands for, if it has a key besides the modifiers (for matching). */
export function eventHotkey(e: KeyLike): string | null {
  return recordKey(e).hotkey;
}

/** `{en, ru}`: what a reserved combination already does. */
type Use = [en: string, ru: string];

// What the browser, the OS and this app already do. The English texts are the server's
// `details.used_by`, so a server refusal is translated through this table too.
const USES: Record<string, Use> = {
  copy: ['copy', 'копирование'], paste: ['paste', 'вставка'], cut: ['cut', 'вырезание'], undo: ['undo', 'отмена действия'],
  redo: ['redo', 'повтор действия'], selectAll: ['select all', 'выделить всё'], find: ['find', 'поиск на странице'],
  reload: ['reload the page', 'перезагрузка страницы'], newTab: ['new tab', 'новая вкладка'],
  reopenTab: ['reopen closed tab', 'открыть закрытую вкладку'], closeTab: ['close tab', 'закрыть вкладку'],
  closeWindow: ['close window', 'закрыть окно'], newWindow: ['new window', 'новое окно'],
  privateWindow: ['new private window', 'окно инкогнито'], addressBar: ['address bar', 'адресная строка'],
  print: ['print', 'печать'], save: ['save page', 'сохранить страницу'], history: ['history', 'история браузера'],
  downloads: ['downloads', 'загрузки'], bookmark: ['bookmark', 'закладка'], openFile: ['open file', 'открыть файл'],
  source: ['page source', 'исходный код страницы'], findNext: ['find next', 'найти далее'], searchBar: ['search bar', 'строка поиска'],
  quit: ['quit browser', 'выход из браузера'], bold: ['bold / bookmarks', 'жирный шрифт / закладки'], italic: ['italic', 'курсив'],
  devtools: ['developer tools', 'инструменты разработчика'], console: ['developer console', 'консоль разработчика'],
  inspect: ['inspect element', 'просмотр элемента'], clearData: ['clear browsing data', 'очистка истории'],
  send: ['send (operator app)', 'отправка (приложение оператора)'], nextTab: ['next tab', 'следующая вкладка'],
  prevTab: ['previous tab', 'предыдущая вкладка'], deleteWord: ['delete word', 'удаление слова'],
  moveWord: ['move by word', 'переход по словам'], textStart: ['start of text', 'начало текста'], textEnd: ['end of text', 'конец текста'],
  zoomOut: ['zoom out', 'уменьшение масштаба'], zoomIn: ['zoom in', 'увеличение масштаба'], zoomReset: ['reset zoom', 'сброс масштаба'],
  back: ['back', 'назад'], forward: ['forward', 'вперёд'], home: ['home page', 'домашняя страница'],
  switchWindows: ['switch windows', 'переключение окон'], windowMenu: ['window menu', 'меню окна'],
  browserMenu: ['browser menu', 'меню браузера'], system: ['system', 'системное сочетание'],
  terminal: ['terminal (Linux)', 'терминал (Linux)'], lock: ['lock screen (Linux)', 'блокировка экрана (Linux)'],
  lockScreen: ['lock screen', 'блокировка экрана'], desktop: ['show desktop', 'показать рабочий стол'],
  files: ['file manager', 'файловый менеджер'], run: ['run dialog', 'окно «Выполнить»'], taskView: ['task view', 'переключение задач'],
  language: ['input language', 'смена раскладки'], switchTab: ['switch tab', 'переход на вкладку'],
  fullScreen: ['full screen', 'полноэкранный режим'],
  appTransfer: ['transfer dialog (operator app)', 'Передать (приложение оператора)'],
  appComment: ['reply / comment (operator app)', 'ответ / комментарий (приложение оператора)'],
  appClose: ['close the conversation (operator app)', 'Завершить (приложение оператора)'],
  appNext: ['next conversation (operator app)', 'следующее обращение (приложение оператора)'],
  appPrev: ['previous conversation (operator app)', 'предыдущее обращение (приложение оператора)'],
  appList: ['conversation list (operator app)', 'список обращений (приложение оператора)'],
  appComposer: ['reply field (operator app)', 'поле ответа (приложение оператора)'],
  appStatus: ['status menu (operator app)', 'меню статуса (приложение оператора)'],
  appHelp: ['shortcut list (operator app)', 'список горячих клавиш (приложение оператора)'],
  // Server texts for the app's own shortcuts that differ from ours (see docs/operator-app.md).
  srvComment: ['close dialog (operator app)', 'горячая клавиша приложения оператора'],
  srvMode: ['comment mode (operator app)', 'режим комментария (приложение оператора)'],
};

/** Reserved combinations (canonical form) → what they do. Meta is checked as Ctrl as well. */
const RESERVED: Record<string, keyof typeof USES> = {
  'Ctrl+KeyC': 'copy', 'Ctrl+KeyV': 'paste', 'Ctrl+KeyX': 'cut', 'Ctrl+KeyZ': 'undo', 'Ctrl+KeyY': 'redo',
  'Ctrl+Shift+KeyZ': 'redo', 'Ctrl+KeyA': 'selectAll', 'Ctrl+KeyF': 'find', 'Ctrl+KeyR': 'reload', 'Ctrl+Shift+KeyR': 'reload',
  'Ctrl+KeyT': 'newTab', 'Ctrl+Shift+KeyT': 'reopenTab', 'Ctrl+KeyW': 'closeTab', 'Ctrl+Shift+KeyW': 'closeWindow',
  'Ctrl+KeyN': 'newWindow', 'Ctrl+Shift+KeyN': 'privateWindow', 'Ctrl+KeyL': 'addressBar', 'Ctrl+KeyP': 'print',
  'Ctrl+KeyS': 'save', 'Ctrl+KeyH': 'history', 'Ctrl+KeyJ': 'downloads', 'Ctrl+KeyD': 'bookmark', 'Ctrl+KeyO': 'openFile',
  'Ctrl+KeyU': 'source', 'Ctrl+KeyG': 'findNext', 'Ctrl+KeyK': 'searchBar', 'Ctrl+KeyE': 'searchBar', 'Ctrl+KeyQ': 'quit',
  'Ctrl+KeyB': 'bold', 'Ctrl+KeyI': 'italic', 'Ctrl+Shift+KeyI': 'devtools', 'Ctrl+Shift+KeyJ': 'console',
  'Ctrl+Shift+KeyC': 'inspect', 'Ctrl+Shift+Delete': 'clearData', 'Ctrl+Enter': 'send', 'Ctrl+Tab': 'nextTab',
  'Ctrl+Shift+Tab': 'prevTab', 'Ctrl+PageUp': 'prevTab', 'Ctrl+PageDown': 'nextTab', 'Ctrl+Backspace': 'deleteWord',
  'Ctrl+Delete': 'deleteWord', 'Ctrl+ArrowLeft': 'moveWord', 'Ctrl+ArrowRight': 'moveWord', 'Ctrl+Home': 'textStart',
  'Ctrl+End': 'textEnd', 'Ctrl+Minus': 'zoomOut', 'Ctrl+Equal': 'zoomIn', 'Ctrl+Digit0': 'zoomReset', 'Ctrl+F4': 'closeTab',
  'Ctrl+F5': 'reload', 'Alt+F4': 'closeWindow', 'Alt+ArrowLeft': 'back', 'Alt+ArrowRight': 'forward', 'Alt+Home': 'home',
  'Alt+Tab': 'switchWindows', 'Alt+Space': 'windowMenu', 'Alt+KeyD': 'addressBar', 'Alt+KeyF': 'browserMenu',
  'Ctrl+Alt+Delete': 'system', 'Ctrl+Alt+KeyT': 'terminal', 'Ctrl+Alt+KeyL': 'lock', 'Meta+KeyL': 'lockScreen',
  'Meta+KeyD': 'desktop', 'Meta+KeyE': 'files', 'Meta+KeyR': 'run', 'Meta+Tab': 'taskView', 'Meta+Space': 'language',
  'Ctrl+Digit1': 'switchTab', 'Ctrl+Digit2': 'switchTab', 'Ctrl+Digit3': 'switchTab', 'Ctrl+Digit4': 'switchTab',
  'Ctrl+Digit5': 'switchTab', 'Ctrl+Digit6': 'switchTab', 'Ctrl+Digit7': 'switchTab', 'Ctrl+Digit8': 'switchTab',
  'Ctrl+Digit9': 'switchTab',
  // The operator app's own shortcuts (docs/operator-app.md, Shell.tsx).
  'Alt+ArrowDown': 'appNext', 'Alt+ArrowUp': 'appPrev', 'Alt+KeyL': 'appList', 'Alt+KeyR': 'appComposer',
  'Alt+KeyK': 'appComment', 'Alt+KeyT': 'appTransfer', 'Alt+KeyE': 'appClose', 'Alt+KeyS': 'appStatus', 'Alt+Slash': 'appHelp',
  'Alt+KeyM': 'srvMode',
};

/** Keys the browser takes whatever the modifiers. */
const BROWSER_KEYS: Record<string, keyof typeof USES> = { F5: 'reload', F11: 'fullScreen', F12: 'devtools' };

export type HotkeyReason = 'format' | 'no_modifier' | 'no_key' | 'reserved';

export interface HotkeyCheck {
  ok: boolean;
  /** The canonical form when ok. */
  hotkey?: string;
  reason?: HotkeyReason;
  /** For `reserved`: what the combination does, in the server's English words. */
  usedBy?: string;
}

/** Checks a combination with the server's rules (format, a modifier, a key, not reserved). */
export function checkHotkey(s: string): HotkeyCheck {
  const parts = s.trim().split('+');
  if (s.length > 64 || parts.length < 2) {
    // One part: a lone modifier has no key, a lone key no modifier (the server says `format` for both).
    const one = parts.length === 1 ? parts[0] : '';
    const reason = (MODIFIERS as readonly string[]).includes(one) ? 'no_key' : KEY_CODE.test(one) ? 'no_modifier' : 'format';
    return { ok: false, reason };
  }
  const mods = new Set<string>();
  let key = '';
  for (const p of parts) {
    if ((MODIFIERS as readonly string[]).includes(p)) {
      if (mods.has(p)) return { ok: false, reason: 'format' };
      mods.add(p);
    } else {
      if (key || !KEY_CODE.test(p)) return { ok: false, reason: 'format' };
      key = p;
    }
  }
  if (!key) return { ok: false, reason: 'no_key' };
  if (!mods.has('Ctrl') && !mods.has('Alt') && !mods.has('Meta')) return { ok: false, reason: 'no_modifier' };
  const canon = [...MODIFIERS.filter((m) => mods.has(m)), key].join('+');
  const check = [canon];
  if (mods.has('Meta') && !mods.has('Ctrl')) check.push('Ctrl+' + canon.replace('Meta+', ''));
  for (const c of check) {
    const use = RESERVED[c];
    if (use) return { ok: false, hotkey: canon, reason: 'reserved', usedBy: USES[use][0] };
  }
  const bk = BROWSER_KEYS[key];
  if (bk) return { ok: false, hotkey: canon, reason: 'reserved', usedBy: USES[bk][0] };
  return { ok: true, hotkey: canon };
}

/** What a reserved combination does, in the app's language (the server's English words otherwise). */
export function usedByText(usedBy: string, lang: 'ru' | 'en'): string {
  if (lang === 'en') return usedBy;
  const use = Object.values(USES).find(([en]) => en === usedBy);
  return use ? use[1] : usedBy;
}

const KEY_LABEL: Record<string, string> = {
  Backquote: '`', Minus: '-', Equal: '=', BracketLeft: '[', BracketRight: ']', Backslash: '\\', Semicolon: ';',
  Quote: "'", Comma: ',', Period: '.', Slash: '/', Space: 'Space', Escape: 'Esc', Delete: 'Del', Insert: 'Ins',
  PageUp: 'PgUp', PageDown: 'PgDn', ArrowUp: '↑', ArrowDown: '↓', ArrowLeft: '←', ArrowRight: '→',
  NumpadAdd: 'Num +', NumpadSubtract: 'Num -', NumpadMultiply: 'Num *', NumpadDivide: 'Num /', NumpadDecimal: 'Num .',
  NumpadEnter: 'Num Enter',
};

/** A key code as people read it: KeyQ → Q, Digit1 → 1, Numpad1 → Num 1, ArrowUp → ↑. */
export function keyLabel(code: string): string {
  if (/^Key[A-Z]$/.test(code)) return code.slice(3);
  if (/^Digit[0-9]$/.test(code)) return code.slice(5);
  if (/^Numpad[0-9]$/.test(code)) return 'Num ' + code.slice(6);
  return KEY_LABEL[code] ?? code;
}

/** A hotkey as people read it: `Ctrl+Alt+Digit1` → `Ctrl+Alt+1` (modifiers alone end in `+…`). */
export function formatHotkey(hotkey: string): string {
  const parts = hotkey.split('+').filter(Boolean);
  return parts.map((p) => ((MODIFIERS as readonly string[]).includes(p) ? p : keyLabel(p))).join('+');
}

/** The parts of a recorded combination for display (`['Ctrl', 'Alt', '1']`). */
export function hotkeyParts(r: Pick<Recorded, 'mods' | 'code'>): string[] {
  return [...r.mods, ...(r.code ? [keyLabel(r.code)] : [])];
}
