import type { PlanIssue } from '../../domain/errors.ts';
import type { CliContext } from '../context.ts';

/** Plan warnings on stderr, one `file:line: warning: …` each (validate and apply). */
export function printWarnings(ctx: CliContext, warnings: readonly PlanIssue[]): void {
  for (const w of warnings) ctx.output.err(`${w.file}:${w.line}: warning: ${w.path ? `${w.path}: ` : ''}${w.message}`);
}
