/**
 * A private redis-server and a private PostgreSQL cluster, each on its own free loopback port,
 * that a chaos scenario may stop and start mid-run. The machine's shared Redis and PostgreSQL
 * serve every other test and CI: they are never restarted.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { redisAnswers } from '../../../src/demo/demo-redis.ts';
import { freePort } from '../../../src/net/free-port.ts';

const run = promisify(execFile);

export interface RestartableService {
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its files (safe to call twice, and after a failed start). */
  remove(): Promise<void>;
}

/** A redis-server without persistence: it comes back empty after a restart, as a crashed cache does. */
export async function startPrivateRedis(): Promise<RestartableService> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGKILL');
    await exited;
  };
  const start = async (): Promise<void> => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const c = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      child = c;
      for (let i = 0; i < 20 && c.exitCode === null; i++) {
        if (await redisAnswers(url, 200)) return;
        await sleep(50);
      }
      // The port may still be held for a moment after the previous server died: try again.
      await stop();
      await sleep(100);
    }
    throw new Error(`private redis-server did not start on ${url}`);
  };
  await start();
  return { url, stop, start, remove: stop };
}

function pgBin(name: string): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)');
  return `/usr/lib/postgresql/${versions[0]}/bin/${name}`;
}

/** initdb refuses to run as root: the cluster belongs to the `postgres` user when we are root. */
async function asPostgres(cmd: string, args: string[]): Promise<void> {
  const root = process.getuid?.() === 0;
  await run(root ? 'runuser' : cmd, root ? ['-u', 'postgres', '--', cmd, ...args] : args, { timeout: 60_000 });
}

/**
 * A throw-away PostgreSQL cluster (trust auth, fsync off) in a temp dir; `url` is the
 * `postgres` database of it. stop() is a fast shutdown that drops every connection.
 */
export async function startPrivatePostgres(): Promise<RestartableService> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-chaos-pg-'));
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = join(dir, 'data');
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  let running = false;
  const svc: RestartableService = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    start: async () => {
      await asPostgres(pgBin('pg_ctl'), ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
      running = true;
    },
    stop: async () => {
      running = false;
      await asPostgres(pgBin('pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
    },
    remove: async () => {
      if (running) await asPostgres(pgBin('pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await asPostgres(pgBin('initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    await svc.start();
  } catch (err) {
    await svc.remove();
    throw err;
  }
  return svc;
}
