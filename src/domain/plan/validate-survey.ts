import { isScalar } from 'yaml';
import type { Offset, SurveyOption, SurveySpec } from './model.ts';
import { readOffset, type Known } from './known.ts';
import { readEnum, readInt, readMap, readString, type Reader } from './read-values.ts';
import { readPersonRef } from './validate-workstreams.ts';
import type { Loc } from './yaml-locate.ts';
import { keysOf, RemindShape, SurveyOptionShape, SurveyShape } from './plan-shape.ts';

const SURVEY_KEYS = keysOf(SurveyShape);

export function readSurvey(r: Reader, loc: Loc, known: Known): SurveySpec | undefined {
  const f = readMap(r, loc, SURVEY_KEYS, 'survey: { question: …, options: [ { value: good, label: Working well } ] }');
  if (f === undefined) return undefined;
  const mark = r.sink.errorCount();
  const qLoc = f.need('question', '"How is it going?"');
  const question = qLoc === undefined ? undefined : readString(r, qLoc, 'a question');
  const oLoc = f.need('options', '[ { value: good, label: "Working well" }, { value: bad, label: "Not working", escalate: true } ]');
  const options = oLoc === undefined ? undefined : readOptions(r, oLoc);
  const cLoc = f.get('comment');
  const comment = cLoc === undefined ? 'none' : readEnum(r, cLoc, ['none', 'optional', 'required'] as const);
  const remLoc = f.get('remind');
  const remind = remLoc === undefined ? undefined : readRemind(r, remLoc);
  const eLoc = f.get('escalateTo');
  let escalateTo: string | undefined = 'workstream-owner';
  if (eLoc !== undefined) {
    const s = isScalar(eLoc.node) && eLoc.node.value === 'workstream-owner' ? 'workstream-owner' : readPersonRef(r, eLoc, known.people);
    escalateTo = s;
    if (s !== undefined && options !== undefined && !options.some((o) => o.escalate !== undefined)) {
      r.sink.warn(eLoc, 'escalateTo has no effect: no option has escalate: true or urgent');
    }
  }
  if (r.sink.errorCount() !== mark || question === undefined || options === undefined || comment === undefined || escalateTo === undefined) return undefined;
  const survey: SurveySpec = { question, options, comment, escalateTo };
  if (remind !== undefined) survey.remind = remind;
  return survey;
}

function readOptions(r: Reader, loc: Loc): SurveyOption[] | undefined {
  const items = r.src.items(loc);
  if (items === undefined || items.length === 0) {
    r.sink.error(loc, 'expected a non-empty list of options, e.g. - { value: good, label: "Working well" }');
    return undefined;
  }
  const out: SurveyOption[] = [];
  const values = new Map<string, number>();
  for (const item of items) {
    const f = readMap(r, item, keysOf(SurveyOptionShape), '{ value: good, label: "Working well", escalate: true, comment: true }');
    if (f === undefined) continue;
    const vLoc = f.need('value', 'good');
    const value = vLoc === undefined ? undefined : readString(r, vLoc, 'an option value');
    if (vLoc === undefined || value === undefined) continue;
    const first = values.get(value);
    if (first !== undefined) {
      r.sink.error(vLoc, `duplicate option value "${value}" (first at line ${first}); values must be unique`);
      continue;
    }
    values.set(value, vLoc.line);
    const lLoc = f.get('label');
    const label = lLoc === undefined ? value : readString(r, lLoc, 'a label');
    const option: SurveyOption = { value, label: label ?? value };
    const esc = f.get('escalate');
    if (esc !== undefined) {
      const v = isScalar(esc.node) ? esc.node.value : undefined;
      if (v === true || v === 'urgent') option.escalate = v;
      else if (v !== false) r.sink.error(esc, `escalate must be true, urgent or false, found ${JSON.stringify(v ?? null)}`);
    }
    if (readFlag(r, f.get('comment'), "an option's comment")) option.comment = true;
    // A workstream-status answer with this option asks the sponsors for a decision (weekly digest).
    if (readFlag(r, f.get('decision'), 'decision')) option.decision = true;
    out.push(option);
  }
  return out;
}

/** An optional true/false flag; anything else is an error naming what was found. */
function readFlag(r: Reader, loc: Loc | undefined, what: string): boolean {
  if (loc === undefined) return false;
  const v = isScalar(loc.node) ? loc.node.value : undefined;
  if (v !== true && v !== false) r.sink.error(loc, `${what} must be true or false, found ${JSON.stringify(v ?? null)}`);
  return v === true;
}

/** `remind: { after, times }`: survey reminders, and approval reminders to silent approvers. */
export function readRemind(r: Reader, loc: Loc): { after: Offset; times: number } | undefined {
  const f = readMap(r, loc, keysOf(RemindShape), 'remind: { after: "2 business days", times: 1 }');
  if (f === undefined) return undefined;
  const aLoc = f.need('after', '"2 business days"');
  const after = aLoc === undefined ? undefined : readOffset(r, aLoc, false);
  const tLoc = f.get('times');
  const times = tLoc === undefined ? 1 : readInt(r, tLoc, 1);
  return after === undefined || times === undefined ? undefined : { after, times };
}
