import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';
import { emojiData } from './shared/emoji/vite-plugin';

export default defineConfig({
  plugins: [preact(), emojiData({ emit: false })],
  test: {
    environment: 'happy-dom',
    include: ['operator/**/*.test.{ts,tsx}', 'widget/**/*.test.{ts,tsx}', 'admin/**/*.test.{ts,tsx}', 'shared/**/*.test.{ts,tsx}',
      'scripts/**/*.test.ts'],
  },
});
