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
    case 'ECONNREFUSED': return 'connection refused (is PostgreSQL running?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN': return 'unknown host';
    case 'ETIMEDOUT': return 'connection timed out';
    case 'ECONNRESET': return 'connection reset by the server';
    case '3D000': return e.message ?? 'database does not exist';
    case '28P01':
    case '28000': return e.message ?? 'authentication failed';
    default: return e.message || String(err);
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
