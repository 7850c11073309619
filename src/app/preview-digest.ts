import { DateTime } from 'luxon';
import type { Digest } from '../domain/digest/model.ts';
import { isoWeekOf, mondayOfWeek, weekOccurrence, type IsoWeek } from '../domain/digest/week.ts';
import { HeraldError, NotFoundError } from '../domain/errors.ts';
import { recipientsOf } from '../domain/audience.ts';
import type { CommSpec, PersonSpec, Plan } from '../domain/plan/model.ts';
import { hint } from '../domain/plan/suggest.ts';
import { buildCalendar } from '../domain/schedule/calendar.ts';
import type { StoreDeps } from './ports.ts';
import type { TemplateEngine } from '../templates/engine.ts';
import type { RenderedMessage } from '../templates/rendered.ts';
import { buildDigest } from './build-digest.ts';
import { renderFor } from './render-message.ts';

export interface DigestPreviewInput {
  project: string;
  /** A person id of the plan; default the digest's first recipient. */
  as?: string;
  /** The ISO week whose digest to show; default the one that would go out now. */
  week?: IsoWeek;
  now: Date;
  publicUrl: string;
}

export interface DigestPreview {
  comm: string;
  person: string;
  /** The instant the digest is computed at (its send time in the week asked for). */
  at: Date;
  digest: Digest;
  email: RenderedMessage;
  /** The Slack version: Block Kit `blocks` and the notification `text`. */
  slack: RenderedMessage;
}

function digestComm(plan: Plan): CommSpec {
  const comm = plan.comms.find((c) => c.kind === 'digest');
  if (!comm) {
    throw new NotFoundError(
      `a comm with kind: digest in project "${plan.project.key}"`,
      'add one, e.g. - { key: exec-weekly, kind: digest, audience: executives, channels: [email, slack], template: exec-digest, ' +
        'schedule: { every: week, on: monday, time: "08:00", from: kickoff, until: hypercare-end } }',
    );
  }
  return comm;
}

function personOf(plan: Plan, comm: CommSpec, as: string | undefined): PersonSpec {
  if (as === undefined) {
    const first = recipientsOf(plan, comm)[0];
    if (!first)
      throw new HeraldError('NOT_FOUND', `comm "${comm.key}" reaches nobody`, { hint: `add people to ${comm.audiences.join(', ')}, or pass --as PERSON` });
    return first;
  }
  const person = plan.people.find((p) => p.id === as);
  if (!person)
    throw new NotFoundError(
      `person "${as}" in project "${plan.project.key}"`,
      hint(
        as,
        plan.people.map((p) => p.id),
        'people',
      ).trim() || undefined,
    );
  return person;
}

/** The digest's planned send instant for the person in that week; else Monday at the schedule's time in their zone. */
function sendInstant(plan: Plan, comm: CommSpec, person: PersonSpec, week: IsoWeek, now: Date): Date {
  const monday = mondayOfWeek(week);
  const occurrence = weekOccurrence(week);
  const planned = buildCalendar(plan, { now, comms: [comm.key] }).find((o) => o.personId === person.id && o.occurrence === occurrence);
  if (planned) return planned.dueAt;
  const time = comm.schedule?.time ?? '08:00';
  return DateTime.fromISO(`${monday}T${time}`, { zone: person.timezone }).toJSDate();
}

/** `herald digest PROJECT --preview`: the digest as it would be sent, computed from stored data, sending nothing. */
export async function previewDigest(db: StoreDeps, engine: TemplateEngine, input: DigestPreviewInput): Promise<DigestPreview> {
  const row = await db.stores.projects.findWithPlan(input.project);
  if (!row) {
    const known = await db.stores.projects.keys();
    throw new NotFoundError(`project "${input.project}"`, hint(input.project, known, 'projects').trim() || 'apply a plan first: herald apply PLAN');
  }
  const { plan } = row;
  const comm = digestComm(plan);
  const person = personOf(plan, comm, input.as);
  const at = input.week === undefined ? input.now : sendInstant(plan, comm, person, input.week, input.now);
  const digest = await buildDigest(db, { projectId: row.id, plan, now: at });
  const occurrence = { index: weekOccurrence(isoWeekOf(at, plan.project.timezone)), dueAt: at };
  const render = (channel: 'email' | 'slack') => renderFor(engine, plan, comm, person, occurrence, channel, at, input.publicUrl, digest);
  return { comm: comm.key, person: person.id, at, digest, email: render('email'), slack: render('slack') };
}
