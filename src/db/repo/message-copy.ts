import { randomUUID } from 'node:crypto';
import type { Occurrence } from '../../domain/schedule/occurrence.ts';
import type { SqlClient } from './sql-client.ts';

export interface NewMessage {
  occurrence: Occurrence;
  status: string;
}

/**
 * Below this many new rows a plain INSERT is used. Above it, and when the rows are a large part of
 * the table, the rows are COPYed with the table's foreign keys set aside and re-checked once.
 * Measured on the 10,000-person bench plan (177,699 rows, PostgreSQL 15, 2 cores): the per-row
 * foreign-key triggers took 23 s of a 37 s insert under load, about 2.7× the insert itself; one
 * re-check of each key over the table takes a fraction of a second.
 */
export const BULK_LOAD_MIN_ROWS = 10_000;

/**
 * Whether `count` new rows are worth the bulk path: re-checking a foreign key scans the whole
 * table (every project), so the new rows must be at least a quarter of it.
 */
export async function worthBulkLoad(db: SqlClient, count: number, minRows = BULK_LOAD_MIN_ROWS): Promise<boolean> {
  if (!db.copyFrom || count < minRows) return false;
  const [row] = await db.$queryRawUnsafe<Array<{ rows: number | string }>>(
    `SELECT GREATEST(reltuples, 0)::bigint AS "rows" FROM pg_class WHERE oid = '"Message"'::regclass`,
  );
  return count * 4 >= Number(row?.rows ?? 0);
}

/**
 * Loads new messages with COPY inside the caller's transaction. The table's foreign keys are
 * dropped first and re-created after, exactly as the catalogue defines them, so PostgreSQL checks
 * every row in one join instead of three lookups per row; the transaction (and a dry run's
 * rollback) covers the whole exchange. The ACCESS EXCLUSIVE lock this takes makes workers wait for
 * the commit (a few seconds) — nothing is lost, sends are only held back.
 */
export async function copyMessages(
  db: SqlClient,
  projectId: string,
  rows: readonly NewMessage[],
  ids: { person: ReadonlyMap<string, string>; comm: ReadonlyMap<string, string> },
): Promise<number> {
  if (!db.copyFrom) throw new Error('copyMessages needs a driver-level transaction (SqlClient.copyFrom)');
  await db.$executeRawUnsafe(`LOCK TABLE "Message" IN ACCESS EXCLUSIVE MODE`);
  const fks = await db.$queryRawUnsafe<Array<{ name: string; def: string }>>(
    `SELECT conname AS "name", pg_get_constraintdef(oid) AS "def" FROM pg_constraint
     WHERE conrelid = '"Message"'::regclass AND contype = 'f' ORDER BY conname`,
  );
  if (fks.length) await db.$executeRawUnsafe(`ALTER TABLE "Message" ${fks.map((f) => `DROP CONSTRAINT ${quoteIdent(f.name)}`).join(', ')}`);
  const lines: string[] = [];
  for (const r of rows) {
    const o = r.occurrence;
    lines.push(
      [
        randomUUID(),
        projectId,
        ids.comm.get(o.comm)!,
        ids.person.get(o.personId)!,
        copyText(o.key),
        String(o.occurrence),
        copyText(o.channel),
        o.seriesItem === undefined ? '\\N' : copyText(o.seriesItem),
        copyText(arrayLiteral(o.milestones)),
        o.dueAt.toISOString(),
        r.status,
      ].join('\t'),
    );
  }
  const copied = await db.copyFrom(
    `COPY "Message" ("id","projectId","commId","personId","key","occurrence","channel","seriesItem","milestones","dueAt","status") FROM STDIN`,
    lines.length ? `${lines.join('\n')}\n` : '',
  );
  if (fks.length) await db.$executeRawUnsafe(`ALTER TABLE "Message" ${fks.map((f) => `ADD CONSTRAINT ${quoteIdent(f.name)} ${f.def}`).join(', ')}`);
  return copied;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A text[] literal with every element quoted, so commas and braces in keys stay inside. */
function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((i) => `"${i.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

/** COPY text format: backslash, tab, newline and carriage return are escaped. */
function copyText(v: string): string {
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : v;
}
