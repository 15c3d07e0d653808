import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';

export default defineConfig({
  plugins: [preact()],
  test: {
    environment: 'happy-dom',
    include: ['operator/**/*.test.{ts,tsx}', 'widget/**/*.test.{ts,tsx}', 'shared/**/*.test.{ts,tsx}'],
  },
});
