import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';

// End-to-end tests run against the real binary (bin/livedesk, built by `make build`) in
// Debian's Chromium. The server is started once per run on a fresh data directory; each
// test makes its own account (support.ts) so that tests never share state.
// The port is picked by the kernel (listen on port 0) once, in the runner process; workers
// inherit it through the environment.
process.env.LIVEDESK_E2E_PORT ||= execFileSync(process.execPath, ['-e',
  "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"]).toString();
export const PORT = Number(process.env.LIVEDESK_E2E_PORT);
// The same for the SMTP listener (the email channel).
process.env.LIVEDESK_E2E_SMTP_PORT ||= execFileSync(process.execPath, ['-e',
  "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"]).toString();
export const SMTP_PORT = Number(process.env.LIVEDESK_E2E_SMTP_PORT);

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: 'test-results',
  timeout: 60_000,
  // One retry: a test that fails twice fails the run; one that passes on retry is reported
  // as flaky in the output, to be looked at, without sinking CI on a loaded 2-core machine.
  retries: 1,
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
