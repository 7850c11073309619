import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlanFile } from '../../../src/app/load-plan.ts';
import { examplePlan } from '../../fixtures/example-plan.ts';

const EXAMPLE = path.resolve(import.meta.dirname, '../../../examples/m365-migration.plan.yaml');

describe('the example plan (examples/m365-migration.plan.yaml + people.csv)', () => {
  it('parses with no errors and no warnings, with the expected counts', async () => {
    const { plan, warnings, files, hash } = await loadPlanFile(EXAMPLE);
    expect(warnings).toEqual([]);
    expect(plan.people).toHaveLength(45);
    expect(plan.comms).toHaveLength(10);
    expect(plan.milestones).toHaveLength(6);
    expect(plan.workstreams).toHaveLength(4);
    expect(plan.audiences).toHaveLength(5);
    expect(files.map((f) => path.basename(f))).toEqual(['m365-migration.plan.yaml', 'people.csv']);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('produces exactly the model in test/fixtures/example-plan.ts', async () => {
    const { plan } = await loadPlanFile(EXAMPLE);
    expect(plan.project).toEqual(examplePlan.project);
    expect(plan.milestones).toEqual(examplePlan.milestones);
    expect(plan.workstreams).toEqual(examplePlan.workstreams);
    expect(plan.audiences).toEqual(examplePlan.audiences);
    expect(plan.comms).toEqual(examplePlan.comms);
    for (const p of examplePlan.people) expect(plan.people).toContainEqual(p);
  });

  it('keeps file order: the CSV (listed first under people) before the inline people', async () => {
    const { plan } = await loadPlanFile(EXAMPLE);
    expect(plan.people[0]?.id).toBe('alex.khan');
    expect(plan.people.slice(-5).map((p) => p.id)).toEqual(['maria', 'dana', 'raj', 'lee', 'sam']);
  });
});
