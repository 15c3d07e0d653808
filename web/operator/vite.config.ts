import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { emojiData } from '../shared/emoji/vite-plugin';

// The operator app: served by livedesk at / (assets under /assets/), embedded into the binary.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [preact(), emojiData({ emit: false })],
  build: {
    outDir: fileURLToPath(new URL('../dist/operator', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
  },
});
