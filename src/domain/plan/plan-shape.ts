/**
 * The shape of a comms plan: which keys each map allows, and the form of each value where a
 * pattern can say it (dates, times, offsets, keys, enums).
 *
 * One source of truth for two readers: the validators take the keys each map allows from here
 * (`keysOf`), and `herald schema` turns it into the JSON Schema that editors use
 * (src/domain/plan/plan-json-schema.ts). What a schema cannot say (unknown milestones, zones,
 * holiday codes, template variables, blackout order) stays in the validators, which also give
 * the line numbers and suggestions.
 */
import { z } from 'zod';
import { WEEKDAYS } from './model.ts';

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_OR_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/;
const WALL_TIME = /^\d{1,2}:\d{2}$/;
const OFFSET_UNITS = '(minutes?|hours?|days?|business days?|weeks?)';
const SIGNED_OFFSET = new RegExp(`^\\s*[+-]\\s*\\d+\\s*${OFFSET_UNITS}\\s*$`, 'i');
const UNSIGNED_OFFSET = new RegExp(`^\\s*\\+?\\s*\\d+\\s*${OFFSET_UNITS}\\s*$`, 'i');
const EVERY = /^\s*(day|business day|week|month|\d+\s+(days?|business days?|weeks?|months?))\s*$/i;
const WEEKDAY_WORDS = [...WEEKDAYS, 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

const text = (description: string) => z.string().min(1).meta({ description });
const key = (description: string) => z.string().regex(KEY).meta({ description });
const oneOrMany = (item: z.ZodType, description: string) => z.union([item, z.array(item).min(1)]).meta({ description });
const weekday = z
  .string()
  .regex(new RegExp(`^(${WEEKDAY_WORDS.join('|')})$`, 'i'))
  .meta({ description: 'mon…sun (or monday…sunday)' });
const weekdays = (description: string) => z.array(weekday).min(1).meta({ description });
const wallTime = (description: string) => z.string().regex(WALL_TIME).meta({ description });
const date = z.string().regex(DATE).meta({ description: 'a date YYYY-MM-DD' });
const localDateTime = (description: string) => z.string().regex(DATE_OR_DATE_TIME).meta({ description });
const signedOffset = z.string().regex(SIGNED_OFFSET).meta({ description: 'a signed offset: "-3 business days", "+1 day", "+4 hours"' });
const unsignedOffset = z.string().regex(UNSIGNED_OFFSET).meta({ description: 'a delay: "2 business days", "4 hours"' });
const every = z.string().regex(EVERY).meta({ description: 'day, business day, week, "2 weeks" or month' });
const anchorRef = z.string().min(1).meta({ description: 'a milestone key or a date YYYY-MM-DD[THH:mm]' });
const urgentFlag = z.union([z.boolean(), z.literal('urgent')]);

export const RecipientCalendarShape = z.strictObject({
  holidays: z.boolean().meta({ description: "keep messages off each recipient's public holidays" }),
  workDays: z.boolean().meta({ description: "keep messages off each recipient's non-working days" }),
});
const recipientCalendar = z.union([z.boolean(), RecipientCalendarShape.partial()]).meta({ description: 'true for both rules, or { holidays, workDays }' });

export const HolidaysShape = z.strictObject({
  country: z.string().min(2).meta({ description: 'ISO country code for public holidays (date-holidays), e.g. US' }),
  region: z.string().min(1).meta({ description: 'region or state code, e.g. CA' }),
  state: z.string().min(1).meta({ description: 'alias of region' }),
  extra: z.array(date).meta({ description: 'extra closure dates' }),
});
export const QuietHoursShape = z.strictObject({ start: wallTime('start, recipient-local "19:00"'), end: wallTime('end, recipient-local "08:00"') });
export const SenderShape = z.strictObject({ email: text('From address: "IT PMO <pmo@example.com>"'), replyTo: text('Reply-To address') });
export const BusinessHoursShape = z.strictObject({ start: wallTime('"09:00"'), end: wallTime('"17:00"') });
export const EscalationShape = z.strictObject({
  after: text('escalate to the next level after this long, e.g. "4 business hours"'),
  businessHours: BusinessHoursShape.partial(),
});
export const BlackoutBoundShape = z.strictObject({ at: key('a milestone key'), offset: signedOffset });
const blackoutBound = z.union([anchorRef, BlackoutBoundShape.partial({ offset: true })]);
export const BlackoutShape = z.strictObject({
  from: blackoutBound.meta({ description: 'a date-time, a milestone, or { at: milestone, offset }' }),
  to: blackoutBound.meta({ description: 'a date-time, a milestone, or { at: milestone, offset }' }),
  label: text('shown in explanations'),
  allow: oneOrMany(z.string().min(1), 'comm keys or kinds that may still go out inside the window'),
});

export const RemindShape = z.strictObject({ after: unsignedOffset, times: z.int().min(1) });
export const ApprovalShape = z.strictObject({
  by: oneOrMany(key('a person id'), 'person ids of the approvers'),
  needs: z.enum(['any', 'all']).meta({ description: 'any (default): one approval is enough; all: every approver must approve' }),
  before: unsignedOffset.meta({ description: 'ask this long before the first send, e.g. "2 business days" (default)' }),
  catchUp: z
    .union([z.literal('send'), unsignedOffset])
    .meta({ description: 'a held message approved late: send, or a delay ("1 day", default) after its time within which it is still sent' }),
  remind: RemindShape.partial({ times: true }).meta({ description: 'remind silent approvers: { after: "1 business day", times: 2 } (default)' }),
});
export const ProjectApprovalShape = z.strictObject({
  ...ApprovalShape.shape,
  kinds: oneOrMany(z.string().min(1), 'comm kinds that need approval, e.g. [exec-summary, ops-impact, announcement]'),
  skip: oneOrMany(z.enum(['urgent', 'milestone-moved']), 'urgent comms and/or milestone-moved notices go out without approval'),
});

export const ProjectShape = z.strictObject({
  key: key('how commands name the project, e.g. northwind-m365'),
  name: text('the project name as people read it'),
  timezone: text('IANA zone; dates in the plan are counted here, e.g. America/Chicago'),
  businessDays: weekdays('the working week, e.g. [mon, tue, wed, thu, fri]'),
  holidays: z.union([z.array(date), HolidaysShape.partial()]).meta({ description: '{ country, region, extra } or a list of dates' }),
  quietHours: QuietHoursShape,
  catchUp: z.enum(['skip', 'send']).meta({ description: 'messages already past when planned: skip (default) or send' }),
  sender: SenderShape.partial(),
  recipientCalendar,
  blackouts: z.array(BlackoutShape.partial({ label: true, allow: true })).meta({ description: 'windows in which only the listed comms go out' }),
  escalation: EscalationShape.partial(),
  owner: key("the project manager's person id (told about held and rejected comms with no workstream owner)"),
  approval: ProjectApprovalShape.partial({ needs: true, before: true, catchUp: true, skip: true, remind: true }),
});

export const MilestoneShape = z.strictObject({
  at: localDateTime('a local date or date-time in the project zone, e.g. 2027-01-15T18:00'),
  label: text('shown in messages and the dashboard'),
});
export const WorkstreamShape = z.strictObject({
  name: text('the workstream name'),
  owner: key('person id of the owner (gets escalations)'),
  escalation: key('person id to escalate to when the owner does not act'),
});
export const AudienceShape = z.strictObject({ description: z.string().meta({ description: 'who is in it' }) });

export const PersonShape = z.strictObject({
  id: key('unique person id'),
  name: text('full name'),
  email: text('email address'),
  slack: text('Slack user id, e.g. U0123ABCD (looked up by email when absent)'),
  timezone: text('IANA zone (default: the project zone)'),
  audiences: oneOrMany(key('an audience key'), 'audience keys'),
  locale: text('e.g. en-US'),
  country: z.string().min(2).meta({ description: 'public holidays of this country' }),
  region: text('region or state code'),
  workDays: weekdays("this person's working week, e.g. [sun, mon, tue, wed, thu]"),
});
export const PeopleShape = z.strictObject({
  csv: text('a CSV file beside the plan: id,name,email,slack,timezone,audiences,locale[,country,region,workDays]'),
  inline: z.array(
    PersonShape.partial({ name: true, email: true, slack: true, timezone: true, audiences: true, locale: true, country: true, region: true, workDays: true }),
  ),
});

export const SCHEDULE_FORMS = {
  anchored: z.strictObject({ at: key('anchor milestone'), offset: signedOffset, time: wallTime('recipient-local time "09:00"') }),
  series: z.strictObject({ at: key('anchor milestone'), offsets: z.array(signedOffset).min(1), time: wallTime('recipient-local time "09:00"') }),
  stepped: z.strictObject({ at: key('anchor milestone'), offset: signedOffset, every, count: z.int().min(1), time: wallTime('recipient-local time "10:30"') }),
  recurring: z.strictObject({ every, on: weekday, time: wallTime('recipient-local time "08:00"'), from: anchorRef, until: anchorRef }),
} as const;
const schedule = z
  .union([
    SCHEDULE_FORMS.anchored.partial({ time: true }),
    SCHEDULE_FORMS.series.partial({ time: true }),
    SCHEDULE_FORMS.stepped.partial({ time: true, count: true }),
    SCHEDULE_FORMS.recurring.partial({ time: true, on: true }),
  ])
  .meta({ description: 'anchored { at, offset }, series { at, offsets }, stepped { at, offset, every } or recurring { every, from, until }' });

export const TriggerShape = z.strictObject({ 'milestone-moved': key('milestone key'), 'milestone-done': key('milestone key'), manual: z.literal(true) });
const trigger = z
  .union([
    z.literal('manual'),
    TriggerShape.pick({ 'milestone-moved': true }),
    TriggerShape.pick({ 'milestone-done': true }),
    TriggerShape.pick({ manual: true }),
  ])
  .meta({ description: 'manual, { milestone-moved: KEY } or { milestone-done: KEY }' });

export const SurveyOptionShape = z.strictObject({
  value: z.union([z.string().min(1), z.number()]).meta({ description: 'stored answer value' }),
  label: text('button or link label'),
  escalate: urgentFlag.meta({ description: 'true or urgent: this answer opens an escalation' }),
  comment: z.boolean().meta({ description: 'ask for a comment with this answer' }),
  decision: z.boolean().meta({ description: 'this answer asks the sponsors for a decision (weekly digest)' }),
});
export const SurveyShape = z.strictObject({
  question: text('the question'),
  options: z.array(SurveyOptionShape.partial({ label: true, escalate: true, comment: true, decision: true })).min(1),
  comment: z.enum(['none', 'optional', 'required']),
  remind: RemindShape.partial({ times: true }),
  escalateTo: z.string().min(1).meta({ description: 'workstream-owner (default) or a person id' }),
});

export const CommShape = z.strictObject({
  key: key('unique comm key'),
  kind: text('announcement, ops-impact, digest, workstream-status, adoption-tip, hypercare-checkin…'),
  audience: oneOrMany(key('an audience key'), 'audience keys'),
  channels: oneOrMany(z.enum(['slack', 'email', 'preferred']), 'slack, email, or preferred (Slack where the person has it, else email)'),
  template: text('a template folder name, e.g. user-prep'),
  workstream: key('workstream key'),
  data: z.record(z.string(), z.unknown()).meta({ description: 'free values the template reads as data.*' }),
  survey: SurveyShape.partial({ comment: true, remind: true, escalateTo: true }),
  optional: z.boolean().meta({ description: 'people may opt out of it' }),
  series: z.array(z.string().min(1)).min(1).meta({ description: 'item keys of a stepped series' }),
  schedule,
  trigger,
  urgent: z.boolean().meta({ description: 'ignore recipient holidays, days off and blackouts (not quiet hours)' }),
  recipientCalendar,
  title: text("what people read as the comm's name (else a readable form of its key)"),
  approval: z
    .union([z.literal(false), ApprovalShape.partial()])
    .meta({ description: '{ by: [ids], needs: any|all, before: "2 business days" } to sign off before send; false: never (overrides project.approval)' }),
});

export const PlanShape = z
  .strictObject({
    project: ProjectShape.partial({
      businessDays: true,
      holidays: true,
      quietHours: true,
      catchUp: true,
      sender: true,
      recipientCalendar: true,
      blackouts: true,
      escalation: true,
      owner: true,
      approval: true,
    }),
    milestones: z.record(z.string().regex(KEY), MilestoneShape.partial({ label: true })),
    workstreams: z.record(z.string().regex(KEY), WorkstreamShape.partial({ escalation: true })),
    audiences: z.record(z.string().regex(KEY), AudienceShape.partial()),
    people: z.union([
      PeopleShape.partial(),
      z.array(
        PersonShape.partial({
          name: true,
          email: true,
          slack: true,
          timezone: true,
          audiences: true,
          locale: true,
          country: true,
          region: true,
          workDays: true,
        }),
      ),
    ]),
    comms: z.array(
      CommShape.partial({
        workstream: true,
        data: true,
        survey: true,
        optional: true,
        series: true,
        schedule: true,
        trigger: true,
        urgent: true,
        recipientCalendar: true,
        title: true,
        approval: true,
      }),
    ),
  })
  .partial({ milestones: true, workstreams: true, audiences: true, people: true, comms: true });

/** The keys a map of this shape allows, in declaration order (the validators' allow-lists). */
export function keysOf<T extends z.ZodRawShape>(o: z.ZodObject<T>): (keyof T & string)[] {
  return Object.keys(o.shape) as (keyof T & string)[];
}
