import { UnrecoverableError, type Job } from 'bullmq';
import { recordSlackClick, type SlackClickOutcome } from '../src/app/record-slack-click.ts';
import { HeraldError } from '../src/domain/errors.ts';
import { JOB_CATALOGUE } from './catalogue.ts';
import type { PlanCache } from '../src/app/plan-cache.ts';
import type { Clock } from '../src/app/ports.ts';
import type { ClickPayload } from '../src/app/queue-ports.ts';
import type { Database } from '../src/db/database.ts';
import type { Logger } from '../src/logger.ts';

export interface ClickDeps {
  db: Database;
  clock: Clock;
  /** The process's plan cache, for the follow-ups of an escalating answer. */
  plans?: PlanCache | undefined;
  log?: Logger | undefined;
  /** Replaces the Slack message by the answer; a failure leaves the old message, the answer is stored. */
  show?: ((click: ClickPayload, outcome: Extract<SlackClickOutcome, { kind: 'recorded' }>) => Promise<void>) | undefined;
}

/** Thin: parse the click, record it (recipient check and idempotent record, src/app/record-slack-click.ts), then show it. */
export function clickProcessor(deps: ClickDeps): (job: Job) => Promise<string> {
  return async (job) => {
    const click = JOB_CATALOGUE.recordSlackClick.payload.parse(job.data);
    let outcome: SlackClickOutcome;
    try {
      outcome = await recordSlackClick(deps, click);
    } catch (err) {
      // Bad input (an unknown option, a removed message) will not get better by retrying.
      if (err instanceof HeraldError && !err.retryable) throw new UnrecoverableError(err.message);
      throw err;
    }
    if (outcome.kind === 'recorded') {
      deps.log?.info({ sourceRef: click.sourceRef, attempt: job.attemptsMade + 1, kind: outcome.result.kind }, 'queued slack click recorded');
      await deps.show?.(click, outcome).catch((err: unknown) => deps.log?.warn({ err }, 'answer recorded; updating the slack message failed'));
      return outcome.result.kind;
    }
    return outcome.kind;
  };
}
