/**
 * What the one-shot CLI commands need, built here: the configured database (opened, migrated,
 * always closed), the template engine, and the delivery queues a re-plan drops moved jobs from.
 * The database and the queues are imported when first used, so `herald validate` loads neither
 * (test/integration/cli/lazy-imports.test.ts).
 */
import type { CliContext } from '../cli/context.ts';
import type { Database } from '../db/database.ts';
import type { CommSpec, Plan } from '../domain/plan/model.ts';
import type { TemplateEngine } from '../templates/engine.ts';
import { buildEngine } from '../templates/builtin.ts';

/** Opens the configured database (migrating it), runs `fn`, and always closes it. */
export async function withDb<T>(ctx: CliContext, fn: (db: Database) => Promise<T>): Promise<T> {
  const { openConfiguredDatabase } = await import('./database.ts');
  const db = await openConfiguredDatabase(ctx.config());
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Opens the configured database only to apply pending migrations; returns what each migration printed. */
export async function migrateDb(ctx: CliContext): Promise<string[]> {
  const { openConfiguredDatabase } = await import('./database.ts');
  const applied: string[] = [];
  const db = await openConfiguredDatabase(ctx.config(), { log: (line) => applied.push(line) });
  await db.close();
  return applied;
}

/**
 * After a re-plan, drops the queue jobs of messages that moved or were cancelled within the
 * queue's short horizon. Best effort: without Redis the worker still notices the change when
 * the job fires (a moved-earlier message may then go out a few seconds late).
 */
export async function dropQueuedJobs(ctx: CliContext, ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  const { deliveryQueues } = await import('./queues.ts');
  const queues = deliveryQueues(ctx.config());
  try {
    await queues.forget(ids);
  } catch (e) {
    ctx.output.err(`note: could not reach Redis to drop ${ids.length} queued job(s) (${e instanceof Error ? e.message : String(e)}); the worker will catch up`);
  } finally {
    await queues.close().catch(() => {});
  }
}

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
