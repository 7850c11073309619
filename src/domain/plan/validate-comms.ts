import { isMap } from 'yaml';
import type { Channel, ChannelChoice, CommSpec, Plan } from './model.ts';
import type { Known } from './known.ts';
import { checkKeyName, isNothing, readBool, readMap, readString, readStringOrList, type Reader } from './read-values.ts';
import { hint } from './suggest.ts';
import { readSchedule } from './validate-schedule.ts';
import { readSurvey } from './validate-survey.ts';
import { readTrigger } from './validate-trigger.ts';
import { readRecipientCalendar } from './validate-blackouts.ts';
import type { Loc } from './yaml-locate.ts';
import { CommShape, keysOf } from './plan-shape.ts';
import { readCommApproval } from './validate-approval.ts';

const COMM_KEYS = keysOf(CommShape);
const CHANNELS: readonly ChannelChoice[] = ['slack', 'email', 'preferred'];

/** Checks a valid comm's templates against the whole plan (a trial render needs its people and milestones). */
export type CheckTemplate = (comm: CommSpec, plan: Plan) => string[];

export interface ReadComm {
  spec: CommSpec;
  templateLoc: Loc;
  /** The comm's own item (`- key: …`), where warnings about the comm as a whole point. */
  loc: Loc;
}

export function readComms(r: Reader, loc: Loc | undefined, known: Known): ReadComm[] {
  if (loc === undefined || isNothing(loc.node)) return [];
  const items = r.src.items(loc);
  if (items === undefined) {
    r.sink.error(loc, 'expected a list of comms, each starting with "- key: …"');
    return [];
  }
  const out: ReadComm[] = [];
  const keys = new Map<string, number>();
  for (const item of items) {
    const comm = readComm(r, item, known, keys);
    if (comm !== undefined) out.push(comm);
  }
  return out;
}

/** Template problems become errors at each comm's `template` line; only comms that are otherwise valid are checked. */
export function checkTemplates(r: Reader, comms: readonly ReadComm[], plan: Plan, checkTemplate: CheckTemplate): void {
  for (const comm of comms) {
    for (const message of checkTemplate(comm.spec, plan)) r.sink.error(comm.templateLoc, message);
  }
}

