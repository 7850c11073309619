/** What the Slack click tests share: the sandbox users, polling, and a real outage of one test database. */
import { inject } from 'vitest';
import type { TestDatabase } from './databases.ts';
import { quoteIdent, withAdmin } from './pg-admin.ts';

export const SIGNING = 'signing-secret-for-tests';
export const USERS = [
  { id: 'UANA00001', email: 'ana@herald.example', name: 'Ana' },
  { id: 'UBEN00001', email: 'ben@herald.example', name: 'Ben' },
];

/** Polls `fn` until it gives something (a failing call counts as not yet). */
export async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Refuses new connections to the database and drops the open ones: a real outage for this database only. */
export async function setReachable(db: TestDatabase, reachable: boolean): Promise<void> {
  const name = new URL(db.url).pathname.slice(1);
  await withAdmin(inject('heraldPgAdminUrl'), async (c) => {
    await c.query(`ALTER DATABASE ${quoteIdent(name)} WITH ALLOW_CONNECTIONS ${reachable ? 'true' : 'false'}`);
    if (!reachable) await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
  });
}
