import type { Clock } from '../app/ports.ts';
import type { Config } from '../config/config.ts';
import type { Database } from '../db/database.ts';
import type { CommSpec, Plan } from '../domain/plan/model.ts';
import type { TemplateEngine } from '../templates/engine.ts';
import type { Output } from './output.ts';

/** What every command gets: lazily loaded config, output, clock. */
export interface CliBasics {
  config(): Config;
  output: Output;
  clock: Clock;
  cwd: string;
}

/**
 * What a one-shot command gets from the composition root (src/main/cli.ts builds it). Each loads
 * its adapters when first called, so `herald --version` and `validate` load no database driver
 * or queue (test/integration/cli/lazy-imports.test.ts).
 */
export interface CliServices {
  /** Opens the configured database (migrating it), runs `fn`, and always closes it. */
  withDb<T>(fn: (db: Database) => Promise<T>): Promise<T>;
  /** Opens the configured database only to apply pending migrations; returns what each migration printed. */
  migrateDb(): Promise<string[]>;
  /** After a re-plan, drops the queued jobs of moved or cancelled messages (best effort). */
  dropQueuedJobs(ids: readonly string[]): Promise<void>;
  /** The run's template engine: templates compile once per run. */
  engine(): Promise<TemplateEngine>;
  /** The plan validator's hook: each message becomes an issue at the comm's `template` line. */
  planTemplateCheck(): Promise<(comm: CommSpec, plan: Plan) => string[]>;
}

export interface CliContext extends CliBasics, CliServices {}
