/**
 * Plan, milestones and their moves, written by apply and milestone moves.
 * Raw SQL because it runs inside apply's driver-level transaction (stores.transaction with
 * { bulk: true }), which bulk-loads new messages with COPY; move-milestone, send-manual and trigger
 * firings share it. bench:plan, 10,000 people: first apply of 209,943 messages median 3.22 s (1.46×
 * a plain bulk insert of the rows), re-apply unchanged 1.70 s, move `cutover` 0.69 s (README,
 * Development); bulk upserts through unnest() keep a plan to a handful of statements.
 */
import type { PlanIssue } from '../../domain/errors.ts';
import type { Plan } from '../../domain/plan/model.ts';
import type { SavedPlan, StoredMilestone } from '../../app/ports.ts';
import type { SqlClient } from './sql-client.ts';
import { chunks } from './sql-client.ts';

/**
 * Upserts the project and every plan entity keyed by (project, key). Bulk SQL keeps a
 * 10,000-person plan to a handful of statements. Entities dropped from the plan are kept
 * (their sent messages are history); their pending messages are cancelled by the re-plan.
 * The plan's validation warnings are kept with it, for the dashboard's Plan page.
 */
export async function savePlan(
  db: SqlClient,
  plan: Plan,
  hash: string,
  milestoneInstants: ReadonlyMap<string, Date>,
  now: Date,
  warnings: readonly PlanIssue[] = [],
): Promise<SavedPlan> {
  const p = plan.project;
  const [project] = await db.$queryRawUnsafe<Array<{ id: string }>>(
    `INSERT INTO "Project" ("id","key","name","timezone","catchUp","plan","planHash","warnings","updatedAt")
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5::jsonb, $6, $7::jsonb, now())
     ON CONFLICT ("key") DO UPDATE SET "name"=EXCLUDED."name", "timezone"=EXCLUDED."timezone",
       "catchUp"=EXCLUDED."catchUp", "plan"=EXCLUDED."plan", "planHash"=EXCLUDED."planHash", "warnings"=EXCLUDED."warnings", "updatedAt"=now()
     RETURNING "id"`,
    p.key,
    p.name,
    p.timezone,
    p.catchUp,
    JSON.stringify(plan),
    hash,
    JSON.stringify(warnings),
  );
  const projectId = project!.id;

  const before = await loadMilestones(db, projectId);
  const moved: SavedPlan['moved'] = [];
  for (const m of plan.milestones) {
    const at = milestoneInstants.get(m.key)!;
    const prev = before.get(m.key);
    if (prev && prev.at.getTime() !== at.getTime()) moved.push({ key: m.key, from: prev.at, to: at });
  }
  await db.$executeRawUnsafe(
    `INSERT INTO "Milestone" ("id","projectId","key","label","at","localAt")
     SELECT gen_random_uuid(), $1::uuid, k, l, a, la
     FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::text[]) AS t(k, l, a, la)
     ON CONFLICT ("projectId","key") DO UPDATE SET "label"=EXCLUDED."label", "at"=EXCLUDED."at", "localAt"=EXCLUDED."localAt"`,
    projectId,
    plan.milestones.map((m) => m.key),
    plan.milestones.map((m) => m.label ?? null),
    plan.milestones.map((m) => milestoneInstants.get(m.key)!.toISOString()),
    plan.milestones.map((m) => m.at),
  );
  for (const mv of moved) await recordMove(db, projectId, mv.key, mv.from, mv.to, 'plan', now);

  await db.$executeRawUnsafe(
    `INSERT INTO "Workstream" ("id","projectId","key","name","ownerKey","escalationKey")
     SELECT gen_random_uuid(), $1::uuid, k, n, o, e FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS t(k, n, o, e)
     ON CONFLICT ("projectId","key") DO UPDATE SET "name"=EXCLUDED."name", "ownerKey"=EXCLUDED."ownerKey", "escalationKey"=EXCLUDED."escalationKey"`,
    projectId,
    plan.workstreams.map((w) => w.key),
    plan.workstreams.map((w) => w.name),
    plan.workstreams.map((w) => w.owner),
    plan.workstreams.map((w) => w.escalation ?? null),
  );
  await db.$executeRawUnsafe(
    `INSERT INTO "Audience" ("id","projectId","key","description")
     SELECT gen_random_uuid(), $1::uuid, k, d FROM unnest($2::text[], $3::text[]) AS t(k, d)
     ON CONFLICT ("projectId","key") DO UPDATE SET "description"=EXCLUDED."description"`,
    projectId,
    plan.audiences.map((a) => a.key),
    plan.audiences.map((a) => a.description ?? null),
  );

  const personIds = new Map<string, string>();
  for (const part of chunks(plan.people)) {
    // A Slack id found by e-mail lookup is kept while the plan gives none and the address is unchanged.
    const rows = await db.$queryRawUnsafe<Array<{ id: string; key: string }>>(
      `INSERT INTO "Person" ("id","projectId","key","name","email","slackId","timezone","locale","audiences")
       SELECT gen_random_uuid(), $1::uuid, k, n, e, s, tz, l, string_to_array(a, ',')
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS t(k, n, e, s, tz, l, a)
       ON CONFLICT ("projectId","key") DO UPDATE SET "name"=EXCLUDED."name", "email"=EXCLUDED."email",
         "slackId"=COALESCE(EXCLUDED."slackId", CASE WHEN "Person"."slackLookedUpAt" IS NOT NULL
           AND "Person"."email" IS NOT DISTINCT FROM EXCLUDED."email" THEN "Person"."slackId" END),
         "slackLookedUpAt"=CASE WHEN EXCLUDED."slackId" IS NULL AND "Person"."email" IS NOT DISTINCT FROM EXCLUDED."email"
           THEN "Person"."slackLookedUpAt" END,
         "timezone"=EXCLUDED."timezone", "locale"=EXCLUDED."locale", "audiences"=EXCLUDED."audiences"
       RETURNING "id", "key"`,
      projectId,
      part.map((x) => x.id),
      part.map((x) => x.name),
      part.map((x) => x.email ?? null),
      part.map((x) => x.slack ?? null),
      part.map((x) => x.timezone),
      part.map((x) => x.locale),
      part.map((x) => x.audiences.join(',')),
    );
    for (const r of rows) personIds.set(r.key, r.id);
  }

  const commIds = new Map<string, string>();
  const commRows = await db.$queryRawUnsafe<Array<{ id: string; key: string }>>(
    `INSERT INTO "Comm" ("id","projectId","key","kind","template","audiences","channels","workstreamKey","optional","spec")
     SELECT gen_random_uuid(), $1::uuid, k, kd, tp, string_to_array(au, ','), string_to_array(ch, ','), ws, op, sp::jsonb
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::boolean[], $9::text[]) AS t(k, kd, tp, au, ch, ws, op, sp)
     ON CONFLICT ("projectId","key") DO UPDATE SET "kind"=EXCLUDED."kind", "template"=EXCLUDED."template",
       "audiences"=EXCLUDED."audiences", "channels"=EXCLUDED."channels", "workstreamKey"=EXCLUDED."workstreamKey",
       "optional"=EXCLUDED."optional", "spec"=EXCLUDED."spec"
     RETURNING "id", "key"`,
    projectId,
    plan.comms.map((c) => c.key),
    plan.comms.map((c) => c.kind),
    plan.comms.map((c) => c.template),
    plan.comms.map((c) => c.audiences.join(',')),
    plan.comms.map((c) => c.channels.join(',')),
    plan.comms.map((c) => c.workstream ?? null),
    plan.comms.map((c) => c.optional),
    plan.comms.map((c) => JSON.stringify(c)),
  );
  for (const r of commRows) commIds.set(r.key, r.id);

  await saveSurveys(db, plan, commIds);
  return { projectId, personIds, commIds, moved };
}

