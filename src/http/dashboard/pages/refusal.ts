/** A use case's HeraldError as a readable dashboard page: what went wrong and what to do next. */
import { HeraldError } from '../../../domain/errors.ts';
import { DashboardError } from '../context.ts';

/** Runs `work`; a HeraldError becomes a DashboardError page (404 for NOT_FOUND, else `status`). */
export async function orRefuse<T>(work: () => Promise<T>, title: string, status = 422): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!(e instanceof HeraldError)) throw e;
    const lines = [`${e.message[0]!.toUpperCase()}${e.message.slice(1)}.`, ...(e.hint ? [`To fix: ${e.hint}.`] : [])];
    throw new DashboardError(e.code === 'NOT_FOUND' ? 404 : status, title, lines);
  }
}
