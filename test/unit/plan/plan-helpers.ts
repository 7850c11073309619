import { PlanInvalidError, type PlanIssue } from '../../../src/domain/errors.ts';
import type { CommSpec, Plan } from '../../../src/domain/plan/model.ts';
import { parsePlan } from '../../../src/domain/plan/parse-plan.ts';

type Section = 'project' | 'milestones' | 'workstreams' | 'audiences' | 'people' | 'comms';

/** A small valid plan; each section can be replaced by a test. */
export const SECTIONS: Record<Section, string> = {
  project: 'project: { key: p, name: P, timezone: America/Chicago }',
  milestones: ['milestones:', '  kickoff: { at: 2027-01-04T09:00 }', '  cutover: { at: 2027-01-15T18:00 }', '  go-live: { at: 2027-01-18 }'].join('\n'),
  workstreams: 'workstreams:\n  ws: { name: WS, owner: dana }',
  audiences: 'audiences:\n  ops: { description: Ops }\n  users: {}',
  people: [
    'people:',
    '  inline:',
    '    - { id: dana, name: Dana, email: dana@example.com, audiences: [ops, users] }',
    '    - { id: lee, name: Lee, slack: U0LEE0001, audiences: users }',
  ].join('\n'),
  comms: commsYaml('schedule: { at: cutover, offset: "-1 day", time: "09:00" }'),
};

/** A comms section with one comm; `extra` lines are added to the comm (2-space YAML inside the item). */
export function commsYaml(...extra: string[]): string {
  return [
    'comms:',
    '  - key: c1',
    '    kind: announcement',
    '    audience: ops',
    '    channels: [email]',
    '    template: t',
    ...extra.map((l) => `    ${l}`),
  ].join('\n');
}

export function planYaml(over: Partial<Record<Section, string>> = {}): string {
  return (Object.keys(SECTIONS) as Section[]).map((k) => over[k] ?? SECTIONS[k]).join('\n') + '\n';
}

export interface Outcome {
  plan?: Plan;
  errors: PlanIssue[];
  warnings: PlanIssue[];
}

export function run(text: string, files: Record<string, string> = {}, checkTemplate?: (c: CommSpec) => string[]): Outcome {
  try {
    const { plan, warnings } = parsePlan(
      { file: 'plan.yaml', text, readFile: (rel) => (files[rel] === undefined ? undefined : { file: rel, text: files[rel] }) },
      checkTemplate === undefined ? {} : { checkTemplate },
    );
    return { plan, errors: [], warnings };
  } catch (e) {
    if (e instanceof PlanInvalidError) return { errors: [...e.issues], warnings: [] };
    throw e;
  }
}

/** `path: message` of each error, for compact assertions. */
export function errorsOf(text: string, files: Record<string, string> = {}): string[] {
  return run(text, files).errors.map((i) => `${i.path}: ${i.message}`);
}

export function validPlan(text: string, files: Record<string, string> = {}): Plan {
  const o = run(text, files);
  if (o.plan === undefined) throw new Error(`expected a valid plan, got:\n${o.errors.map((i) => `${i.line}: ${i.path}: ${i.message}`).join('\n')}`);
  return o.plan;
}
