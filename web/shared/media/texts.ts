// Texts of the shared media parts (emoji and sticker picker, attachments), Russian and English.

export type MediaLang = 'ru' | 'en';

const ru = {
  emoji: 'Эмодзи',
  stickers: 'Стикеры',
  pickerTitle: 'Эмодзи и стикеры',
  search: 'Поиск эмодзи',
  recent: 'Недавние',
  noResults: 'Ничего не нашлось',
  loading: 'Загрузка…',
  loadFailed: 'Не удалось загрузить. Попробуйте ещё раз.',
  retry: 'Повторить',
  skinTone: 'Тон кожи',
  tones: ['Без тона', 'Светлый', 'Умеренно светлый', 'Средний', 'Умеренно тёмный', 'Тёмный'],
  noStickers: 'Стикеров пока нет',
  stickersInComment: 'Стикеры отправляются посетителю, а не в комментарий',
  sticker: 'Стикер',
  attach: 'Прикрепить файлы',
  remove: 'Убрать',
  uploading: 'Загрузка',
  uploadFailed: 'Не загрузился',
  tooManyFiles: 'Не больше 5 файлов за раз',
  tooLarge: 'Файлы вместе больше 25 МБ (26 214 400 байт)',
  expired: 'Файл удалён: истёк срок хранения (1 месяц)',
  download: 'Скачать',
  open: 'Открыть',
  close: 'Закрыть',
  dropHere: 'Отпустите, чтобы прикрепить',
  units: ['Б', 'КБ', 'МБ', 'ГБ'],
};

export type MediaTexts = typeof ru;

const en: MediaTexts = {
  emoji: 'Emoji',
  stickers: 'Stickers',
  pickerTitle: 'Emoji and stickers',
  search: 'Search emoji',
  recent: 'Recently used',
  noResults: 'Nothing found',
  loading: 'Loading…',
  loadFailed: 'Could not load. Try again.',
  retry: 'Retry',
  skinTone: 'Skin tone',
  tones: ['Default', 'Light', 'Medium-light', 'Medium', 'Medium-dark', 'Dark'],
  noStickers: 'No stickers yet',
  stickersInComment: 'Stickers go to the visitor, not into a comment',
  sticker: 'Sticker',
  attach: 'Attach files',
  remove: 'Remove',
  uploading: 'Uploading',
  uploadFailed: 'Upload failed',
  // The server's own messages (too_many_files, too_large).
  tooManyFiles: 'at most 5 files can be sent at once',
  tooLarge: 'the files are larger than 25 MiB (26214400 bytes) together',
  expired: 'File deleted: its storage period (1 month) is over',
  download: 'Download',
  open: 'Open',
  close: 'Close',
  dropHere: 'Drop to attach',
  units: ['B', 'KB', 'MB', 'GB'],
};

export function mediaTexts(lang: MediaLang): MediaTexts {
  return lang === 'en' ? en : ru;
}

/** A size for people: 512 Б, 1,5 КБ, 23 МБ. */
export function formatSize(bytes: number, lang: MediaLang): string {
  const u = mediaTexts(lang).units;
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < u.length - 1) {
    v /= 1024;
    i++;
  }
  const s = i === 0 ? String(v) : v.toLocaleString(lang === 'en' ? 'en-US' : 'ru-RU', { maximumFractionDigits: v < 10 ? 1 : 0 });
  return s + '\u00a0' + u[i];
}