function readComm(r: Reader, loc: Loc, known: Known, keys: Map<string, number>): ReadComm | undefined {
  const f = readMap(r, loc, COMM_KEYS, '- { key: …, kind: …, audience: …, channels: [email], template: …, schedule: … }');
  if (f === undefined) return undefined;
  const mark = r.sink.errorCount();

  const keyLoc = f.need('key', 'cutover-user-prep');
  const key = keyLoc === undefined ? undefined : readString(r, keyLoc, 'a comm key');
  if (keyLoc !== undefined && key !== undefined && checkKeyName(r, keyLoc, key)) {
    const first = keys.get(key);
    if (first !== undefined) r.sink.error(keyLoc, `duplicate comm key "${key}" (first at line ${first}); comm keys must be unique`);
    else keys.set(key, keyLoc.line);
  }
  const titleLoc = f.get('title');
  const title = titleLoc === undefined ? undefined : readString(r, titleLoc, 'a title such as "Hypercare check-in"');
  const kindLoc = f.need('kind', 'announcement');
  const kind = kindLoc === undefined ? undefined : readString(r, kindLoc, 'a kind such as announcement, ops-impact or digest');

  const audLoc = f.need('audience', 'end-users');
  const audiences: string[] = [];
  for (const a of (audLoc === undefined ? undefined : readStringOrList(r, audLoc, 'an audience key')) ?? []) {
    if (!known.audiences.has(a.value)) r.sink.error(a.loc, `unknown audience "${a.value}"${hint(a.value, known.audiences)}`);
    else if (audiences.includes(a.value)) r.sink.warn(a.loc, `audience "${a.value}" is listed twice`);
    else {
      audiences.push(a.value);
      if ((known.audienceSizes.get(a.value) ?? 0) === 0) r.sink.warn(a.loc, `audience "${a.value}" has no people: this comm reaches nobody there`);
    }
  }

  const chLoc = f.need('channels', '[preferred] (Slack where the person has it, else email)');
  const channels = chLoc === undefined ? [] : readChannels(r, chLoc);

  const tLoc = f.need('template', 'user-prep');
  const templateName = tLoc === undefined ? undefined : readString(r, tLoc, 'a template name');
  const template =
    tLoc !== undefined && templateName !== undefined && checkKeyName(r, tLoc, templateName, 'template name (a folder of the templates directory)')
      ? templateName
      : undefined;

  const wsLoc = f.get('workstream');
  let workstream: string | undefined;
  if (wsLoc !== undefined) {
    const w = readString(r, wsLoc, 'a workstream key');
    if (w !== undefined && !known.workstreams.has(w)) r.sink.error(wsLoc, `unknown workstream "${w}"${hint(w, known.workstreams)}`);
    else workstream = w;
  }

  const dataLoc = f.get('data');
  let data: Record<string, unknown> = {};
  if (dataLoc !== undefined) {
    if (isMap(dataLoc.node)) {
      const js = r.src.toJS(dataLoc);
      if (js.ok) data = js.value as Record<string, unknown>;
      else r.sink.error(dataLoc, `data cannot be used: ${js.reason}; write the values out`);
    } else r.sink.error(dataLoc, 'expected a map of values for the template, e.g. data: { window: "Friday 18:00" }');
  }

  const optLoc = f.get('optional');
  const optional = optLoc === undefined ? false : (readBool(r, optLoc) ?? false);

  const urgentLoc = f.get('urgent');
  const urgent = urgentLoc === undefined ? false : (readBool(r, urgentLoc) ?? false);
  const rcLoc = f.get('recipientCalendar');
  const recipientCalendar = rcLoc === undefined ? undefined : readRecipientCalendar(r, rcLoc);

  const approvalLoc = f.get('approval');
  const approval = approvalLoc === undefined ? undefined : readCommApproval(r, approvalLoc, known, kind);

  const surveyLoc = f.get('survey');
  const survey = surveyLoc === undefined ? undefined : readSurvey(r, surveyLoc, known);

  const schedLoc = f.get('schedule');
  const trigLoc = f.get('trigger');
  if (schedLoc !== undefined && trigLoc !== undefined) {
    r.sink.error({ ...trigLoc, line: f.keyLine('trigger') }, 'a comm has either a schedule or a trigger, not both: split it into two comms');
  } else if (schedLoc === undefined && trigLoc === undefined) {
    r.sink.error(
      loc,
      'missing "schedule" or "trigger": say when this comm is sent, e.g. schedule: { at: cutover, offset: "-3 business days" } or trigger: manual',
    );
  }
  const schedule = schedLoc === undefined ? undefined : readSchedule(r, schedLoc, known);
  const trigger = trigLoc === undefined || schedLoc !== undefined ? undefined : readTrigger(r, trigLoc, known);

  // A digest's message key names its ISO week (see domain/digest/week.ts): one a week at most.
  if (kind === 'digest' && schedLoc !== undefined && schedule !== undefined && !(schedule.type === 'recurring' && schedule.every.unit === 'week')) {
    r.sink.error(schedLoc, 'a digest is weekly: use schedule: { every: week, on: monday, time: "08:00", from: …, until: … } (or every: "2 weeks")');
  } else if (kind === 'digest' && trigLoc !== undefined && schedLoc === undefined) {
    r.sink.error(
      { ...trigLoc, line: f.keyLine('trigger') },
      'a digest is sent weekly, not by a trigger: use schedule: { every: week, on: monday, time: "08:00", from: …, until: … }' +
        '; `herald digest PROJECT --preview` shows it at any time',
    );
  }

  const seriesLoc = f.get('series');
  const series = seriesLoc === undefined ? undefined : readSeries(r, seriesLoc);
  if (schedule?.type === 'stepped' && schedLoc !== undefined) {
    if (seriesLoc !== undefined && schedule.count !== undefined) {
      r.sink.error(
        { ...schedLoc, path: `${schedLoc.path}.count` },
        'give either "series" on the comm or "count" in the schedule, not both: the series length is the count',
      );
    } else if (seriesLoc === undefined && schedule.count === undefined) {
      r.sink.error(schedLoc, 'a stepped schedule needs an end: add series: [item, …] to the comm (one message per item) or count: N to the schedule');
    }
  } else if (seriesLoc !== undefined && (schedule !== undefined || trigger !== undefined)) {
    r.sink.error(seriesLoc, 'series needs a stepped schedule { at, offset, every }: one message per item');
  }

  if (r.sink.errorCount() !== mark || key === undefined || kind === undefined || template === undefined || tLoc === undefined) return undefined;
  const spec: CommSpec = { key, kind, audiences, channels, template, data, optional };
  if (title !== undefined && title.trim()) spec.title = title.trim();
  if (workstream !== undefined) spec.workstream = workstream;
  if (survey !== undefined) spec.survey = survey;
  if (series !== undefined) spec.series = series;
  if (schedule !== undefined) spec.schedule = schedule;
  if (trigger !== undefined) spec.trigger = trigger;
  if (urgent) spec.urgent = true;
  if (recipientCalendar !== undefined) spec.recipientCalendar = recipientCalendar;
  if (approval !== undefined) spec.approval = approval;
  return { spec, templateLoc: tLoc, loc };
}

function readChannels(r: Reader, loc: Loc): ChannelChoice[] {
  const out: ChannelChoice[] = [];
  for (const c of readStringOrList(r, loc, 'a channel (slack, email or preferred)') ?? []) {
    if (!(CHANNELS as readonly string[]).includes(c.value)) {
      r.sink.error(c.loc, `unknown channel "${c.value}"${hint(c.value, CHANNELS, 'use')}`);
    } else if (out.includes(c.value as ChannelChoice)) r.sink.warn(c.loc, `channel "${c.value}" is listed twice`);
    else out.push(c.value as ChannelChoice);
  }
  if (out.includes('preferred') && out.some((c): c is Channel => c !== 'preferred')) {
    r.sink.warn(loc, '"preferred" already picks Slack or email per person; together with slack/email some people get the message twice');
  }
  return out;
}

function readSeries(r: Reader, loc: Loc): string[] | undefined {
  const items = r.src.items(loc);
  if (items === undefined || items.length === 0) {
    r.sink.error(loc, 'expected a non-empty list of item keys, e.g. series: [teams-chat, outlook-mobile]');
    return undefined;
  }
  const out: string[] = [];
  const seen = new Map<string, number>();
  for (const item of items) {
    const s = readString(r, item, 'an item key');
    if (s === undefined || !checkKeyName(r, item, s, "series item key (a file name under the template's items/ folder)")) continue;
    const first = seen.get(s);
    if (first !== undefined) r.sink.error(item, `"${s}" is already in the series (line ${first}); each item is sent once`);
    else {
      seen.set(s, item.line);
      out.push(s);
    }
  }
  return out.length === items.length ? out : undefined;
}
