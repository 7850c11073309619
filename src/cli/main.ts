/**
 * The `herald` command line.
 *
 * How commands are laid out, so that each loads only what it uses (`herald --version` and
 * `--help` load commander and these files; `validate` never loads the queue, Slack, email or
 * the database driver):
 * - src/cli/commands/<group>.ts registers commands: name, arguments, options and help text, and
 *   imports only types (`import type`) besides commander's. Its action is one line that loads the
 *   implementation when the command runs:
 *     .action(async (file: string) => (await import('../actions/validate.ts')).validate(ctx, file));
 * - src/cli/actions/<name>.ts holds the implementation and imports whatever it needs. Commands
 *   that need the same modules may share a file (actions/delivery.ts); a command that must stay
 *   light gets its own (validate.ts beside apply.ts).
 * - An action gets the adapters it uses (database, queues, template engine) from its context; the
 *   composition root builds them (src/main/cli.ts, loaded on first use); an action never imports them.
 * - The config module (zod) loads in a preAction hook, so `ctx.config()` stays synchronous in
 *   every action while `--help` and `--version` skip it.
 * test/integration/cli/lazy-imports.test.ts fails when a light command starts loading heavy modules.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { systemClock } from '../app/ports.ts';
import type { Config } from '../config/config.ts';
import { packagePath } from '../package-root.ts';
import type { CliContext, CliServices } from './context.ts';
import { processOutput, reportError, type Output } from './output.ts';
import { registerPlanCommands, registerPreviewCommands } from './commands/plan.ts';
import { registerCalendarCommands } from './commands/calendar.ts';
import { registerMilestoneCommands } from './commands/milestone.ts';
import { registerDbCommands } from './commands/db.ts';
import { registerDoctorCommands } from './commands/doctor.ts';
import { registerDeliveryCommands } from './commands/delivery.ts';
import { registerDigestCommands } from './commands/digest.ts';
import { registerWorkerCommands } from './commands/worker.ts';
import { registerServeCommands } from './commands/serve.ts';
import { registerFollowUpCommands } from './commands/follow-ups.ts';
import { registerApprovalCommands } from './commands/approvals.ts';
import { registerInboxCommands } from './commands/inbox.ts';
import { registerTokenCommands } from './commands/token.ts';
import { registerDemoCommands } from './commands/demo.ts';
import { registerInitCommands } from './commands/init.ts';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('herald')
    .description('Herald: milestone-anchored project communications over Slack and email')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.output.out(s.trimEnd()), writeErr: (s) => ctx.output.err(s.trimEnd()) })
    .showHelpAfterError('(run "herald --help" for usage)');
  registerInitCommands(program, ctx);
  registerPlanCommands(program, ctx);
  registerPreviewCommands(program, ctx);
  registerCalendarCommands(program, ctx);
  registerMilestoneCommands(program, ctx);
  registerDeliveryCommands(program, ctx);
  registerDigestCommands(program, ctx);
  registerFollowUpCommands(program, ctx);
  registerApprovalCommands(program, ctx);
  registerWorkerCommands(program, ctx);
  registerServeCommands(program, ctx);
  registerInboxCommands(program, ctx);
  registerTokenCommands(program, ctx);
  registerDbCommands(program, ctx);
  registerDoctorCommands(program, ctx);
  registerDemoCommands(program, ctx);
  return program;
}

/** CLI entry: returns the exit code instead of exiting, so tests can run commands in-process. */
export async function main(argv: string[], output: Output = processOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let loadConfig: ((env: NodeJS.ProcessEnv) => Config) | undefined;
  let config: Config | undefined;
  // What commands use (database, queues, template engine) comes from the composition root, loaded when a
  // command first asks: `--version` and `--help` load none of it (one module less is ~2 ms of CPU).
  let services: Promise<CliServices> | undefined;
  const root = (): Promise<CliServices> => (services ??= import('../main/cli.ts').then(({ cliServices }) => cliServices(ctx)));
  const ctx: CliContext = {
    config: () => (config ??= loadConfig!(env)),
    output,
    clock: systemClock,
    cwd: process.cwd(),
    withDb: async (fn) => (await root()).withDb(fn),
    migrateDb: async () => (await root()).migrateDb(),
    dropQueuedJobs: async (ids) => (await root()).dropQueuedJobs(ids),
    engine: async () => (await root()).engine(),
    planTemplateCheck: async () => (await root()).planTemplateCheck(),
  };
  const program = buildProgram(ctx);
  // Runs before any command's action (never for --help or --version); the environment is still
  // parsed only when an action first asks for it.
  program.hook('preAction', async () => {
    loadConfig ??= (await import('../config/config.ts')).loadConfig;
    // Every command that computes a calendar keeps the public holidays it computed on disk.
    const [{ useHolidayStore }, { diskHolidayStore }] = await Promise.all([
      import('../domain/schedule/holiday-data.ts'),
      import('../app/holiday-disk-store.ts'),
    ]);
    useHolidayStore(diskHolidayStore(env));
    // Tests only: a clock that starts at HERALD_TEST_NOW. The config is parsed for it only when it is
    // set, so light commands keep their lazy parse otherwise. Serve and worker log the warning; a
    // one-shot command prints it when a person is watching (tests count stderr lines).
    if (env.HERALD_TEST_NOW?.trim()) {
      const { configuredClock, testClockWarning } = await import('../app/configured-clock.ts');
      ctx.clock = configuredClock(ctx.config());
      if (output.isTTY) output.err(`warning: ${testClockWarning(ctx.config())}`);
    }
  });
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    return reportError(e, output);
  }
}
