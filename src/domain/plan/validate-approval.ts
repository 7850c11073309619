import type { ApprovalSpec, CommSpec, Offset, Plan, ProjectApprovalSpec } from './model.ts';
import { approvalOf, projectManagerOf } from '../approval/rules.ts';
import { parseOffset } from './offsets.ts';
import { readOffset, type Known } from './known.ts';
import { readBool, readEnum, readMap, readString, readStringOrList, type Reader } from './read-values.ts';
import { hint } from './suggest.ts';
import { readRemind } from './validate-survey.ts';
import type { Loc } from './yaml-locate.ts';
import { ApprovalShape, keysOf, ProjectApprovalShape } from './plan-shape.ts';

/** Asked two business days ahead; a held message approved late still goes within a day of its time. */
export const DEFAULT_APPROVAL_BEFORE = mustParse('2 business days');
export const DEFAULT_APPROVAL_CATCH_UP = mustParse('1 day');
/** Silent approvers are reminded twice, a business day apart. */
const DEFAULT_APPROVAL_REMIND = { after: mustParse('1 business day'), times: 2 };

function mustParse(raw: string): Offset {
  const o = parseOffset(raw, { signRequired: false });
  if (!o.ok) throw new TypeError(o.error);
  return o.value;
}

/** `project.owner: maria`: a person of the plan. */
export function readOwner(r: Reader, loc: Loc | undefined, known: Known): string | undefined {
  if (loc === undefined) return undefined;
  const id = readString(r, loc, 'a person id');
  if (id === undefined) return undefined;
  if (known.people.has(id)) return id;
  r.sink.error(loc, `unknown person "${id}" as project owner${hint(id, known.people)}; the owner is one of the plan's people`);
  return undefined;
}

/** `project.approval: { kinds: [exec-summary], by: [maria], needs: any, before: "2 business days", skip: [urgent] }`. */
export function readProjectApproval(r: Reader, loc: Loc | undefined, known: Known): ProjectApprovalSpec | undefined {
  if (loc === undefined) return undefined;
  const f = readMap(r, loc, keysOf(ProjectApprovalShape), 'approval: { kinds: [exec-summary, ops-impact], by: [maria] }');
  if (f === undefined) return undefined;
  const mark = r.sink.errorCount();
  const kindsLoc = f.need('kinds', '[exec-summary, ops-impact, announcement]');
  const kinds = (kindsLoc === undefined ? undefined : readStringOrList(r, kindsLoc, 'a comm kind')) ?? [];
  for (const k of kinds) {
    if (k.value === 'digest') r.sink.error(k.loc, DIGEST_NOT_APPROVED);
  }
  const skipLoc = f.get('skip');
  const skip: ProjectApprovalSpec['skip'] = [];
  for (const s of (skipLoc === undefined ? undefined : readStringOrList(r, skipLoc, 'urgent or milestone-moved')) ?? []) {
    const v = readEnum(r, s.loc, ['urgent', 'milestone-moved'] as const);
    if (v !== undefined && !skip.includes(v)) skip.push(v);
  }
  const common = readCommon(r, f, known, undefined);
  if (r.sink.errorCount() !== mark || common === undefined) return undefined;
  return { ...common, kinds: kinds.map((k) => k.value), skip };
}

/**
 * A comm's `approval`: false (never, whatever project.approval says), or a map whose missing fields
 * come from project.approval (`by` is required when the project gives none).
 */
export function readCommApproval(r: Reader, loc: Loc, known: Known, kind: string | undefined): ApprovalSpec | false | undefined {
  if (r.src.items(loc) === undefined && r.src.entries(loc) === undefined) {
    const b = readBool(r, loc);
    if (b === undefined) return undefined;
    if (b) {
      r.sink.error(loc, 'approval: true does not say who approves: write approval: { by: [maria] }, or false to opt out of project.approval');
      return undefined;
    }
    return false;
  }
  const f = readMap(r, loc, keysOf(ApprovalShape), 'approval: { by: [maria], needs: any, before: "2 business days" }');
  if (f === undefined) return undefined;
  if (kind === 'digest') {
    r.sink.error(loc, DIGEST_NOT_APPROVED);
    return undefined;
  }
  return readCommon(r, f, known, known.approval);
}

const DIGEST_NOT_APPROVED =
  "a digest's content is computed from the week's answers when it is sent, so there is nothing to approve in advance; preview it with `herald digest PROJECT --preview`";

type Fields = NonNullable<ReturnType<typeof readMap>>;

function readCommon(r: Reader, f: Fields, known: Known, inherit: ApprovalSpec | undefined): ApprovalSpec | undefined {
  const mark = r.sink.errorCount();
  const byLoc = inherit === undefined ? f.need('by', '[maria, raj]') : f.get('by');
  let by = inherit?.by ?? [];
  if (byLoc !== undefined) {
    by = [];
    for (const p of readStringOrList(r, byLoc, 'a person id') ?? []) {
      if (!known.people.has(p.value)) r.sink.error(p.loc, `unknown approver "${p.value}"${hint(p.value, known.people)}; approvers are people of the plan`);
      else if (by.includes(p.value)) r.sink.warn(p.loc, `approver "${p.value}" is listed twice`);
      else by.push(p.value);
    }
  }
  const needsLoc = f.get('needs');
  const needs = needsLoc === undefined ? (inherit?.needs ?? 'any') : (readEnum(r, needsLoc, ['any', 'all'] as const) ?? 'any');
  const beforeLoc = f.get('before');
  const before = beforeLoc === undefined ? (inherit?.before ?? DEFAULT_APPROVAL_BEFORE) : readOffset(r, beforeLoc, false);
  const cuLoc = f.get('catchUp');
  let catchUp: ApprovalSpec['catchUp'] | undefined = inherit?.catchUp ?? DEFAULT_APPROVAL_CATCH_UP;
  if (cuLoc !== undefined) {
    const s = readString(r, cuLoc, 'send, or a delay such as "1 day"');
    catchUp = s === 'send' ? 'send' : s === undefined ? undefined : readOffset(r, cuLoc, false);
  }
  const remindLoc = f.get('remind');
  const remind = remindLoc === undefined ? (inherit?.remind ?? DEFAULT_APPROVAL_REMIND) : readRemind(r, remindLoc);
  if (r.sink.errorCount() !== mark || before === undefined || catchUp === undefined || remind === undefined) return undefined;
  return { by, needs, before, catchUp, remind };
}

/** Comms that wait for approval with no one to tell when they are held or rejected. */
export function checkApprovalOwners(r: Reader, plan: Plan, commLoc: (key: string) => Loc | undefined): void {
  for (const c of plan.comms) {
    const at = commLoc(c.key);
    if (at === undefined || !approvalOf(plan, c) || projectManagerOf(plan, c) !== undefined) continue;
    r.sink.warn(
      at,
      `comm "${c.key}" waits for approval but no one is told when it is held or changes are requested: give it a workstream or set project.owner`,
    );
  }
}

/** Kinds in project.approval that no comm has: probably a typo. */
export function checkApprovalKinds(r: Reader, loc: Loc | undefined, approval: ProjectApprovalSpec | undefined, comms: readonly CommSpec[]): void {
  if (loc === undefined || approval === undefined) return;
  const kinds = new Set(comms.map((c) => c.kind));
  for (const k of approval.kinds) {
    if (!kinds.has(k)) r.sink.warn(loc, `project.approval names kind "${k}", which no comm has${hint(k, kinds)}`);
  }
}
