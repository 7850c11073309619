import { listAudit } from '../../app/audit-trail.ts';
import { diffPlanVersions, planHistory } from '../../app/plan-history.ts';
import { auditActionLabel, parseSince } from '../../domain/audit/actions.ts';
import { csvLine } from '../../domain/csv.ts';
import type { CliContext } from '../context.ts';
import { checkChoice, checkCount } from '../options.ts';
import { plural } from '../output.ts';
import { projectTime } from '../project-time.ts';

async function zoneOf(db: Parameters<Parameters<CliContext['withDb']>[0]>[0], project: string): Promise<string> {
  await db.stores.projects.idOf(project); // NotFoundError naming the known projects
  return (await db.stores.projects.findWithPlan(project))?.plan.project.timezone ?? 'UTC';
}

/** `herald history PROJECT`: the applied versions, newest first. */
export async function history(ctx: CliContext, project: string, o: { format: string }): Promise<void> {
  checkChoice('--format', o.format, ['table', 'json']);
  await ctx.withDb(async (db) => {
    const list = await planHistory(db, { project });
    if (o.format === 'json') return ctx.output.out(JSON.stringify(list, null, 2));
    if (!list.length) return ctx.output.out(`no versions of ${project} yet: the next "herald apply" stores version 1`);
    const zone = await zoneOf(db, project);
    for (const v of list) {
      const c = v.summary.calendar as { added?: number; moved?: number; cancelled?: number } | undefined;
      ctx.output.out(
        `version ${v.number}  ${projectTime(v.appliedAt, zone)}  by ${v.appliedBy}` +
          `${v.rollbackOf !== null ? `  (rollback to version ${v.rollbackOf})` : ''}` +
          `  added ${c?.added ?? 0}, moved ${c?.moved ?? 0}, cancelled ${c?.cancelled ?? 0}  sha256 ${v.hash.slice(0, 12)}`,
      );
    }
  });
}

/** `herald diff PROJECT A B`: the YAML diff and what B does to the calendar compared with A. */
export async function diff(ctx: CliContext, project: string, a: string, b: string, o: { format: string }): Promise<void> {
  checkChoice('--format', o.format, ['text', 'json']);
  const from = checkCount('version A', a, 1);
  const to = checkCount('version B', b, 1);
  await ctx.withDb(async (db) => {
    const d = await diffPlanVersions(db, { project, from, to, now: ctx.clock.now() });
    if (o.format === 'json') return ctx.output.out(JSON.stringify(d, null, 2));
    const zone = await zoneOf(db, project);
    const t = (at: Date) => projectTime(at, zone);
    ctx.output.out(d.patch.trimEnd() || `versions ${from} and ${to} have the same text`);
    const c = d.calendar;
    ctx.output.out(
      `\ncalendar from now on (version ${to} instead of ${from}): ${plural(c.added.length, 'message')} added, ${c.moved.length} moved, ${c.cancelled.length} cancelled, ${c.unchanged} unchanged`,
    );
    // Each message in words (comm title and number, the person's name, the channel), by the version that has it.
    for (const m of c.added.slice(0, 20)) ctx.output.out(`  + ${m.label} at ${t(m.dueAt)}`);
    for (const m of c.moved.slice(0, 20)) ctx.output.out(`  ~ ${m.label}: ${t(m.from)} → ${t(m.to)}`);
    for (const m of c.cancelled.slice(0, 20)) ctx.output.out(`  - ${m.label} (was ${t(m.dueAt)})`);
    const more = Math.max(0, c.added.length - 20) + Math.max(0, c.moved.length - 20) + Math.max(0, c.cancelled.length - 20);
    if (more) ctx.output.out(`  … and ${more} more (--format json lists them all)`);
  });
}

const AUDIT_PAGE = 1000;

/** `herald audit PROJECT [--since D] [--format table|csv|json]`: the audit trail, oldest first. */
export async function audit(ctx: CliContext, project: string, o: { since?: string; format: string }): Promise<void> {
  checkChoice('--format', o.format, ['table', 'csv', 'json']);
  await ctx.withDb(async (db) => {
    const zone = await zoneOf(db, project);
    const since = o.since === undefined ? undefined : parseSince(o.since, zone);
    if (o.format === 'csv') ctx.output.out(csvLine(['at', 'actor', 'action', 'project', 'ref', 'detail']));
    const json: unknown[] = [];
    let afterSeq: string | undefined;
    let count = 0;
    for (;;) {
      const page = await listAudit(db, { project, since, afterSeq, limit: AUDIT_PAGE });
      for (const e of page) {
        count++;
        if (o.format === 'json') json.push({ at: e.at.toISOString(), actor: e.actor, action: e.action, project: e.projectKey, ref: e.ref, detail: e.detail });
        else if (o.format === 'csv') ctx.output.out(csvLine([e.at.toISOString(), e.actor, e.action, e.projectKey, e.ref, e.detail]));
        else ctx.output.out(`${projectTime(e.at, zone)}  ${e.actor}  ${auditActionLabel(e.action)}  ${e.ref}${detailWords(e.detail, zone)}`);
      }
      if (page.length < AUDIT_PAGE) break;
      afterSeq = page.at(-1)!.seq;
    }
    if (o.format === 'json') ctx.output.out(JSON.stringify(json, null, 2));
    else if (o.format === 'table' && count === 0) ctx.output.out(`no audit entries for ${project}${o.since ? ` since ${o.since}` : ''}`);
  });
}

/** An audit entry's detail as words; its instants (stored ISO UTC) in the project zone. */
function detailWords(d: Record<string, unknown>, zone: string): string {
  const word = (v: unknown): string =>
    typeof v !== 'string' ? JSON.stringify(v) : /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z$/.test(v) ? projectTime(new Date(v), zone) : v;
  const parts = Object.entries(d)
    .filter(([, v]) => v !== null && v !== undefined && v !== false)
    .map(([k, v]) => `${k} ${word(v)}`);
  return parts.length ? `  (${parts.join(', ')})` : '';
}
