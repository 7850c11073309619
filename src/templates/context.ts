import { DateTime } from 'luxon';
import type { CommSpec, PersonSpec, Plan, SurveyOption } from '../domain/plan/model.ts';
import type { MessageContext, MilestoneContext, SeriesItem } from './context-schema.ts';

/** The milestone a comm hangs on: its schedule anchor or its trigger milestone. */
export function anchorMilestone(comm: CommSpec): string | undefined {
  if (comm.schedule && comm.schedule.type !== 'recurring') return comm.schedule.at;
  if (comm.trigger && comm.trigger.type !== 'manual') return comm.trigger.milestone;
  return undefined;
}

function toInstant(value: Date | string, zone: string): DateTime {
  return value instanceof Date ? DateTime.fromJSDate(value, { zone: 'utc' }) : DateTime.fromISO(value, { zone });
}

const LOCAL_AT: Intl.DateTimeFormatOptions = {
  weekday: 'long',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
};

/*
 * A worker renders thousands of messages from one plan object: index its people and format its
 * milestones once per zone and locale instead of once per message. Keyed weakly by the plan, so
 * a re-applied plan (a new object) starts afresh.
 */
const peopleIndex = new WeakMap<Plan, Map<string, PersonSpec>>();
const milestoneIndex = new WeakMap<Plan, Map<string, Record<string, MilestoneContext>>>();

function peopleById(plan: Plan): Map<string, PersonSpec> {
  let index = peopleIndex.get(plan);
  if (!index) peopleIndex.set(plan, (index = new Map(plan.people.map((p) => [p.id, p]))));
  return index;
}

function milestonesFor(plan: Plan, timezone: string, locale: string): Record<string, MilestoneContext> {
  let byZone = milestoneIndex.get(plan);
  if (!byZone) milestoneIndex.set(plan, (byZone = new Map()));
  const key = `${timezone}|${locale}`;
  const cached = byZone.get(key);
  if (cached) return cached;
  const zone = plan.project.timezone;
  const milestones: Record<string, MilestoneContext> = {};
  for (const m of plan.milestones) {
    const at = DateTime.fromISO(m.at, { zone });
    milestones[m.key] = Object.freeze({
      key: m.key,
      label: m.label ?? m.key,
      at: at.toUTC().toISO() ?? m.at,
      localAt: at.setZone(timezone).setLocale(locale).toLocaleString(LOCAL_AT),
    });
  }
  Object.freeze(milestones);
  byZone.set(key, milestones);
  return milestones;
}

export interface ContextInput {
  plan: Plan;
  comm: CommSpec;
  person: PersonSpec;
  audience: string;
  now: Date | string;
  occurrence: { index: number; dueAt: Date | string; count?: number };
  item?: SeriesItem;
  links?: { unsubscribe?: string; answer?: string };
  /** Builds the answer URL for one survey option (a signed `/r/<token>` link). */
  answerUrl?: (option: SurveyOption) => string;
  digest?: unknown;
}

/** Builds the render context from plan data; pure (the caller supplies `now` and the signed links). */
export function buildContext(input: ContextInput): MessageContext {
  const { plan, comm, person } = input;
  const zone = plan.project.timezone;
  const milestones = milestonesFor(plan, person.timezone, person.locale);
  const byId = peopleById(plan);
  const contact = (id: string): { name: string; email?: string } => {
    const p = byId.get(id);
    if (!p) return { name: id };
    return p.email === undefined ? { name: p.name } : { name: p.name, email: p.email };
  };
  const ws = comm.workstream === undefined ? undefined : plan.workstreams.find((w) => w.key === comm.workstream);
  const anchor = anchorMilestone(comm);
  const answerUrl = input.answerUrl;
  const ctx: MessageContext = {
    project: { key: plan.project.key, name: plan.project.name, timezone: zone },
    person: {
      id: person.id,
      name: person.name,
      firstName: person.name.trim().split(/\s+/)[0] ?? person.name,
      ...(person.email === undefined ? {} : { email: person.email }),
      timezone: person.timezone,
      locale: person.locale,
    },
    audience: input.audience,
    comm: { key: comm.key, kind: comm.kind, optional: comm.optional },
    milestones,
    data: comm.data,
    occurrence: {
      index: input.occurrence.index,
      dueAt: toInstant(input.occurrence.dueAt, 'utc').toUTC().toISO() ?? String(input.occurrence.dueAt),
      ...(input.occurrence.count === undefined ? {} : { count: input.occurrence.count }),
    },
    links: { ...input.links },
    now: toInstant(input.now, 'utc').toUTC().toISO() ?? String(input.now),
  };
  const anchored = anchor === undefined ? undefined : milestones[anchor];
  if (anchored) ctx.milestone = anchored;
  if (ws) {
    ctx.workstream = {
      key: ws.key,
      name: ws.name,
      owner: contact(ws.owner),
      ...(ws.escalation === undefined ? {} : { escalation: contact(ws.escalation) }),
    };
  }
  if (input.item) ctx.item = input.item;
  if (comm.survey) {
    ctx.survey = {
      question: comm.survey.question,
      comment: comm.survey.comment,
      options: comm.survey.options.map((o) => ({
        value: o.value,
        label: o.label,
        url: answerUrl ? answerUrl(o) : `/r/preview-${encodeURIComponent(o.value)}`,
        ...(o.escalate === undefined ? {} : { escalate: o.escalate }),
      })),
    };
  }
  if (input.digest !== undefined) ctx.digest = input.digest;
  return ctx;
}

