/**
 * The explanations of calendar rows (why a message is due when it is), shared by hash.
 * Raw SQL because it runs inside apply's driver-level transaction (stores.transaction with
 * { bulk: true }), which bulk-loads new messages with COPY; move-milestone, send-manual and trigger
 * firings share it. bench:plan, 10,000 people: first apply of 209,943 messages median 3.22 s (1.46×
 * a plain bulk insert of the rows), re-apply unchanged 1.70 s, move `cutover` 0.69 s (README,
 * Development); bulk upserts through unnest() keep a plan to a handful of statements.
 * The calendar view reads them through the same file.
 */
import { explainKey, type ExplainStep } from '../../domain/schedule/explain.ts';
import type { Occurrence } from '../../domain/schedule/occurrence.ts';
import { chunks, type SqlClient } from './sql-client.ts';

/** The explanations with these hashes (messages share them: each distinct chain is loaded once). */
export async function loadExplanations(db: SqlClient, projectId: string, hashes: readonly (string | null)[]): Promise<Map<string, ExplainStep[]>> {
  const wanted = [...new Set(hashes.filter((h): h is string => h !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.$queryRawUnsafe<Array<{ hash: string; steps: ExplainStep[] | string }>>(
    `SELECT "hash","steps" FROM "Explanation" WHERE "projectId"=$1::uuid AND "hash" = ANY($2::text[])`,
    projectId,
    wanted,
  );
  return new Map(rows.map((r) => [r.hash, typeof r.steps === 'string' ? (JSON.parse(r.steps) as ExplainStep[]) : r.steps]));
}

/**
 * Stores each distinct explanation of `occurrences` once per project (messages point at it by hash).
 * A calendar of 177,699 messages has a few thousand distinct chains, so this is one small statement.
 */
export async function saveExplanations(db: SqlClient, projectId: string, occurrences: readonly Occurrence[]): Promise<void> {
  const distinct = new Map<string, string>();
  for (const o of occurrences) {
    const k = explainKey(o.explain);
    distinct.set(k.hash, k.json);
  }
  for (const part of chunks([...distinct])) {
    await db.$executeRawUnsafe(
      `INSERT INTO "Explanation" ("projectId","hash","steps")
       SELECT $1::uuid, h, s::jsonb FROM unnest($2::text[], $3::text[]) AS t(h, s)
       ON CONFLICT ("projectId","hash") DO NOTHING`,
      projectId,
      part.map(([h]) => h),
      part.map(([, j]) => j),
    );
  }
}
