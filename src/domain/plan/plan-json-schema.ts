import { z } from 'zod';
import { PlanShape } from './plan-shape.ts';

/**
 * The JSON Schema (draft 2020-12) of a comms plan, generated from the shape the validators read
 * their keys from (plan-shape.ts), so the two never disagree about which keys exist.
 */
export function planJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(PlanShape, { target: 'draft-2020-12', unrepresentable: 'any' });
  return {
    ...schema,
    title: 'Herald comms plan',
    description:
      'A Herald comms plan: project, milestones, workstreams, audiences, people and comms. ' +
      '`herald validate` checks what a schema cannot (unknown milestones, zones, templates).',
  };
}