/** How many messages a comm's schedule makes per person, when the plan alone says so. */
function occurrenceCount(comm: CommSpec): number | undefined {
  if (comm.series) return comm.series.length;
  if (comm.schedule?.type === 'series') return comm.schedule.offsets.length;
  if (comm.schedule?.type === 'stepped') return comm.schedule.count;
  if (comm.schedule?.type === 'anchored') return 1;
  return undefined;
}

/** The milestone a sample "now" sits next to, and whether the comm goes out after it. */
function sampleAnchor(comm: CommSpec, plan: Plan): { key: string | undefined; after: boolean } {
  const s = comm.schedule;
  if (s?.type === 'recurring') return { key: 'milestone' in s.from ? s.from.milestone : plan.milestones[0]?.key, after: true };
  if (s?.type === 'anchored' || s?.type === 'stepped') return { key: s.at, after: s.offset.sign > 0 };
  if (s?.type === 'series') return { key: s.at, after: (s.offsets[0]?.sign ?? -1) > 0 };
  if (comm.trigger?.type === 'milestone-done') return { key: comm.trigger.milestone, after: true };
  return { key: anchorMilestone(comm) ?? plan.milestones[0]?.key, after: false };
}

export interface SampleOptions {
  audience?: string;
  /** A plan person id; defaults to the first person in the audience, else a made-up one. */
  personId?: string;
  /** Defaults to three days before the comm's milestone, or a day after it when the comm follows it. */
  now?: Date | string;
  occurrence?: number;
  item?: SeriesItem;
  digest?: unknown;
}

/**
 * A realistic context for `herald validate` trial renders and `herald preview`: real plan data,
 * a real (or stand-in) person, placeholder links instead of signed ones.
 */
export function sampleContext(plan: Plan, comm: CommSpec, opts: SampleOptions = {}): MessageContext {
  const audience = opts.audience ?? comm.audiences[0] ?? 'everyone';
  const person = (opts.personId === undefined ? undefined : plan.people.find((p) => p.id === opts.personId)) ??
    plan.people.find((p) => p.audiences.includes(audience)) ?? {
      id: 'sample',
      name: 'Alex Sample',
      email: 'alex.sample@example.com',
      timezone: plan.project.timezone,
      audiences: [audience],
      locale: 'en-US',
    };
  const { key: anchorKey, after } = sampleAnchor(comm, plan);
  const anchor = plan.milestones.find((m) => m.key === anchorKey);
  const base = anchor ? DateTime.fromISO(anchor.at, { zone: plan.project.timezone }) : DateTime.fromISO('2026-01-01T09:00', { zone: 'utc' });
  const now = opts.now ?? (after ? base.plus({ days: 1 }) : base.minus({ days: 3 })).toUTC().toISO() ?? '2026-01-01T00:00:00Z';
  const index = opts.occurrence ?? 0;
  const count = occurrenceCount(comm);
  return buildContext({
    plan,
    comm,
    person,
    audience,
    now,
    occurrence: count === undefined ? { index, dueAt: now } : { index, dueAt: now, count },
    item: opts.item,
    digest: opts.digest,
    links: {
      ...(comm.optional ? { unsubscribe: '/u/preview' } : {}),
      ...(comm.survey ? { answer: '/r/preview' } : {}),
    },
  });
}
