import { defineConfig } from '@playwright/test';

// End-to-end tests run against the real binary (bin/livedesk, built by `make build`) in
// Debian's Chromium. The server is started once per run on a fresh data directory; each
// test makes its own account (support.ts) so that tests never share state.
export const PORT = Number(process.env.LIVEDESK_E2E_PORT || 18480);

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: 'test-results',
  timeout: 60_000,
  retries: 0,
  workers: 2,
  reporter: [['list']],
  globalSetup: './global-setup.ts',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    locale: 'ru-RU',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
        '--disable-component-update', '--disable-sync', '--disable-quic'],
    },
    trace: 'off',
  },
});
