import { setTimeout as sleep } from 'node:timers/promises';
import type { Body, Reply } from './reply.ts';
import type { SlackFailure } from './types.ts';

/** Failures a test injects into the Web API: HTTP statuses, Slack error codes and delays. */
export class SlackFaults {
  private readonly injections: Array<{ method: string; failure: SlackFailure; left: number }> = [];

  inject(method: string, failure: SlackFailure): void {
    this.injections.push({ method, failure, left: failure.times ?? 1 });
  }

  clear(): void {
    this.injections.length = 0;
  }

  /** The injected answer to this call, if a failure strikes it (after its delay, if any). */
  async strike(method: string, body: Body): Promise<Reply | undefined> {
    // A failure with a probability that does not strike this call lets the next matching one try.
    const strikes = (f: SlackFailure): boolean => f.probability === undefined || (f.random ?? Math.random)() < f.probability;
    const i = this.injections.findIndex((x) => x.method === method && (x.failure.match?.(body) ?? true) && strikes(x.failure));
    const hit = this.injections[i];
    if (!hit) return undefined;
    if (--hit.left <= 0) this.injections.splice(i, 1);
    if (hit.failure.delayMs) await sleep(hit.failure.delayMs);
    if (hit.failure.status === undefined && hit.failure.error === undefined) return undefined;
    const { status = 200, retryAfter } = hit.failure;
    const error = hit.failure.error ?? (status === 429 ? 'ratelimited' : status >= 500 ? 'internal_error' : 'unknown_error');
    const needsRetryAfter = status === 429 || error === 'ratelimited';
    return { status, payload: { ok: false, error }, injected: true, retryAfter: needsRetryAfter ? (retryAfter ?? 1) : undefined };
  }
}
