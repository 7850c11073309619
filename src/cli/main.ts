import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { systemClock } from '../app/ports.ts';
import { loadConfig, type Config } from '../config/config.ts';
import type { CliContext } from './context.ts';
import { processOutput, reportError, type Output } from './output.ts';
import { registerPlanCommands, registerPreviewCommands } from './commands/plan.ts';
import { registerCalendarCommands } from './commands/calendar.ts';
import { registerMilestoneCommands } from './commands/milestone.ts';
import { registerDbCommands } from './commands/db.ts';
import { registerDeliveryCommands } from './commands/delivery.ts';
import { registerWorkerCommands } from './commands/worker.ts';
import { registerServeCommands } from './commands/serve.ts';
import { registerInboxCommands } from './commands/inbox.ts';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('herald')
    .description('Herald: milestone-anchored project communications over Slack and email')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.output.out(s.trimEnd()), writeErr: (s) => ctx.output.err(s.trimEnd()) })
    .showHelpAfterError('(run "herald --help" for usage)');
  registerPlanCommands(program, ctx);
  registerPreviewCommands(program, ctx);
  registerCalendarCommands(program, ctx);
  registerMilestoneCommands(program, ctx);
  registerDeliveryCommands(program, ctx);
  registerWorkerCommands(program, ctx);
  registerServeCommands(program, ctx);
  registerInboxCommands(program, ctx);
  registerDbCommands(program, ctx);
  return program;
}

/** CLI entry: returns the exit code instead of exiting, so tests can run commands in-process. */
export async function main(argv: string[], output: Output = processOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let config: Config | undefined;
  const ctx: CliContext = {
    config: () => (config ??= loadConfig(env)),
    output,
    clock: systemClock,
    cwd: process.cwd(),
  };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    return reportError(e, output);
  }
}
