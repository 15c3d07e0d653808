import { Socket } from 'node:net';
import { SMTP_PORT } from './playwright.config';

/**
 * Delivers one raw mail (headers, blank line, body; \n line ends) to livedesk's SMTP listener
 * with a plain SMTP dialogue, as a mail server would. Rejects with the server's reply when a
 * command is refused.
 */
export function sendMail(from: string, to: string, raw: string): Promise<void> {
  const data = raw.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
  const steps = [`EHLO e2e.test`, `MAIL FROM:<${from}>`, `RCPT TO:<${to}>`, 'DATA', data + '\r\n.', 'QUIT'];
  return new Promise((resolve, reject) => {
    const sock = new Socket();
    let buf = '';
    let step = -1; // -1: waiting for the greeting
    sock.setEncoding('utf8');
    sock.on('error', reject);
    sock.on('data', (chunk: string) => {
      buf += chunk;
      // A reply is complete when its last line has a space after the code ("250 ok").
      for (;;) {
        const m = buf.match(/^(\d{3}) [^\r\n]*\r\n/m);
        if (!m || m.index === undefined) return;
        const reply = buf.slice(0, m.index + m[0].length);
        buf = buf.slice(m.index + m[0].length);
        const code = Number(m[1]);
        if (code >= 400) {
          sock.destroy();
          reject(new Error(`SMTP refused: ${reply.trim()}`));
          return;
        }
        step++;
        if (step >= steps.length) {
          sock.end();
          resolve();
          return;
        }
        sock.write(steps[step] + '\r\n');
      }
    });
    sock.connect(SMTP_PORT, '127.0.0.1');
  });
}
