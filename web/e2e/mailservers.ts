// Real mail servers for the browser tests: Debian's Dovecot (IMAP) and Postfix (MX-style SMTP,
// submission) started by the Go program internal/testkit/mailserver/mailservers on free
// loopback ports, swaks to send a customer's mail, and the customer's maildir read back.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What the mailservers program prints once Dovecot and Postfix accept connections. */
export interface MailServers {
  imap: string;
  smtp: string;
  submission: string;
  support: string;
  customer: string;
  password: string;
  maildirs: Record<string, string>;
  /** Stops both servers and removes their directory. */
  stop(): Promise<void>;
}

/** The mailservers program is not root: Postfix cannot run (the test skips, as the Go tests do). */
export class NotRoot extends Error {}

let built: string | null = null;

/** Builds the program once per worker (Go's build cache makes it quick after the first). */
function program(): string {
  if (built && existsSync(built)) return built;
  const dir = mkdtempSync(join(tmpdir(), 'livedesk-mailservers-'));
  const bin = join(dir, 'mailservers');
  execFileSync(process.env.GO || 'go', ['build', '-o', bin, './internal/testkit/mailserver/mailservers'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  built = bin;
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return bin;
}

/** Starts Dovecot and Postfix with the users support@, customer@ and extra (same password). */
export async function startMailServers(extra: string[] = []): Promise<MailServers> {
  const proc: ChildProcess = spawn(program(), extra.flatMap((u) => ['-user', u]), { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number>((res) => proc.once('exit', (code) => res(code ?? -1)));
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    proc.stdout!.setEncoding('utf8');
    proc.stdout!.on('data', (chunk: string) => {
      buf += chunk;
      const i = buf.indexOf('\n');
      if (i >= 0) resolve(buf.slice(0, i));
    });
    void exited.then((code) => reject(code === 3 ? new NotRoot('Postfix runs only as root') : new Error(`mailservers exited with ${code}`)));
  });
  const ready = JSON.parse(line);
  return {
    ...ready,
    stop: async () => {
      proc.stdin!.end();
      await exited;
    },
  };
}

/** host and port of "127.0.0.1:1234". */
export function hostPort(addr: string): { host: string; port: number } {
  const i = addr.lastIndexOf(':');
  return { host: addr.slice(0, i), port: Number(addr.slice(i + 1)) };
}

/** Sends a whole mail (headers, blank line, body) with swaks to an SMTP server, as a customer's mail program would. */
export function swaks(server: string, from: string, to: string, mail: string) {
  const dir = mkdtempSync(join(tmpdir(), 'livedesk-swaks-'));
  try {
    const file = join(dir, 'mail.eml');
    writeFileSync(file, mail.replace(/\r?\n/g, '\r\n'));
    execFileSync('swaks', ['--server', server, '--from', from, '--to', to, '--data', '@' + file, '--silent', '2'], { stdio: ['ignore', 'inherit', 'inherit'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A header value in encoded words (RFC 2047, UTF-8, B or Q), decoded. */
export function decodeWords(v: string): string {
  return v.replace(/\s*=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) => enc.toLowerCase() === 'b'
    ? Buffer.from(text, 'base64').toString('utf8')
    : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
}

/** One mail of a maildir: its headers (lower-case names, unfolded) and its raw text. */
export interface StoredMail {
  headers: Record<string, string>;
  raw: string;
  /** The body with quoted-printable undone (a mail of one text part). */
  text: string;
}

function parse(raw: string): StoredMail {
  const end = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, end).replace(/\r?\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const l of head.split(/\r?\n/)) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).toLowerCase()] ??= l.slice(i + 1).trim();
  }
  const body = raw.slice(end).replace(/=\r?\n/g, '');
  const text = Buffer.from(body.replace(/=([0-9A-F]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  return { headers, raw, text };
}

/** Waits (up to 30 s) for the mail of the user's maildir that match says is the one. */
export async function waitMail(servers: MailServers, user: string, match: (m: StoredMail) => boolean): Promise<StoredMail> {
  const dir = servers.maildirs[user];
  if (!dir) throw new Error(`no maildir for ${user}`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    for (const sub of ['new', 'cur']) {
      const files = existsSync(join(dir, sub)) ? readdirSync(join(dir, sub)) : [];
      for (const f of files) {
        const m = parse(readFileSync(join(dir, sub, f), 'utf8'));
        if (match(m)) return m;
      }
    }
    if (Date.now() > deadline) throw new Error(`no such mail in ${user}'s maildir`);
    await new Promise((res) => setTimeout(res, 200));
  }
}
