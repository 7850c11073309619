import type { CommSpec, Plan } from '../domain/plan/model.ts';
import type { TemplateEngine } from '../templates/engine.ts';
import type { CliContext } from './context.ts';
import { buildEngine } from '../main.ts';

let engine: TemplateEngine | undefined;
/** One engine per CLI run: templates compile once. */
export function cliEngine(ctx: CliContext): TemplateEngine {
  return (engine ??= buildEngine(ctx.config()));
}

/** The plan validator's hook: each message becomes an issue at the comm's `template` line. */
export function planTemplateCheck(ctx: CliContext): (comm: CommSpec, plan: Plan) => string[] {
  const e = cliEngine(ctx);
  return (comm, plan) => e.check(comm, plan);
}
