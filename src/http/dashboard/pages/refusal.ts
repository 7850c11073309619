/** A use case's HeraldError as a readable dashboard page: what went wrong and what to do next. */
import { HeraldError } from '../../../domain/errors.ts';
import { errorLines, statusOf } from '../../error-status.ts';
import { DashboardError } from '../context.ts';

/**
 * Runs `work`; a HeraldError becomes a DashboardError page, in the lines every error page uses
 * (errorLines). Its status is its code's when that is 404 (nothing there), else `status`: a form
 * the dashboard could not act on.
 */
export async function orRefuse<T>(work: () => Promise<T>, title: string, status = 422): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!(e instanceof HeraldError)) throw e;
    throw new DashboardError(statusOf(e) === 404 ? 404 : status, title, errorLines(e.message, e.hint));
  }
}
