/**
 * What the one-shot CLI commands need, built here and handed to them in their context
 * (src/cli/context.ts): the configured database (opened, migrated, always closed), the template
 * engine, and the delivery queues a re-plan drops moved jobs from. src/cli/main.ts loads this file
 * when a command first asks for one of them (never for `--version` or `--help`), and this file
 * imports each adapter when it is first used, so `herald validate` loads neither database nor
 * queue (test/integration/cli/lazy-imports.test.ts).
 */
import type { CliBasics, CliServices } from '../cli/context.ts';
import type { TemplateEngine } from '../templates/engine.ts';

/**
 * The services of one CLI run, on its config and output. One set per run, not module-wide: main()
 * may run many times in one process (tests, embedding), each with its own PUBLIC_URL.
 */
export function cliServices(ctx: CliBasics): CliServices {
  let engine: Promise<TemplateEngine> | undefined;
  const services: CliServices = {
    async withDb(fn) {
      const { openConfiguredDatabase } = await import('./database.ts');
      const db = await openConfiguredDatabase(ctx.config());
      try {
        return await fn(db);
      } finally {
        await db.close();
      }
    },
    async migrateDb() {
      const { openConfiguredDatabase } = await import('./database.ts');
      const applied: string[] = [];
      const db = await openConfiguredDatabase(ctx.config(), { log: (line) => applied.push(line) });
      await db.close();
      return applied;
    },
    // Best effort: without Redis the worker still notices the change when the job fires (a
    // moved-earlier message may then go out a few seconds late).
    async dropQueuedJobs(ids) {
      if (!ids.length) return;
      const { deliveryQueues } = await import('./queues.ts');
      const queues = deliveryQueues(ctx.config());
      try {
        await queues.forget(ids);
      } catch (e) {
        ctx.output.err(
          `note: could not reach Redis to drop ${ids.length} queued job(s) (${e instanceof Error ? e.message : String(e)}); the worker will catch up`,
        );
      } finally {
        await queues.close().catch(() => {});
      }
    },
    engine: () => (engine ??= import('../templates/builtin.ts').then(({ buildEngine }) => buildEngine(ctx.config()))),
    async planTemplateCheck() {
      const e = await services.engine();
      return (comm, plan) => e.check(comm, plan);
    },
  };
  return services;
}
