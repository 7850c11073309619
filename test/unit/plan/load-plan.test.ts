import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPlanFile } from '../../../src/app/load-plan.ts';
import { NotFoundError, PlanInvalidError } from '../../../src/domain/errors.ts';

const EXAMPLES = path.resolve(import.meta.dirname, '../../../examples');
const dir = mkdtempSync(path.join(tmpdir(), 'herald-load-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writePlan(sub: string, csv: string): string {
  mkdirSync(path.join(dir, sub, 'plans'), { recursive: true });
  writeFileSync(path.join(dir, sub, 'plans', 'plan.yaml'), readFileSync(path.join(EXAMPLES, 'm365-migration.plan.yaml')));
  writeFileSync(path.join(dir, sub, 'plans', 'people.csv'), csv);
  return path.join(dir, sub);
}

describe('loadPlanFile', () => {
  const goodCsv = readFileSync(path.join(EXAMPLES, 'people.csv'), 'utf8');

  it('reads the CSV relative to the plan and returns both files and a content hash', async () => {
    const root = writePlan('a', goodCsv);
    const loaded = await loadPlanFile('plans/plan.yaml', { cwd: root });
    expect(loaded.files).toEqual([path.join(root, 'plans/plan.yaml'), path.join(root, 'plans/people.csv')]);
    expect(loaded.plan.people).toHaveLength(45);
    const again = await loadPlanFile(path.join(root, 'plans/plan.yaml'), { cwd: dir });
    expect(again.hash).toBe(loaded.hash);
  });

  it('changes the hash when the CSV changes', async () => {
    const a = await loadPlanFile('plans/plan.yaml', { cwd: writePlan('b1', goodCsv) });
    const b = await loadPlanFile('plans/plan.yaml', { cwd: writePlan('b2', goodCsv.replace('Alex Khan', 'Alex Kahn')) });
    expect(b.hash).not.toBe(a.hash);
  });

  it('names files in issues as typed, relative to the current directory', async () => {
    const root = writePlan('c', goodCsv.replace('alex.khan@northwind.example', 'alex.khan@'));
    const err = await loadPlanFile('./plans/../plans/plan.yaml', { cwd: root }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlanInvalidError);
    expect((err as PlanInvalidError).issues.map((i) => `${i.file}:${i.line}`)).toEqual(['plans/people.csv:2']);
    const fromAbove = await loadPlanFile(path.join(root, 'plans/plan.yaml'), { cwd: dir }).catch((e: unknown) => e);
    expect((fromAbove as PlanInvalidError).issues[0]?.file).toBe(path.join('c', 'plans', 'people.csv'));
  });

  it('reports a missing CSV at the csv: line and a missing plan as not found', async () => {
    const root = writePlan('d', goodCsv);
    rmSync(path.join(root, 'plans/people.csv'));
    const err = (await loadPlanFile('plans/plan.yaml', { cwd: root }).catch((e: unknown) => e)) as PlanInvalidError;
    expect(err.issues.map((i) => `${i.file}:${i.line}: ${i.message}`)).toEqual([
      'plans/plan.yaml:40: cannot read people file "people.csv" (paths are relative to the plan file)',
    ]);
    await expect(loadPlanFile('nope.yaml', { cwd: root })).rejects.toBeInstanceOf(NotFoundError);
  });
});
