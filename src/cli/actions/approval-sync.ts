import { approvalsLine, syncProjectApprovals } from '../../app/sync-approvals.ts';
import type { StoreDeps } from '../../app/ports.ts';
import type { CliContext } from '../context.ts';

/**
 * After a plan change from the CLI: approvals brought in line at once (the worker would within 15 s),
 * so the command can say which were asked, withdrawn because the content changed, or kept because
 * only the date moved.
 */
export async function reportApprovals(ctx: CliContext, db: StoreDeps, project: string): Promise<void> {
  const r = await syncProjectApprovals(
    { stores: db.stores, engine: await ctx.engine(), publicUrl: ctx.config().PUBLIC_URL },
    { project, now: ctx.clock.now() },
  );
  const line = approvalsLine(r);
  if (line) ctx.output.out(line);
}
