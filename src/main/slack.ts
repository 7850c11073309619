/**
 * Slack interactivity as one Bolt app, built here (with the WebClient Bolt makes for it): over HTTP
 * (`POST /slack/events`, SLACK_SIGNING_SECRET, the receiver src/http/slack/fastify-receiver.ts) or,
 * when SLACK_APP_TOKEN is set, over Socket Mode (Bolt's SocketModeReceiver: Herald dials out to
 * Slack over a WebSocket, for companies that cannot expose an HTTP endpoint). The listeners are the
 * same either way (src/http/slack/listeners.ts). server.ts imports this file only when Slack is
 * configured, so Bolt loads in neither the worker nor a serve without Slack.
 */
import { App, LogLevel, SocketModeReceiver, type Logger as BoltLogger } from '@slack/bolt';
import type { Clock } from '../app/ports.ts';
import type { StoreDeps } from '../app/ports.ts';
import { ConfigError } from '../domain/errors.ts';
import type { SlackReads } from '../db/repo/slack-reads.ts';
import type { Logger } from '../logger.ts';
import { FastifySlackReceiver } from '../http/slack/fastify-receiver.ts';
import { answerShower, type InteractionDeps, type RecordedClick, type Scratch } from '../http/slack/interactions.ts';
import { registerSlackListeners } from '../http/slack/listeners.ts';
import type { ClickPayload } from '../app/queue-ports.ts';
import type { SlackHttp } from '../http/slack/slack-events.ts';

export interface SlackInteractivityOptions {
  botToken: string;
  signingSecret?: string | undefined;
  /** `xapp-…` with `connections:write`: Socket Mode instead of the HTTP route. */
  appToken?: string | undefined;
  /** A Slack-compatible API base (tests, the demo). */
  apiUrl?: string | undefined;
  db: StoreDeps;
  /** Where a sent message is, who may act on an escalation (createSlackReads, src/db/repo/slack-reads.ts). */
  reads: SlackReads;
  clock: Clock;
  scratch: Scratch;
  log?: Logger | undefined;
  /** The durable queue every answer is written to before its ack (the ClickQueue port, jobs/record-click.ts). */
  clicks?: InteractionDeps['clicks'];
  plans?: InteractionDeps['plans'];
  /** HERALD_SECRET, for the signed tokens on approval buttons. */
  secret?: string | undefined;
}

export interface SlackInteractivity {
  mode: 'http' | 'socket';
  /** For the HTTP server, in HTTP mode. */
  http?: SlackHttp;
  /** Replaces an answered message in place, for answers the click queue records. */
  showRecorded(click: ClickPayload, outcome: RecordedClick): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Bolt logs through pino at Herald's level. */
function boltLogger(log: Logger | undefined): BoltLogger {
  const l = log?.child({ component: 'slack-bolt' });
  let level = LogLevel.INFO;
  return {
    debug: (...m: unknown[]) => l?.debug(m.map(String).join(' ')),
    info: (...m: unknown[]) => l?.info(m.map(String).join(' ')),
    warn: (...m: unknown[]) => l?.warn(m.map(String).join(' ')),
    error: (...m: unknown[]) => l?.error(m.map(String).join(' ')),
    setLevel: (v: LogLevel) => void (level = v),
    getLevel: () => level,
    setName: () => {},
  };
}

export function createSlackInteractivity(opts: SlackInteractivityOptions): SlackInteractivity {
  const logger = boltLogger(opts.log);
  const clientOptions = opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {};
  // No listener uses Bolt's conversation store (its middleware runs on every event): bench:responses.
  const base = { token: opts.botToken, logger, clientOptions, convoStore: false as const };
  if (opts.appToken) {
    const receiver = new SocketModeReceiver({ appToken: opts.appToken, logger, installerOptions: { clientOptions } });
    const app = new App({ ...base, receiver });
    registerSlackListeners(app, opts);
    return {
      mode: 'socket',
      showRecorded: answerShower(app.client, opts.scratch),
      start: async () => {
        await app.start();
      },
      stop: async () => {
        await app.stop();
      },
    };
  }
  if (!opts.signingSecret) throw new ConfigError('Slack interactivity over HTTP needs SLACK_SIGNING_SECRET');
  const receiver = new FastifySlackReceiver(opts.log);
  const app = new App({ ...base, receiver });
  registerSlackListeners(app, opts);
  return {
    mode: 'http',
    showRecorded: answerShower(app.client, opts.scratch),
    http: { signingSecret: opts.signingSecret, receiver, clock: opts.clock, scratch: opts.scratch, log: opts.log },
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
  };
}
