import { PlanInvalidError, type PlanIssue } from '../errors.ts';
import type { Plan } from './model.ts';
import { IssueSink, sortIssues, type Where } from './issues.ts';
import type { Known } from './known.ts';
import { isNothing, readMap, type Reader } from './read-values.ts';
import { readAudiences } from './validate-audiences.ts';
import { checkTemplates, readComms, type CheckTemplate } from './validate-comms.ts';
import { readMilestones } from './validate-milestones.ts';
import { readPeople, type ReadFile } from './validate-people.ts';
import { readProject } from './validate-project.ts';
import { readWorkstreams } from './validate-workstreams.ts';
import { checkBlackoutAllows, readBlackouts, type ReadBlackout } from './validate-blackouts.ts';
import { YamlSource, type Loc } from './yaml-locate.ts';
import { checkControlChars } from './control-chars.ts';
import { resolveBlackout } from '../schedule/blackouts.ts';
import { ProjectCalendar } from '../schedule/business-calendar.ts';
import { keysOf, PlanShape } from './plan-shape.ts';
import { checkApprovalKinds, checkApprovalOwners, readOwner, readProjectApproval } from './validate-approval.ts';

export type { CheckTemplate } from './validate-comms.ts';
export type { ReadFile } from './validate-people.ts';

export interface PlanInput {
  /** The plan's name as shown in issues (e.g. as the user typed it). */
  file: string;
  text: string;
  /** Reads a file named relative to the plan (the people CSV); undefined when it cannot be read. */
  readFile: ReadFile;
}

export interface ParsePlanOptions {
  /** Reports template problems for a comm (missing template, unknown variable); each string is an error at its `template` line. */
  checkTemplate?: CheckTemplate;
}

const SECTIONS = keysOf(PlanShape);

/**
 * Parses and validates a comms plan. Pure: files other than the plan come through `readFile`.
 * @throws PlanInvalidError listing every error found (sorted by file and line).
 */
export function parsePlan(input: PlanInput, opts: ParsePlanOptions = {}): { plan: Plan; warnings: PlanIssue[]; commAt: Map<string, Where> } {
  const src = new YamlSource(input.file, input.text);
  const sink = new IssueSink();
  sink.warnings.push(...src.warnings);
  if (src.errors.length > 0) throw new PlanInvalidError(src.errors);

  const r: Reader = { src, sink };
  const root = src.root();
  checkControlChars(src, sink, root);
  const f = readMap(r, root, SECTIONS, 'project: …, milestones: …, comms: …');
  if (f === undefined) throw new PlanInvalidError(sink.errors);

  const project = readProject(r, f.get('project'), root);
  const zone = project.timezone;
  const { milestones, declared: milestoneKeys } = readMilestones(r, f.get('milestones'), zone);
  const audiences = readAudiences(r, f.get('audiences'));
  const audienceKeys = new Set(audiences.map((a) => a.key));
  const { people, declared: personIds } = readPeople(r, f.get('people'), { timezone: zone, locale: 'en-US', audiences: audienceKeys }, input.readFile);
  const { workstreams, declared: workstreamKeys } = readWorkstreams(r, f.get('workstreams'), personIds);
  const milestonesByKey = new Map(milestones.map((m) => [m.key, m]));

  const audienceSizes = new Map<string, number>();
  for (const p of people) for (const a of p.audiences) audienceSizes.set(a, (audienceSizes.get(a) ?? 0) + 1);
  const known: Known = {
    zone,
    milestones: new Map([...milestoneKeys].map((k) => [k, milestonesByKey.get(k)])),
    audiences: audienceKeys,
    audienceSizes,
    people: personIds,
    workstreams: workstreamKeys,
  };
  const owner = readOwner(r, projectEntry(r, f.get('project'), 'owner'), known);
  if (owner !== undefined) project.owner = owner;
  const approvalLoc = projectEntry(r, f.get('project'), 'approval');
  const approval = readProjectApproval(r, approvalLoc, known);
  if (approval !== undefined) project.approval = known.approval = approval;
  const commsLoc = f.get('comms');
  if (commsLoc === undefined || isNothing(commsLoc.node)) sink.warn(commsLoc ?? root, 'the plan has no comms: nothing will be sent');
  const blackouts = readBlackouts(r, projectEntry(r, f.get('project'), 'blackouts'), known);
  const blackoutSpecs = blackouts.flatMap((b) => (b.spec ? [b.spec] : []));
  if (blackoutSpecs.length > 0) project.blackouts = blackoutSpecs;
  const comms = readComms(r, commsLoc, known);
  const plan: Plan = { project, milestones, workstreams, audiences, people, comms: comms.map((c) => c.spec) };
  checkBlackoutAllows(r, blackouts, plan.comms);
  checkApprovalKinds(r, approvalLoc, approval, plan.comms);
  checkApprovalOwners(r, plan, (key) => comms.find((c) => c.spec.key === key)?.loc);
  if (sink.errors.length === 0) checkBlackoutOrder(r, blackouts, plan);
  if (opts.checkTemplate !== undefined) checkTemplates(r, comms, plan, opts.checkTemplate);

  if (sink.errors.length > 0) throw new PlanInvalidError(sortIssues(sink.errors, input.file));
  const commAt = new Map(comms.map((c): [string, Where] => [c.spec.key, { file: c.loc.file, line: c.loc.line, path: c.loc.path }]));
  return { plan, warnings: sortIssues(sink.warnings, input.file), commAt };
}

/** The value of one key of the project map (readProject has already checked the map's keys). */
function projectEntry(r: Reader, loc: Loc | undefined, key: string): Loc | undefined {
  if (loc === undefined) return undefined;
  return r.src.entries(loc)?.find((e) => e.key === key)?.value;
}

/** A window must end after it starts; bounds can name milestones, so this needs the otherwise valid plan. */
function checkBlackoutOrder(r: Reader, blackouts: readonly ReadBlackout[], plan: Plan): void {
  if (blackouts.length === 0) return;
  const calendar = new ProjectCalendar(plan.project);
  blackouts.forEach((b, i) => {
    if (!b.spec) return;
    const w = resolveBlackout(plan, calendar, b.spec, i);
    if (w.to <= w.from) r.sink.error(b.loc, `blackout "${w.label}" ends before it starts (${w.text}): make "to" later than "from"`);
  });
}
