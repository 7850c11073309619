/**
 * Plan history over the API, as `herald history` and `herald diff`: the versions every apply stored,
 * one version with its texts, and the difference between two (the rollback is ./rollback.ts).
 */
import { z } from 'zod';
import { diffPlanVersions, planHistory, planVersion, versionCounts, type PlanVersionInfo } from '../../../app/plan-history.ts';
import { authorize } from '../api-auth.ts';
import { decodeCursor, page, pageOf, PageQuery } from '../api-pages.ts';
import { bearer, errors, ProjectParam, type ApiDeps, type ApiScope } from './common.ts';

/** A version number: 1, 2, 3, … (the column is a 32-bit integer, so nothing larger can exist). */
export const VERSION_MAX = 2_147_483_647;
/** In a path, where it is text. */
const VersionNumber = z.coerce.number().int().min(1).max(VERSION_MAX);

const Counts = z.object({
  added: z.number(),
  moved: z.number(),
  cancelled: z.number(),
  unchanged: z.number(),
  milestonesMoved: z.number(),
  triggered: z.number().describe('messages created by milestone-moved triggers'),
});

const Version = z
  .object({
    number: z.number(),
    hash: z.string().describe("sha256 of the plan's texts"),
    appliedBy: z.string().describe("an API token's name, or user@host (CLI)"),
    appliedAt: z.string(),
    rollbackOf: z.number().nullable().describe('the version this one applied again (apply --rollback-to, POST /rollback)'),
    summary: Counts.describe('what the apply changed in the calendar when it was applied'),
  })
  .meta({ id: 'PlanVersion' });

const VersionWithTexts = Version.extend({
  file: z.string().describe("the plan file's name as given"),
  yaml: z.string().describe('the plan file exactly as applied'),
  files: z.array(z.object({ name: z.string(), text: z.string() })).describe('the people CSVs it read, by the name the plan gives them'),
}).meta({ id: 'PlanVersionWithTexts' });

const Change = { key: z.string(), label: z.string().describe('the message in words: comm title and number → person (channel)') };

const VersionDiff = z
  .object({
    from: Version,
    to: Version,
    patch: z.string().describe('a unified diff of the plan file (and of each people CSV that changed); only the file headers when the texts are the same'),
    calendar: z
      .object({
        added: z.array(z.object({ ...Change, dueAt: z.string() })),
        moved: z.array(z.object({ ...Change, from: z.string(), to: z.string() })),
        cancelled: z.array(z.object({ ...Change, dueAt: z.string() })),
        unchanged: z.number(),
      })
      .describe('what `to` does to the messages due from now on, compared with `from` (both calendars built now)'),
  })
  .meta({ id: 'PlanVersionDiff' });

const VersionParams = ProjectParam.extend({ version: VersionNumber });
const DiffParams = ProjectParam.extend({ from: VersionNumber, to: VersionNumber });

function versionJson(v: PlanVersionInfo): z.infer<typeof Version> {
  return {
    number: v.number,
    hash: v.hash,
    appliedBy: v.appliedBy,
    appliedAt: v.appliedAt.toISOString(),
    rollbackOf: v.rollbackOf,
    summary: versionCounts(v.summary),
  };
}

export function versionRoutes(app: ApiScope, { db, clock }: ApiDeps): void {
  app.get(
    '/projects/:project/versions',
    {
      schema: {
        summary: 'The plan versions every apply stored, newest first, as `herald history --format json`',
        security: bearer,
        params: ProjectParam,
        querystring: PageQuery,
        response: { 200: pageOf(Version), ...errors },
      },
    },
    async (req) => {
      authorize(req, 'viewer', req.params.project);
      const offset = decodeCursor(req.query.cursor);
      const list = await planHistory(db, { project: req.params.project });
      return page(list.slice(offset, offset + req.query.limit + 1).map(versionJson), offset, req.query.limit);
    },
  );

  app.get(
    '/projects/:project/versions/:version',
    {
      schema: {
        summary: 'One plan version with the plan file (and people CSVs) exactly as applied',
        security: bearer,
        params: VersionParams,
        response: { 200: VersionWithTexts, ...errors },
      },
    },
    async (req) => {
      authorize(req, 'viewer', req.params.project);
      const v = await planVersion(db, { project: req.params.project, number: req.params.version });
      return { ...versionJson(v), file: v.file, yaml: v.yaml, files: v.files };
    },
  );

  app.get(
    '/projects/:project/versions/:from/diff/:to',
    {
      schema: {
        summary: 'The YAML diff of two versions and what the second does to the calendar, as `herald diff --format json`',
        security: bearer,
        params: DiffParams,
        response: { 200: VersionDiff, ...errors },
      },
    },
    async (req) => {
      authorize(req, 'viewer', req.params.project);
      const d = await diffPlanVersions(db, { project: req.params.project, from: req.params.from, to: req.params.to, now: clock.now() });
      const iso = (at: Date) => at.toISOString();
      return {
        from: versionJson(d.from),
        to: versionJson(d.to),
        patch: d.patch,
        calendar: {
          added: d.calendar.added.map((m) => ({ key: m.key, label: m.label, dueAt: iso(m.dueAt) })),
          moved: d.calendar.moved.map((m) => ({ key: m.key, label: m.label, from: iso(m.from), to: iso(m.to) })),
          cancelled: d.calendar.cancelled.map((m) => ({ key: m.key, label: m.label, dueAt: iso(m.dueAt) })),
          unchanged: d.calendar.unchanged,
        },
      };
    },
  );
}
