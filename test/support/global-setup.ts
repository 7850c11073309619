/**
 * vitest globalSetup: one id per test run, a migrated template PostgreSQL database that every test
 * database is copied from, and teardown that removes everything the run created. Databases and
 * Redis keys left by a run that crashed more than a day ago are removed too; younger ones may
 * belong to a run still going on this machine and are left alone.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';
import { runMigrations } from '../../src/db/migrate.ts';
import { createTestCertificates, type TestCertificates } from '../../src/sandbox/microsoft/tls.ts';
import { databasesLike, dropDatabase, quoteIdent, urlFor, withAdmin } from './pg-admin.ts';
import { snapshotPath } from './pglite-snapshot.ts';
import { deleteByPrefix } from './redis.ts';
import { DAY_MS, dbPrefix, newRunId, PG_ADMIN_URL, redisPrefixOf, runStartedAt, TEST_REDIS_URL } from './run-id.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    heraldRunId: string;
    heraldPgAdminUrl: string;
    /** Name of the migrated template database; '' when PostgreSQL could not be prepared. */
    heraldTemplateDb: string;
    /** Why PostgreSQL could not be prepared ('' when it was). */
    heraldPgError: string;
    /** The Microsoft sandbox's CA, server and client certificates (the CA is in NODE_EXTRA_CA_CERTS). */
    heraldMsTls: TestCertificates;
  }
}

const isStale = (runId: string | undefined, now: number) => {
  const started = runId === undefined ? undefined : runStartedAt(runId);
  return started !== undefined && started < now - DAY_MS;
};

async function dropStaleDatabases(now: number): Promise<void> {
  for (const name of await databasesLike(PG_ADMIN_URL, 'herald_t_')) {
    if (isStale(name.split('_')[2], now)) await dropDatabase(PG_ADMIN_URL, name);
  }
}

async function withRedis(fn: (r: Redis) => Promise<unknown>): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true, connectTimeout: 2000, retryStrategy: () => null });
  try {
    await redis.connect();
    await fn(redis);
  } catch {
    // Redis is optional for the database and unit tests; tests that need it report it themselves.
  } finally {
    redis.disconnect();
  }
}

async function prepareTemplate(runId: string): Promise<string> {
  const name = `${dbPrefix(runId)}tpl`;
  await withAdmin(PG_ADMIN_URL, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
  await runMigrations(urlFor(PG_ADMIN_URL, name));
  return name;
}

/**
 * The real time, from PostgreSQL's clock. This process's own clock may be shifted (the suite runs
 * under libfaketime at +1 and +3 years too), and judging other runs' databases by a shifted clock
 * would drop every live run's databases as "stale". The database server is never faked.
 */
async function realNow(): Promise<number> {
  try {
    const res = await withAdmin(PG_ADMIN_URL, (c) => c.query<{ now: Date }>('SELECT now() AS now'));
    return res.rows[0]!.now.getTime();
  } catch {
    return Date.now();
  }
}

interface RunSetup {
  runId: string;
  tls: TestCertificates;
  template: string;
  pgError: string;
  teardown: () => Promise<void>;
}

/**
 * vitest.config.ts has two projects (files run four at a time, then the timed ones alone) and vitest
 * runs this setup once per project, in one process. They share one run: a second run id would give
 * the workers of the first project the second one's CA in NODE_EXTRA_CA_CERTS (set before forking).
 * The last project to tear down removes what the run created.
 */
const shared = globalThis as { heraldRun?: { setup: Promise<RunSetup>; users: number } };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  shared.heraldRun ??= { setup: prepareRun(), users: 0 };
  const run = shared.heraldRun;
  run.users++;
  const { runId, tls, template, pgError, teardown } = await run.setup;
  project.provide('heraldRunId', runId);
  project.provide('heraldPgAdminUrl', PG_ADMIN_URL);
  project.provide('heraldMsTls', tls);
  project.provide('heraldTemplateDb', template);
  project.provide('heraldPgError', pgError);
  return async () => {
    if (--run.users > 0) return;
    shared.heraldRun = undefined;
    await teardown();
  };
}

async function prepareRun(): Promise<RunSetup> {
  const now = await realNow();
  const runId = newRunId(now);
  // msal-node's fetch trusts only the CAs Node read at start: the test workers, forked after this, inherit it.
  const tlsDir = join(tmpdir(), `herald-ms-tls-${runId}`);
  const tls = createTestCertificates(tlsDir);
  process.env.NODE_EXTRA_CA_CERTS = join(tlsDir, 'ca.pem');

  let template = '';
  let pgError = '';
  try {
    await dropStaleDatabases(now);
    template = await prepareTemplate(runId);
  } catch (err) {
    pgError = `PostgreSQL for tests at ${PG_ADMIN_URL} (HERALD_TEST_PG_URL) could not be prepared: ${(err as Error).message}`;
  }
  // Redis's own clock, for the same reason (PostgreSQL may be the one that is down).
  await withRedis(async (r) => {
    const [seconds] = await r.time();
    await deleteByPrefix(r, 'herald-t-', (key) => !isStale(key.split('-')[2], Number(seconds) * 1000));
  });

  const teardown = async () => {
    if (!pgError) {
      const names = await databasesLike(PG_ADMIN_URL, dbPrefix(runId));
      for (const name of names) await dropDatabase(PG_ADMIN_URL, name);
    }
    await withRedis((r) => deleteByPrefix(r, redisPrefixOf(runId)));
    rmSync(snapshotPath(runId), { force: true });
    rmSync(tlsDir, { recursive: true, force: true });
  };
  return { runId, tls, template, pgError, teardown };
}
