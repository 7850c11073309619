import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import type { InitOptions } from '../actions/init.ts';

// Options only; each action loads its implementation when it runs (see src/cli/main.ts).

export function registerInitCommands(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('write a starter plan, its people CSV and the plan schema, anchored to your dates; asks on a terminal when no option is given')
    .argument('[dir]', 'folder to write into (created if missing)', '.')
    .option('--starter <name>', 'm365-mail-migration, mfa-rollout or teams-rollout')
    .option('--go-live <date>', 'go-live date YYYY-MM-DD (default: the first business day after six weeks from today)')
    .option('--cutover <date>', 'mail cutover / MFA registration deadline YYYY-MM-DD (default: 1 / 5 business days before go-live)')
    .option('--timezone <zone>', "IANA time zone of the project (default: the country's, else this machine's)")
    .option('--country <code>', 'ISO country code: public holidays and working week (IL: Sunday–Thursday)')
    .option('--name <text>', 'project name (the project key is made from it)')
    .option('-y, --yes', 'ask nothing: take the defaults for everything not given (starter: m365-mail-migration)')
    .option('--force', 'overwrite plan.yaml, people.csv and plan.schema.json if they exist')
    .action(async (dir: string, o: InitOptions) => (await import('../actions/init.ts')).init(ctx, dir, o));

  program
    .command('schema')
    .description('print the JSON Schema of a comms plan (for editors: # yaml-language-server: $schema=plan.schema.json)')
    .action(async () => (await import('../actions/schema.ts')).schema(ctx));
}
