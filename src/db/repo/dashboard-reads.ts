/**
 * The dashboard pages' own reads (projects list, plan, messages, escalations, preview, calendar):
 * ordinary Prisma queries, each returning the plain shape its page draws. The pages get this store
 * in DashboardDeps and never see the Prisma client. Use cases the pages share with the API and the
 * CLI (listMessages, calendarGrid…) keep their own data access in src/app.
 */
import { PlanCache } from '../../app/plan-cache.ts';
import { decodeCommSpec } from './json-columns.ts';
import { planById } from './project-store.ts';
import type { PlanIssue } from '../../domain/errors.ts';
import type { CommSpec, Plan } from '../../domain/plan/model.ts';
import type { Database } from '../database.ts';

export interface ProjectSummary {
  id: string;
  key: string;
  name: string;
  timezone: string;
}

export interface ProjectListing {
  key: string;
  name: string;
  timezone: string;
  people: number;
  comms: number;
}

export interface MilestoneRow {
  key: string;
  label: string | null;
  localAt: string;
  at: Date;
  doneAt: Date | null;
  /** Where it was first stored: the from of its first move, else where it is. */
  baseline: Date;
  moves: number;
}

export interface AppliedPlan {
  warnings: PlanIssue[];
  workstreams: Array<{ key: string; name: string; ownerKey: string; escalationKey: string | null }>;
  audiences: Array<{ key: string; description: string | null; people: number }>;
  comms: CommSpec[];
  /** Names of the workstream owners and escalation people, by plan id. */
  names: Map<string, string>;
}

export interface StoredOccurrence {
  occurrence: number;
  dueAt: Date;
  seriesItem: string | null;
}

export interface CalendarMessage {
  key: string;
  kind: string;
  occurrence: number;
  channel: string;
  seriesItem: string | null;
  dueAt: Date;
  status: string;
  comm: { key: string };
  person: { key: string; timezone: string };
}

export interface DashboardReads {
  /** The project with this key, or null. */
  projectByKey(key: string): Promise<ProjectSummary | null>;
  /** Every project (or only `onlyKey`'s), by name, with its people and comms counted. */
  projects(onlyKey: string | null): Promise<ProjectListing[]>;
  /**
   * The plan the project was last applied with (Project.plan), parsed once per apply: the pages
   * share it read-only. Reading and parsing a 10,000-person plan on every request cost the
   * calendar page ~30 ms of server CPU (bench:dashboard profile, 7 Dec 2026); now one indexed
   * `updatedAt` read says whether the cached one is still the applied one.
   */
  plan(projectId: string): Promise<Plan>;
  /** Milestones by current date, with their baseline and number of moves. */
  milestones(projectId: string): Promise<MilestoneRow[]>;
  /**
   * The applied plan from its tables, not from Project.plan: that JSON holds every person (megabytes
   * on a 10,000-person project), and reading it made the plan page 416 ms median on bench:dashboard.
   */
  appliedPlan(projectId: string): Promise<AppliedPlan>;
  /** Messages already sent of these comms. */
  sentOfComms(projectId: string, commKeys: readonly string[]): Promise<number>;
  /** A milestone's label: undefined when there is no such milestone, null when it has none. */
  milestoneLabel(projectId: string, key: string): Promise<string | null | undefined>;
  /** Messages that failed. */
  failedMessages(projectId: string): Promise<number>;
  /** Names of these people, by plan id (people not found are left out). */
  personNames(projectId: string, keys: readonly string[]): Promise<Map<string, string>>;
  /** A person's stored occurrences of a comm (one per occurrence), soonest first. */
  occurrencesOf(projectId: string, commKey: string, personKey: string): Promise<StoredOccurrence[]>;
  /** One message by its key, or null. */
  messageByKey(projectId: string, key: string): Promise<CalendarMessage | null>;
}

