import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { emojiData } from '../shared/emoji/vite-plugin';

// The visitor widget: one self-contained script, served by livedesk at /widget.js.
export default defineConfig({
  // The emoji data is written next to widget.js and fetched when the picker opens.
  plugins: [preact(), emojiData({ emit: true })],
  build: {
    outDir: fileURLToPath(new URL('../dist/widget', import.meta.url)),
    emptyOutDir: true,
    lib: {
      entry: fileURLToPath(new URL('./src/main.ts', import.meta.url)),
      formats: ['iife'],
      name: 'LivedeskWidget',
      fileName: () => 'widget.js',
    },
  },
});
