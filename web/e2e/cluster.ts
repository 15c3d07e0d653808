// Several livedesk nodes for an end-to-end test: bin/livedesk processes on a database of
// their own on the machine's PostgreSQL, joined over the machine's NATS, with one shared
// --files directory (docs/scaling.md). The suite's single SQLite server (global-setup.ts) is
// not involved. PostgreSQL and NATS must answer: `.ci/run` starts them, and a test that
// cannot reach them fails rather than skipping.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { BIN, apiAt } from './support';

/** The PostgreSQL server the nodes' database is made on (as in the Go tests: LIVEDESK_TEST_POSTGRES). */
export const POSTGRES = process.env.LIVEDESK_TEST_POSTGRES || 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable';
/** The NATS server the nodes join (LIVEDESK_TEST_NATS). */
export const NATS = process.env.LIVEDESK_TEST_NATS || 'nats://127.0.0.1:4222';

/** Runs SQL on the PostgreSQL server's maintenance database; throws with psql's message. */
function psql(sql: string) {
  try {
    execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', POSTGRES, '-c', sql], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  } catch (e: any) {
    throw new Error(`PostgreSQL at ${POSTGRES} (.ci/run starts it): ${sql}: ${e.stderr?.toString().trim() || e.message}`);
  }
}

/** Throws unless a NATS server answers at url with its INFO line. */
async function checkNATS(url: string) {
  const u = new URL(url);
  await new Promise<void>((resolve, reject) => {
    const sock = connect({ host: u.hostname, port: Number(u.port || 4222) });
    const fail = (why: string) => { sock.destroy(); reject(new Error(`NATS at ${url} (.ci/run starts it): ${why}`)); };
    sock.setTimeout(5_000, () => fail('no answer'));
    sock.once('error', (e) => fail(e.message));
    sock.once('data', (d) => {
      sock.destroy();
      if (d.toString().startsWith('INFO ')) resolve();
      else fail('not a NATS server');
    });
  });
}

/** One livedesk process of a cluster. */
export class LivedeskNode {
  /** The process's exit, once it happened (code or signal). */
  readonly exited: Promise<void>;

