import type { CommSpec, Plan } from '../domain/plan/model.ts';
import type { TemplateEngine } from '../templates/engine.ts';
import type { CliContext } from './context.ts';
import { buildEngine } from '../templates/builtin.ts';

// Keyed by the run's context, not module-wide: main() may run many times in one process (tests,
// embedding), each with its own PUBLIC_URL.
const engines = new WeakMap<CliContext, TemplateEngine>();
/** One engine per CLI run: templates compile once. */
export function cliEngine(ctx: CliContext): TemplateEngine {
  let engine = engines.get(ctx);
  if (!engine) engines.set(ctx, (engine = buildEngine(ctx.config())));
  return engine;
}

/** The plan validator's hook: each message becomes an issue at the comm's `template` line. */
export function planTemplateCheck(ctx: CliContext): (comm: CommSpec, plan: Plan) => string[] {
  const e = cliEngine(ctx);
  return (comm, plan) => e.check(comm, plan);
}