async function saveSurveys(db: SqlClient, plan: Plan, commIds: ReadonlyMap<string, string>): Promise<void> {
  const withSurvey = plan.comms.filter((c) => c.survey);
  const without = plan.comms.filter((c) => !c.survey).map((c) => commIds.get(c.key)!);
  if (without.length) await db.$executeRawUnsafe(`DELETE FROM "Survey" WHERE "commId" = ANY($1::uuid[])`, without);
  if (!withSurvey.length) return;
  await db.$executeRawUnsafe(
    `INSERT INTO "Survey" ("id","commId","question","options","comment","remind","escalateTo")
     SELECT gen_random_uuid(), c, q, o::jsonb, cm, r::jsonb, e
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(c, q, o, cm, r, e)
     ON CONFLICT ("commId") DO UPDATE SET "question"=EXCLUDED."question", "options"=EXCLUDED."options",
       "comment"=EXCLUDED."comment", "remind"=EXCLUDED."remind", "escalateTo"=EXCLUDED."escalateTo"`,
    withSurvey.map((c) => commIds.get(c.key)!),
    withSurvey.map((c) => c.survey!.question),
    withSurvey.map((c) => JSON.stringify(c.survey!.options)),
    withSurvey.map((c) => c.survey!.comment),
    withSurvey.map((c) => (c.survey!.remind ? JSON.stringify(c.survey!.remind) : null)),
    withSurvey.map((c) => c.survey!.escalateTo),
  );
}

export async function loadMilestones(db: SqlClient, projectId: string): Promise<Map<string, StoredMilestone>> {
  const rows = await db.$queryRawUnsafe<Array<{ id: string; key: string; at: Date | string; doneAt: Date | string | null }>>(
    `SELECT "id","key","at","doneAt" FROM "Milestone" WHERE "projectId"=$1::uuid`,
    projectId,
  );
  return new Map(rows.map((r) => [r.key, { id: r.id, key: r.key, at: new Date(r.at), doneAt: r.doneAt ? new Date(r.doneAt) : null }]));
}

/** `movedAt` comes from the use case's clock, not the database's now(): `herald demo` and tests run on their own. */
export async function recordMove(db: SqlClient, projectId: string, key: string, from: Date, to: Date, source: string, movedAt: Date): Promise<void> {
  await db.$executeRawUnsafe(
    `INSERT INTO "MilestoneMove" ("id","milestoneId","fromAt","toAt","source","movedAt")
     SELECT gen_random_uuid(), "id", $3::timestamptz, $4::timestamptz, $5, $6::timestamptz FROM "Milestone" WHERE "projectId"=$1::uuid AND "key"=$2`,
    projectId,
    key,
    from.toISOString(),
    to.toISOString(),
    source,
    movedAt.toISOString(),
  );
}

export async function setMilestoneAt(db: SqlClient, projectId: string, key: string, at: Date, localAt: string): Promise<void> {
  await db.$executeRawUnsafe(
    `UPDATE "Milestone" SET "at"=$3::timestamptz, "localAt"=$4 WHERE "projectId"=$1::uuid AND "key"=$2`,
    projectId,
    key,
    at.toISOString(),
    localAt,
  );
}

export async function markMilestoneDone(db: SqlClient, milestoneId: string, at: Date): Promise<void> {
  await db.$executeRawUnsafe(`UPDATE "Milestone" SET "doneAt"=$2::timestamptz WHERE "id"=$1::uuid`, milestoneId, at.toISOString());
}
