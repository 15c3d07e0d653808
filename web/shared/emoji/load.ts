import { emojiDataPath } from 'virtual:livedesk-emoji';
import type { EmojiData } from './data';

let cached: Promise<EmojiData> | null = null;

/**
 * Fetches the emoji data from livedesk (base: its origin, '' for the operator app) once per
 * page; a failure is forgotten so that the next opening of the picker tries again.
 */
export function loadEmojiData(base = '', fetchFn: typeof fetch = (u, i) => fetch(u, i)): Promise<EmojiData> {
  cached ??= fetchFn(base + emojiDataPath, { credentials: 'omit', mode: 'cors' }).then((r) => {
    if (!r.ok) throw new Error('emoji data: HTTP ' + r.status);
    return r.json() as Promise<EmojiData>;
  }).catch((e) => {
    cached = null;
    throw e;
  });
  return cached;
}