export function createDashboardReads(db: Pick<Database, 'prisma'>): DashboardReads {
  const personNames = async (projectId: string, keys: readonly string[]) =>
    new Map((await db.prisma.person.findMany({ where: { projectId, key: { in: [...keys] } }, select: { key: true, name: true } })).map((p) => [p.key, p.name]));
  const plans = new PlanCache({ planById: (id) => planById(db.prisma, id) });
  return {
    projectByKey: (key) => db.prisma.project.findUnique({ where: { key }, select: { id: true, key: true, name: true, timezone: true } }),

    async projects(onlyKey) {
      const rows = await db.prisma.project.findMany({
        where: { key: onlyKey || undefined },
        select: { key: true, name: true, timezone: true, _count: { select: { people: true, comms: true } } },
        orderBy: { name: 'asc' },
      });
      return rows.map((p) => ({ key: p.key, name: p.name, timezone: p.timezone, people: p._count.people, comms: p._count.comms }));
    },

    async plan(projectId) {
      const row = await db.prisma.project.findUniqueOrThrow({ where: { id: projectId }, select: { updatedAt: true } });
      return plans.get(projectId, row.updatedAt);
    },

    async milestones(projectId) {
      const rows = await db.prisma.milestone.findMany({
        where: { projectId },
        select: { key: true, label: true, localAt: true, at: true, doneAt: true, moves: { select: { fromAt: true }, orderBy: { movedAt: 'asc' } } },
        orderBy: { at: 'asc' },
      });
      return rows.map((m) => ({
        key: m.key,
        label: m.label,
        localAt: m.localAt,
        at: m.at,
        doneAt: m.doneAt,
        baseline: m.moves[0]?.fromAt ?? m.at,
        moves: m.moves.length,
      }));
    },

    async appliedPlan(projectId) {
      const prisma = db.prisma;
      const [stored, workstreams, audiences, comms] = await Promise.all([
        prisma.project.findUniqueOrThrow({ where: { id: projectId }, select: { warnings: true } }),
        prisma.workstream.findMany({ where: { projectId }, select: { key: true, name: true, ownerKey: true, escalationKey: true }, orderBy: { key: 'asc' } }),
        prisma.audience.findMany({ where: { projectId }, select: { key: true, description: true }, orderBy: { key: 'asc' } }),
        prisma.comm.findMany({ where: { projectId }, select: { spec: true }, orderBy: { key: 'asc' } }),
      ]);
      const sizes = await Promise.all(audiences.map((a) => prisma.person.count({ where: { projectId, audiences: { has: a.key } } })));
      const keys = [...new Set(workstreams.flatMap((w) => [w.ownerKey, ...(w.escalationKey ? [w.escalationKey] : [])]))];
      return {
        warnings: stored.warnings as unknown as PlanIssue[],
        workstreams,
        audiences: audiences.map((a, i) => ({ ...a, people: sizes[i]! })),
        comms: comms.map((c) => decodeCommSpec(c.spec)),
        names: await personNames(projectId, keys),
      };
    },

    sentOfComms: (projectId, commKeys) => db.prisma.message.count({ where: { projectId, status: 'sent', comm: { key: { in: [...commKeys] } } } }),

    async milestoneLabel(projectId, key) {
      return (await db.prisma.milestone.findFirst({ where: { projectId, key }, select: { label: true } }))?.label;
    },

    failedMessages: (projectId) => db.prisma.message.count({ where: { projectId, status: 'failed' } }),

    personNames,

    occurrencesOf: (projectId, commKey, personKey) =>
      db.prisma.message.findMany({
        where: { projectId, kind: 'comm', comm: { key: commKey }, person: { key: personKey } },
        select: { occurrence: true, dueAt: true, seriesItem: true },
        distinct: ['occurrence'],
        orderBy: { dueAt: 'asc' },
      }),

    messageByKey: (projectId, key) =>
      db.prisma.message.findUnique({
        where: { projectId_key: { projectId, key } },
        select: {
          key: true,
          kind: true,
          occurrence: true,
          channel: true,
          seriesItem: true,
          dueAt: true,
          status: true,
          comm: { select: { key: true } },
          person: { select: { key: true, timezone: true } },
        },
      }),
  };
}
