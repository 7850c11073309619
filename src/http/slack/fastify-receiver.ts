/**
 * A Bolt receiver driven by Fastify's `POST /slack/events` route: the route checks the signature
 * and parses the body, the receiver hands the event to Bolt and resolves with the listener's ack,
 * so the HTTP answer leaves as soon as the listener acks while its work goes on.
 */
import { HeraldError } from '../../domain/errors.ts';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { ReceiverMultipleAckError } from '@slack/bolt';
import type { Logger } from '../../logger.ts';
import { errorBody } from '../error-status.ts';

export interface AckReply {
  status: number;
  body: string | Record<string, unknown>;
}

export class FastifySlackReceiver implements Receiver {
  private app: App | undefined;

  constructor(private readonly log?: Logger) {}

  init(app: App): void {
    this.app = app;
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Resolves with the ack; `done` settles when every listener has finished (rejecting when one
   * failed after acking, which the caller logs).
   */
  dispatch(body: Record<string, unknown>, retry: { num?: number; reason?: string }): { ack: Promise<AckReply>; done: Promise<void> } {
    const app = this.app;
    if (!app) throw new HeraldError('INTERNAL', 'FastifySlackReceiver used before Bolt initialised it');
    let acked = false;
    let resolveAck!: (r: AckReply) => void;
    const ack = new Promise<AckReply>((resolve) => (resolveAck = resolve));
    const event: ReceiverEvent = {
      body,
      ...(retry.num === undefined ? {} : { retryNum: retry.num }),
      ...(retry.reason === undefined ? {} : { retryReason: retry.reason }),
      ack: async (response?: unknown) => {
        if (acked) throw new ReceiverMultipleAckError();
        acked = true;
        resolveAck({
          status: 200,
          body: response === undefined || response === null ? '' : typeof response === 'string' ? response : (response as Record<string, unknown>),
        });
      },
    };
    const done = app.processEvent(event).then(
      () => {
        // Nothing handled it (an event Herald does not listen to): a plain 200 stops Slack's retries.
        if (!acked) resolveAck({ status: 200, body: '' });
      },
      (err: unknown) => {
        if (!acked) resolveAck({ status: 500, body: errorBody('INTERNAL', 'Herald could not handle this Slack request') });
        this.log?.error({ err }, 'slack listener failed');
        throw err;
      },
    );
    return { ack, done };
  }
}
