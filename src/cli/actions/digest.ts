import { previewDigest } from '../../app/preview-digest.ts';
import { mondayOfWeek } from '../../domain/digest/week.ts';
import { HeraldError } from '../../domain/errors.ts';
import type { CliContext } from '../context.ts';
import { checkChoice } from '../options.ts';

export interface DigestOptions {
  preview?: boolean;
  as?: string;
  week?: string;
  format: string;
}

export async function digest(ctx: CliContext, project: string, o: DigestOptions): Promise<void> {
  if (!o.preview) {
    throw new HeraldError('BAD_OPTION', 'herald digest only previews: add --preview', {
      hint: 'a running "herald worker" sends the digest to each executive at the plan\'s time',
    });
  }
  checkChoice('--format', o.format, ['text', 'html', 'json', 'slack']);
  if (o.week !== undefined) mondayOfWeek(o.week);
  const engine = await ctx.engine();
  await ctx.withDb(async (db) => {
    const p = await previewDigest(db, engine, {
      project,
      now: ctx.clock.now(),
      publicUrl: ctx.config().PUBLIC_URL,
      as: o.as,
      week: o.week,
    });
    if (o.format === 'json') ctx.output.out(JSON.stringify(p.digest, null, 2));
    else if (o.format === 'html') ctx.output.out(p.email.html ?? '');
    else if (o.format === 'slack') ctx.output.out(JSON.stringify({ text: p.slack.text, blocks: p.slack.blocks ?? [] }, null, 2));
    else ctx.output.out(`${p.email.subject}\n\n${p.email.text}`);
  });
}
