import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './support';
import { PORT, SMTP_PORT } from './playwright.config';

// Starts livedesk on a fresh data directory for the whole run and stops it afterwards.
export default async function globalSetup() {
  const data = mkdtempSync(join(tmpdir(), 'livedesk-e2e-'));
  // Workers are started after global setup and inherit its environment.
  process.env.LIVEDESK_E2E_DATA = data;
  const proc = spawn(BIN, ['serve', '--data', data, '--listen', `127.0.0.1:${PORT}`, '--demo', '--bcrypt-cost', '4',
    '--log-level', 'warn', '--smtp-listen', `127.0.0.1:${SMTP_PORT}`,
    // Every browser context of the run comes from 127.0.0.1 (a browser cannot pick its source
    // address), so the per-address visitor and login limits are raised far above what the
    // run does; the limits themselves are tested in Go with distinct loopback sources.
    '--visitor-sessions-per-minute', '100000', '--visitor-messages-per-minute', '100000',
    '--visitor-uploads-per-minute', '100000', '--login-failures-per-address', '100000'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${PORT}/readyz`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (proc.exitCode !== null) throw new Error(`livedesk exited with ${proc.exitCode}`);
    if (Date.now() > deadline) throw new Error('livedesk did not become ready');
    await new Promise((res) => setTimeout(res, 100));
  }
  return async () => {
    proc.kill('SIGTERM');
    await new Promise((res) => proc.once('exit', res));
    rmSync(data, { recursive: true, force: true });
  };
}
