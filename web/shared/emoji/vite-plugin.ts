// A Vite plugin that prepares the emoji data (data.ts) from emojibase-data at build time.
// Both apps import `virtual:livedesk-emoji`, which names the file (content-hashed, so it can
// be cached for good); the widget's build writes it next to widget.js (dist/widget/), and
// livedesk serves it at /widget/emoji-<hash>.json to the operator app and, with CORS, to the
// widget on other sites. Nothing of it is in either app's initial script.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';
import { buildEmojiData } from './data';

const VIRTUAL = 'virtual:livedesk-emoji';
const RESOLVED = '\0' + VIRTUAL;

function prepare(): { json: string; file: string } {
  const req = createRequire(import.meta.url);
  const read = (p: string) => JSON.parse(readFileSync(req.resolve('emojibase-data/' + p), 'utf8'));
  const version = read('package.json').version as string;
  const data = buildEmojiData(read('en/compact.json'), read('ru/compact.json'), read('en/messages.json'), read('ru/messages.json'), version);
  const json = JSON.stringify(data);
  const hash = createHash('sha256').update(json).digest('hex').slice(0, 12);
  return { json, file: `emoji-${hash}.json` };
}

/** emit: write the data file into this build's output (the widget build does). */
export function emojiData(opts: { emit: boolean }): Plugin {
  let prepared: { json: string; file: string } | null = null;
  const get = () => (prepared ??= prepare());
  return {
    name: 'livedesk-emoji-data',
    resolveId(id) {
      return id === VIRTUAL ? RESOLVED : null;
    },
    load(id) {
      if (id !== RESOLVED) return null;
      return `export const emojiDataPath = ${JSON.stringify('/widget/' + get().file)};`;
    },
    generateBundle() {
      if (opts.emit) this.emitFile({ type: 'asset', fileName: get().file, source: get().json });
    },
  };
}
