/**
 * The first apply's bulk load of new messages with COPY.
 * Raw SQL because it runs inside apply's driver-level transaction (stores.transaction with
 * { bulk: true }), which bulk-loads new messages with COPY; move-milestone, send-manual and trigger
 * firings share it. bench:plan, 10,000 people: first apply of 209,943 messages median 3.22 s (1.46×
 * a plain bulk insert of the rows), re-apply unchanged 1.70 s, move `cutover` 0.69 s (README,
 * Development); bulk upserts through unnest() keep a plan to a handful of statements.
 */
import { HeraldError } from '../../domain/errors.ts';
import { randomUUID } from 'node:crypto';
import type { Occurrence } from '../../domain/schedule/occurrence.ts';
import { explainKey } from '../../domain/schedule/explain.ts';
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
  if (!db.copyFrom) throw new HeraldError('INTERNAL', 'copyMessages needs a driver-level transaction (SqlClient.copyFrom)');
  await db.$executeRawUnsafe(`LOCK TABLE "Message" IN ACCESS EXCLUSIVE MODE`);
  const fks = await db.$queryRawUnsafe<Array<{ name: string; def: string }>>(
    `SELECT conname AS "name", pg_get_constraintdef(oid) AS "def" FROM pg_constraint
     WHERE conrelid = '"Message"'::regclass AND contype = 'f' ORDER BY conname`,
  );
  if (fks.length) await db.$executeRawUnsafe(`ALTER TABLE "Message" ${fks.map((f) => `DROP CONSTRAINT ${quoteIdent(f.name)}`).join(', ')}`);
  const copied = await db.copyFrom(
    `COPY "Message" ("id","projectId","commId","personId","key","occurrence","channel","seriesItem","milestones",` +
      `"dueAt","status","explainHash","kind") FROM STDIN`,
    copyLines(projectId, rows, ids),
  );
  if (fks.length) await db.$executeRawUnsafe(`ALTER TABLE "Message" ${fks.map((f) => `ADD CONSTRAINT ${quoteIdent(f.name)} ${f.def}`).join(', ')}`);
  return copied;
}

/**
 * The rows in COPY's text format, about 1,000 a chunk: PostgreSQL parses one chunk while the next is
 * built, so the encoding overlaps the load instead of preceding it.
 */
function* copyLines(
  projectId: string,
  rows: readonly NewMessage[],
  ids: { person: ReadonlyMap<string, string>; comm: ReadonlyMap<string, string> },
): Generator<string> {
  // Occurrences of one comm share their milestones array, and a wave shares its instant: encode each once.
  const literals = new Map<readonly string[], string>();
  const instants = new Map<number, string>();
  let chunk = '';
  for (let i = 0; i < rows.length; i++) {
    const { occurrence: o, status } = rows[i]!;
    let milestones = literals.get(o.milestones);
    if (milestones === undefined) literals.set(o.milestones, (milestones = copyText(arrayLiteral(o.milestones))));
    let due = instants.get(o.dueAt.getTime());
    if (due === undefined) instants.set(o.dueAt.getTime(), (due = o.dueAt.toISOString()));
    const item = o.seriesItem === undefined ? '\\N' : copyText(o.seriesItem);
    chunk +=
      `${randomUUID()}\t${projectId}\t${ids.comm.get(o.comm)!}\t${ids.person.get(o.personId)!}\t${copyText(o.key)}\t${o.occurrence}\t` +
      `${copyText(o.channel)}\t${item}\t${milestones}\t${due}\t${status}\t${explainKey(o.explain).hash}\t${o.reminder === undefined ? 'comm' : 'reminder'}\n`;
    if (i % 1000 === 999) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
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
