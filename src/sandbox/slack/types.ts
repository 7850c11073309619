/** What the local Slack sandbox (src/sandbox/slack-server.ts) exposes to tests and the demo. */

export interface SandboxUser {
  id: string;
  email: string;
  name?: string;
  /** A deactivated account: DMs to it fail with `user_disabled`. */
  deleted?: boolean;
}

export interface SlackFailure {
  /** HTTP status; 429 adds a Retry-After header. Default 200 with `{ ok: false, error }`. */
  status?: number;
  /** Slack error code in the body; defaults to `ratelimited` for 429 and `internal_error` for 5xx. */
  error?: string;
  /** Seconds for the Retry-After header (429 or `ratelimited`); default 1. */
  retryAfter?: number;
  /** How many matching calls fail; default 1, `Infinity` for every call. */
  times?: number;
  /** Only calls whose body matches fail. */
  match?: (body: Record<string, unknown>) => boolean;
  /** Answer this late (to provoke client timeouts); alone, the call then succeeds normally. */
  delayMs?: number;
  /** Fail only this share (0–1) of matching calls, drawn from `random` (seed it to replay a run); the rest succeed. */
  probability?: number;
  random?: () => number;
}

export interface RecordedCall {
  method: string;
  /** Parameters as sent, JSON fields (blocks, view…) decoded, the token removed. */
  body: Record<string, unknown>;
  /** Arrival time, ms since the epoch, by the sandbox's clock. */
  at: number;
  status: number;
  /** The Slack error code returned, if the call failed. */
  error?: string;
  /** The Retry-After (seconds) sent with a 429 or `ratelimited`. */
  retryAfter?: number;
  /** The failure was injected by the test (not the sandbox's own rate limit). */
  injected?: boolean;
}

export interface PostedMessage {
  channel: string;
  /** The user a DM channel belongs to. */
  user?: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  at: number;
  updatedAt?: number;
}

export interface RecordedView {
  method: 'views.open' | 'views.update' | 'views.publish';
  viewId: string;
  view: unknown;
  triggerId?: string;
  userId?: string;
  at: number;
}

export interface SlackSandboxOptions {
  port?: number;
  /** chat.postMessage per channel per second; default 1, 0 = unlimited. */
  perChannelPerSecond?: number;
  /** chat.postMessage per workspace per minute; unlimited when unset. */
  workspacePerMinute?: number;
  users?: SandboxUser[];
  /** When set, any other bearer token fails with `invalid_auth`. */
  token?: string;
  /** The bot token's scopes, sent as Slack does in `x-oauth-scopes` on authenticated answers (default: the three Herald needs). */
  scopes?: readonly string[];
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  text?: string;
  at: number;
}

/** Socket Mode: `apps.connections.open` hands out a loopback ws:// URL; interactions are delivered over it. */
export interface SandboxSocketMode {
  /** Open WebSocket connections (Socket Mode clients). */
  readonly connections: number;
  /** Resolves when at least one client is connected. */
  waitForConnection(timeoutMs?: number): Promise<void>;
  /**
   * Sends an envelope (`interactive` for block_actions / view_submission / view_closed, or
   * `events_api`) to a connected client and resolves with its ack (the envelope's response payload, if any).
   */
  deliver(
    type: 'interactive' | 'events_api' | 'slash_commands',
    payload: Record<string, unknown>,
    timeoutMs?: number,
  ): Promise<{ ackMs: number; payload?: unknown }>;
}

export interface SlackSandbox {
  /** Base URL for the WebClient's `slackApiUrl`, e.g. `http://127.0.0.1:PORT/api/`. */
  readonly url: string;
  readonly port: number;
  readonly calls: RecordedCall[];
  /** Accepted chat.postMessage calls, in arrival order (chat.update edits them in place). */
  readonly messages: PostedMessage[];
  readonly views: RecordedView[];
  /** chat.postEphemeral calls accepted. */
  readonly ephemerals: EphemeralMessage[];
  readonly socketMode: SandboxSocketMode;
  readonly users: { add(...users: SandboxUser[]): void; get(id: string): SandboxUser | undefined; list(): SandboxUser[] };
  /** Messages posted to a channel id, or to the DM channel of a user id. */
  messagesTo(userOrChannel: string): PostedMessage[];
  callsTo(method: string): RecordedCall[];
  /** The DM channel id opened for a user, if any. */
  dmChannelOf(userId: string): string | undefined;
  inject(method: string, failure: SlackFailure): void;
  clearInjections(): void;
  /** Forget recorded calls, messages and views (users and DM channels stay). */
  clearRecords(): void;
  close(): Promise<void>;
}
