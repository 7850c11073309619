import pg from 'pg';

/** Runs statements on the maintenance database with a short-lived connection (no pool to leak). */
export async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, application_name: 'herald-tests' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** `url` with its database name replaced. */
export function urlFor(adminUrl: string, database: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

/** Names of databases whose name starts with `prefix` (LIKE wildcards in it are escaped). */
export async function databasesLike(adminUrl: string, prefix: string): Promise<string[]> {
  const escaped = prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`);
  const res = await withAdmin(adminUrl, (c) =>
    c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname`, [`${escaped}%`]),
  );
  return res.rows.map((r) => r.datname);
}
