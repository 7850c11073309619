import type { Command } from 'commander';
import { previewDigest } from '../../app/preview-digest.ts';
import { mondayOfWeek } from '../../domain/digest/week.ts';
import { HeraldError } from '../../domain/errors.ts';
import type { CliContext } from '../context.ts';
import { checkChoice } from '../options.ts';
import { cliEngine } from '../templates.ts';
import { withDb } from '../with-db.ts';

export function registerDigestCommands(program: Command, ctx: CliContext): void {
  program
    .command('digest')
    .description('the weekly executive digest of an applied project, computed from stored data')
    .argument('<project>', 'project key')
    .option('--preview', 'print it without sending (the worker sends it at the plan\'s time)')
    .option('--as <person>', 'as this person receives it (default: the digest\'s first recipient)')
    .option('--week <week>', 'the digest of this ISO week, e.g. 2027-W03 (default: one sent now)')
    .option('--format <format>', 'text, html or json', 'text')
    .action(async (project: string, o: { preview?: boolean; as?: string; week?: string; format: string }) => {
      if (!o.preview) {
        throw new HeraldError('BAD_OPTION', 'herald digest only previews: add --preview', {
          hint: 'a running "herald worker" sends the digest to each executive at the plan\'s time',
        });
      }
      checkChoice('--format', o.format, ['text', 'html', 'json']);
      if (o.week !== undefined) mondayOfWeek(o.week);
      const engine = cliEngine(ctx);
      await withDb(ctx, async (db) => {
        const p = await previewDigest(db.prisma, engine, {
          project,
          now: ctx.clock.now(),
          publicUrl: ctx.config().PUBLIC_URL,
          ...(o.as === undefined ? {} : { as: o.as }),
          ...(o.week === undefined ? {} : { week: o.week }),
        });
        if (o.format === 'json') ctx.output.out(JSON.stringify(p.digest, null, 2));
        else if (o.format === 'html') ctx.output.out(p.email.html ?? '');
        else ctx.output.out(`${p.email.subject}\n\n${p.email.text}`);
      });
    });
}
