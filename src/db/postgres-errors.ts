import { HeraldError } from '../domain/errors.ts';

/** Where a URL points, without its password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}/${decodeURIComponent(u.pathname.slice(1)) || 'postgres'}`;
  } catch {
    return 'an unparsable address';
  }
}

function reason(err: unknown): string {
  const e = err as { code?: string; message?: string; errors?: unknown[] };
  // Node reports "localhost" failures as an AggregateError (IPv4 and IPv6) with an empty message.
  const code = e.code ?? (e.errors?.[0] as { code?: string } | undefined)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is PostgreSQL running?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unknown host';
    case 'ETIMEDOUT':
      return 'connection timed out';
    case 'ECONNRESET':
      return 'connection reset by the server';
    case '3D000':
      return e.message ?? 'database does not exist';
    case '28P01':
    case '28000':
      return e.message ?? 'authentication failed';
    default:
      return e.message || String(err);
  }
}

/** One line naming the host and the variable to fix. */
export function unavailableError(url: string, err: unknown): HeraldError {
  return new HeraldError('DB_UNAVAILABLE', `cannot connect to PostgreSQL at ${describeUrl(url)} (DATABASE_URL): ${reason(err)}`, {
    retryable: true,
    cause: err,
    hint: 'start PostgreSQL or fix DATABASE_URL; unset DATABASE_URL to use the embedded database',
  });
}

/**
 * A database failure after which trying again is safe and may succeed: no connection free in
 * time, a transaction that could not start, a serialization failure or deadlock, a dropped
 * connection. Whatever ran rolled back.
 */
export function isTransientDbError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; original?: unknown };
  if (e.original !== undefined && e.original !== err && isTransientDbError(e.original)) return true;
  const code = typeof e.code === 'string' ? e.code : '';
  if (['P2028', 'P2034', 'P1001', 'P1017', '40001', '40P01', 'ECONNRESET', '57P01'].includes(code)) return true;
  return typeof e.message === 'string' && /timeout exceeded when trying to connect|Connection terminated|Unable to start a transaction/i.test(e.message);
}

/** Runs `fn`, again after a short jittered backoff while it fails transiently, up to `attempts` times. */
export async function retryTransient<T>(fn: (attempt: number) => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= attempts || !isTransientDbError(err)) throw err;
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt * Math.random()));
    }
  }
}
