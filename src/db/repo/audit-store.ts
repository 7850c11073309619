/**
 * The audit log and plan versions. Raw SQL because both are written inside apply's driver-level
 * transaction (`stores.transaction(fn, { bulk: true })`), which has no Prisma client; the same
 * statements run on a Prisma interactive transaction. The audit store has no UPDATE or DELETE: the
 * log is append-only (and the migration's trigger refuses both).
 */
import type { AuditLog, PlanVersionStore } from '../../app/ports.ts';
import type { AuditAction } from '../../domain/audit/actions.ts';
import { decodeDetail, decodeSourceFiles } from './json-columns.ts';
import type { SqlClient } from './sql-client.ts';

interface AuditRow {
  id: string;
  seq: string | number | bigint;
  at: Date | string;
  actor: string;
  action: string;
  projectKey: string | null;
  ref: string;
  detail: unknown;
}

export function auditLog(db: SqlClient): AuditLog {
  return {
    append: async (e) => {
      await db.$executeRawUnsafe(
        `INSERT INTO "AuditEntry" ("id","at","actor","action","projectKey","ref","detail") VALUES (gen_random_uuid(),$1::timestamptz,$2,$3,$4,$5,$6::jsonb)`,
        e.at.toISOString(),
        e.actor,
        e.action,
        e.projectKey,
        e.ref,
        JSON.stringify(e.detail ?? {}),
      );
    },
    list: async (q) => {
      const rows = await db.$queryRawUnsafe<AuditRow[]>(
        `SELECT "id","seq"::text AS "seq","at","actor","action","projectKey","ref","detail" FROM "AuditEntry"
          WHERE "projectKey"=$1 AND ($2::timestamptz IS NULL OR "at">=$2::timestamptz) AND ($3::bigint IS NULL OR "seq">$3::bigint)
          ORDER BY "AuditEntry"."seq" LIMIT $4`,
        q.projectKey,
        q.since?.toISOString() ?? null,
        q.afterSeq ?? null,
        q.limit,
      );
      return rows.map((r) => ({
        id: r.id,
        seq: String(r.seq),
        at: new Date(r.at),
        actor: r.actor,
        // Stored by append from an AuditAction; an action since removed from the list still reads.
        action: r.action as AuditAction,
        projectKey: r.projectKey,
        ref: r.ref,
        detail: decodeDetail(r.detail),
      }));
    },
  };
}

interface VersionRow {
  number: number;
  hash: string;
  appliedBy: string;
  appliedAt: Date | string;
  summary: unknown;
  rollbackOf: number | null;
}

function versionOf(r: VersionRow) {
  return {
    number: Number(r.number),
    hash: r.hash,
    appliedBy: r.appliedBy,
    appliedAt: new Date(r.appliedAt),
    summary: decodeDetail(r.summary),
    rollbackOf: r.rollbackOf === null ? null : Number(r.rollbackOf),
  };
}

const VERSION_COLUMNS = `"number","hash","appliedBy","appliedAt","summary","rollbackOf"`;

export function planVersionStore(db: SqlClient): PlanVersionStore {
  return {
    append: async (projectId, v) => {
      // Apply holds the project's row lock (savePlan updated it), so two applies never take the same number.
      const [row] = await db.$queryRawUnsafe<Array<{ number: number }>>(
        `INSERT INTO "PlanVersion" ("id","projectId","number","hash","file","yaml","files","appliedBy","appliedAt","summary","rollbackOf")
         SELECT gen_random_uuid(),$1::uuid,COALESCE(MAX("number"),0)+1,$2,$3,$4,$5::jsonb,$6,$7::timestamptz,$8::jsonb,$9::int
           FROM "PlanVersion" WHERE "projectId"=$1::uuid
         RETURNING "number"`,
        projectId,
        v.hash,
        v.file,
        v.yaml,
        JSON.stringify(v.files),
        v.appliedBy,
        v.appliedAt.toISOString(),
        JSON.stringify(v.summary),
        v.rollbackOf,
      );
      return Number(row!.number);
    },
    latest: async (projectId) => {
      const [row] = await db.$queryRawUnsafe<Array<{ number: number; hash: string }>>(
        `SELECT "number","hash" FROM "PlanVersion" WHERE "projectId"=$1::uuid ORDER BY "number" DESC LIMIT 1`,
        projectId,
      );
      return row ? { number: Number(row.number), hash: row.hash } : null;
    },
    list: async (projectId) =>
      (await db.$queryRawUnsafe<VersionRow[]>(`SELECT ${VERSION_COLUMNS} FROM "PlanVersion" WHERE "projectId"=$1::uuid ORDER BY "number" DESC`, projectId)).map(
        versionOf,
      ),
    get: async (projectId, number) => {
      const [row] = await db.$queryRawUnsafe<Array<VersionRow & { file: string; yaml: string; files: unknown }>>(
        `SELECT ${VERSION_COLUMNS},"file","yaml","files" FROM "PlanVersion" WHERE "projectId"=$1::uuid AND "number"=$2::int`,
        projectId,
        number,
      );
      return row ? { ...versionOf(row), file: row.file, yaml: row.yaml, files: decodeSourceFiles(row.files) } : null;
    },
  };
}
