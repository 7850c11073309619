import { planJsonSchema } from '../../domain/plan/plan-json-schema.ts';
import type { CliContext } from '../context.ts';

export function schema(ctx: CliContext): void {
  ctx.output.out(JSON.stringify(planJsonSchema(), null, 2));
}