  constructor(readonly name: string, readonly base: string, readonly proc: ChildProcess) {
    this.exited = new Promise((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) resolve();
      else proc.once('exit', () => resolve());
    });
  }

  /** True while the process runs. */
  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Kills the process at once (SIGKILL: no shutdown, connections just drop) and waits for it to be gone. */
  async kill() {
    if (this.running) this.proc.kill('SIGKILL');
    await this.exited;
  }

  /** Stops the process the usual way (SIGTERM), killing it if it does not end within 20 s. */
  async stop() {
    if (!this.running) return;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** An account made on the cluster's database, with its admin signed in on a node. */
export interface ClusterAccount {
  id: string;
  adminEmail: string;
  password: string;
  adminToken: string;
}

/** Nodes sharing one fresh PostgreSQL database, one NATS and one files directory. */
export class Cluster {
  readonly nodes: LivedeskNode[] = [];
  private seq = 0;

  private constructor(
    /** The database URL every node is given (--db). */
    readonly db: string,
    private readonly dbName: string,
    /** Working directory: each node's --data and the shared --files under it. */
    readonly dir: string,
    /** The key sealing mailbox passwords, the same on every node (--secret-key). */
    private readonly secretKey: string,
  ) {}

  /** Makes a fresh database (migrated with `livedesk migrate`) and starts a node per name. */
  static async start(names: string[]): Promise<Cluster> {
    await checkNATS(NATS);
    const dbName = `livedesk_e2e_${randomBytes(6).toString('hex')}`;
    psql(`CREATE DATABASE ${dbName}`);
    const u = new URL(POSTGRES);
    u.pathname = '/' + dbName;
    const c = new Cluster(u.toString(), dbName, mkdtempSync(join(tmpdir(), 'livedesk-e2e-cluster-')), randomBytes(32).toString('base64'));
    try {
      execFileSync(BIN, ['migrate', '--db', c.db, '--data', join(c.dir, 'migrate')], { stdio: ['ignore', 'pipe', 'inherit'] });
      for (const name of names) await c.startNode(name);
    } catch (e) {
      await c.close();
      throw e;
    }
    return c;
  }

  /** The running node of this name. */
  node(name: string): LivedeskNode {
    const n = this.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no node ${name}`);
    return n;
  }

  /** Starts one more node on the cluster's database and waits until it is ready. */
  async startNode(name: string): Promise<LivedeskNode> {
    // Port 0: the node takes a free port itself and says which in its «livedesk listening»
    // line (a port picked here and passed on could be taken meanwhile by a node of another
    // worker, whose /readyz would then answer for this one).
    const proc = spawn(BIN, ['serve', '--db', this.db, '--bus', NATS, '--data', join(this.dir, `data-${name}`),
      '--files', join(this.dir, 'files'), '--secret-key', this.secretKey, '--listen', '127.0.0.1:0',
      '--bcrypt-cost', '4', '--log-level', 'info',
      // As in global-setup.ts: every browser context comes from 127.0.0.1, so the per-address
      // limits are raised far above what a test does (the limits are tested in Go).
      '--visitor-sessions-per-minute', '100000', '--visitor-messages-per-minute', '100000',
      '--visitor-uploads-per-minute', '100000', '--login-failures-per-address', '100000'],
    { stdio: ['ignore', 'inherit', 'pipe'] });
    const listening = new Promise<string>((resolve, reject) => {
      let rest = '';
      proc.stderr!.on('data', (d: Buffer) => {
        const lines = (rest + d.toString()).split('\n');
        rest = lines.pop()!;
        for (const line of lines) {
          const url = /msg="livedesk listening" url=(\S+)/.exec(line)?.[1];
          if (url) resolve(url);
          // Warnings and errors, marked with the node's name, on the runner's stderr.
          if (/ level=(WARN|ERROR) /.test(line) || !line.startsWith('time=')) process.stderr.write(`[livedesk ${name}] ${line}\n`);
        }
      });
      proc.once('exit', (code, signal) => reject(new Error(`livedesk node ${name} exited with ${code ?? signal} before listening`)));
    });
    const timeout = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    let base: string;
    try {
      base = await listening;
    } finally {
      clearTimeout(timeout);
    }
    const node = new LivedeskNode(name, base, proc);
    this.nodes.push(node);
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        if ((await fetch(node.base + '/readyz')).ok) return node;
      } catch { /* not up yet */ }
      if (!node.running) throw new Error(`livedesk node ${name} exited with ${proc.exitCode ?? proc.signalCode}`);
      if (Date.now() > deadline) throw new Error(`livedesk node ${name} did not become ready`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Creates an account with `livedesk account create --db` and signs its admin in on the node at base. */
  async createAccount(base: string, name: string): Promise<ClusterAccount> {
    const n = `${process.pid}-${Date.now()}-${++this.seq}`;
    const adminEmail = `admin-${n}@e2e.test`;
    const password = 'e2e-password';
    const out = execFileSync(BIN, ['account', 'create', '--db', this.db, '--data', join(this.dir, 'cli'),
      '--name', `${name} ${n}`, '--admin-email', adminEmail, '--admin-password', password, '--bcrypt-cost', '4']).toString();
    const { account_id } = JSON.parse(out);
    const { token } = await apiAt<{ token: string }>(base, 'POST', '/api/v1/auth/login', { email: adminEmail, password });
    return { id: account_id, adminEmail, password, adminToken: token };
  }

  /** Stops every node still running, drops the database and removes the directories. */
  async close() {
    await Promise.all(this.nodes.map((n) => n.stop()));
    try {
      psql(`DROP DATABASE IF EXISTS ${this.dbName} WITH (FORCE)`);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

/**
 * `test` with a fresh cluster per test: `clusterNodes` names its nodes (default A and B);
 * they are started before the test and stopped, with the database dropped, after it.
 */
export const test = base.extend<{ clusterNodes: string[]; cluster: Cluster }>({
  clusterNodes: [['A', 'B'], { option: true }],
  cluster: async ({ clusterNodes }, use) => {
    const c = await Cluster.start(clusterNodes);
    try {
      await use(c);
    } finally {
      await c.close();
    }
  },
});
