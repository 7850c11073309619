import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A local Slack Web API for tests and `herald demo`: it speaks the wire format the real
 * @slack/web-api WebClient and Bolt use, records every call, enforces Slack's per-channel
 * message rate and lets a test inject 429s, 5xx and Slack error codes.
 */

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
  deliver(type: 'interactive' | 'events_api' | 'slash_commands', payload: Record<string, unknown>, timeoutMs?: number): Promise<{ ackMs: number; payload?: unknown }>;
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

type Body = Record<string, unknown>;
interface Reply {
  status: number;
  payload: Record<string, unknown>;
  retryAfter?: number;
  injected?: boolean;
}

const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata']);
const ok = (payload: Record<string, unknown> = {}): Reply => ({ status: 200, payload: { ok: true, ...payload } });
const fail = (error: string): Reply => ({ status: 200, payload: { ok: false, error } });
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export async function startSlackSandbox(opts: SlackSandboxOptions = {}): Promise<SlackSandbox> {
  const perChannelPerSecond = opts.perChannelPerSecond ?? 1;
  const channelIntervalMs = perChannelPerSecond > 0 ? 1000 / perChannelPerSecond : 0;
  const calls: RecordedCall[] = [];
  const messages: PostedMessage[] = [];
  const views: RecordedView[] = [];
  const ephemerals: EphemeralMessage[] = [];
  const users = new Map<string, SandboxUser>();
  const sockets = new Set<WebSocket>();
  const pendingAcks = new Map<string, (payload: unknown) => void>();
  let port = 0;
  const dmByUser = new Map<string, string>();
  const userByDm = new Map<string, string>();
  const lastPostByChannel = new Map<string, number>();
  const workspacePosts: number[] = [];
  const injections: Array<{ method: string; failure: SlackFailure; left: number }> = [];
  let seq = 0;

  for (const u of opts.users ?? []) users.set(u.id, u);

  const nextTs = (at: number): string => `${Math.floor(at / 1000)}.${String(++seq % 1_000_000).padStart(6, '0')}`;

  function openDm(userId: string): { id: string; alreadyOpen: boolean } {
    const existing = dmByUser.get(userId);
    if (existing) return { id: existing, alreadyOpen: true };
    const id = `D${(++seq).toString(36).toUpperCase().padStart(8, '0')}`;
    dmByUser.set(userId, id);
    userByDm.set(id, userId);
    return { id, alreadyOpen: false };
  }

  async function injected(method: string, body: Body): Promise<Reply | undefined> {
    // A failure with a probability that does not strike this call lets the next matching one try.
    const strikes = (f: SlackFailure): boolean => f.probability === undefined || (f.random ?? Math.random)() < f.probability;
    const i = injections.findIndex((x) => x.method === method && (x.failure.match?.(body) ?? true) && strikes(x.failure));
    const hit = injections[i];
    if (!hit) return undefined;
    if (--hit.left <= 0) injections.splice(i, 1);
    if (hit.failure.delayMs) await sleep(hit.failure.delayMs);
    if (hit.failure.status === undefined && hit.failure.error === undefined) return undefined;
    const { status = 200, retryAfter } = hit.failure;
    const error = hit.failure.error ?? (status === 429 ? 'ratelimited' : status >= 500 ? 'internal_error' : 'unknown_error');
    const needsRetryAfter = status === 429 || error === 'ratelimited';
    return { status, payload: { ok: false, error }, injected: true, ...(needsRetryAfter ? { retryAfter: retryAfter ?? 1 } : {}) };
  }

  /** Slack's "about one message per second per channel", plus an optional workspace cap. */
  function rateLimited(channel: string, at: number): Reply | undefined {
    const last = lastPostByChannel.get(channel);
    if (channelIntervalMs > 0 && last !== undefined && at - last < channelIntervalMs) {
      return { status: 429, payload: { ok: false, error: 'ratelimited' }, retryAfter: Math.max(1, Math.ceil((last + channelIntervalMs - at) / 1000)) };
    }
    if (opts.workspacePerMinute !== undefined) {
      while (workspacePosts.length > 0 && (workspacePosts[0] ?? 0) <= at - 60_000) workspacePosts.shift();
      if (workspacePosts.length >= opts.workspacePerMinute) {
        const oldest = workspacePosts[0] ?? at;
        return { status: 429, payload: { ok: false, error: 'ratelimited' }, retryAfter: Math.max(1, Math.ceil((oldest + 60_000 - at) / 1000)) };
      }
      workspacePosts.push(at);
    }
    lastPostByChannel.set(channel, at);
    return undefined;
  }

  function resolveChannel(channel: string | undefined): { id: string; user?: string } | undefined {
    if (!channel) return undefined;
    if (userByDm.has(channel)) return { id: channel, user: userByDm.get(channel) };
    const user = users.get(channel);
    if (user) return { id: openDm(user.id).id, user: user.id };
    // Public and private channels are not modelled: any C…/G… id is taken to exist.
    if (/^[CG][A-Z0-9]+$/.test(channel)) return { id: channel };
    return undefined;
  }

  function userPayload(u: SandboxUser): Record<string, unknown> {
    const name = u.name ?? u.email.split('@')[0] ?? u.id;
    return { id: u.id, name, real_name: name, deleted: u.deleted ?? false, is_bot: false, profile: { email: u.email, real_name: name, display_name: name } };
  }

  function recordView(method: RecordedView['method'], body: Body, at: number, viewId: string): Reply {
    const view = body.view;
    if (view === undefined || view === null) return fail('invalid_arguments');
    views.push({ method, viewId, view, at, ...(str(body.trigger_id) ? { triggerId: str(body.trigger_id) } : {}), ...(str(body.user_id) ? { userId: str(body.user_id) } : {}) });
    return ok({ view: { ...(typeof view === 'object' ? view : {}), id: viewId } });
  }

  const handlers: Record<string, (body: Body, at: number) => Reply> = {
    'auth.test': () =>
      ok({ url: 'https://herald-sandbox.slack.com/', team: 'Herald Sandbox', user: 'herald', team_id: 'T0SANDBOX', user_id: 'U0HERALD', bot_id: 'B0HERALD', is_enterprise_install: false }),

    'conversations.open': (body) => {
      const channel = str(body.channel);
      if (channel) return userByDm.has(channel) ? ok({ channel: { id: channel }, already_open: true }) : fail('channel_not_found');
      const ids = (str(body.users) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      if (ids.length === 0) return fail('users_list_not_supplied');
      for (const id of ids) {
        const u = users.get(id);
        if (!u) return fail('user_not_found');
        if (u.deleted) return fail('user_disabled');
      }
      if (ids.length > 1) return ok({ channel: { id: `G${ids.join('').slice(0, 10)}` } });
      const dm = openDm(ids[0] ?? '');
      return ok({ channel: { id: dm.id }, already_open: dm.alreadyOpen, no_op: dm.alreadyOpen });
    },

    'chat.postMessage': (body, at) => {
      const target = resolveChannel(str(body.channel));
      if (!target) return fail('channel_not_found');
      if (target.user && users.get(target.user)?.deleted) return fail('user_disabled');
      const text = str(body.text);
      const blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
      if (!text && !blocks) return fail('no_text');
      const limited = rateLimited(target.id, at);
      if (limited) return limited;
      const ts = nextTs(at);
      messages.push({ channel: target.id, ...(target.user ? { user: target.user } : {}), ts, ...(text ? { text } : {}), ...(blocks ? { blocks } : {}), at });
      return ok({ channel: target.id, ts, message: { type: 'message', bot_id: 'B0HERALD', user: 'U0HERALD', ts, text: text ?? '', ...(blocks ? { blocks } : {}) } });
    },

    'chat.update': (body, at) => {
      const m = messages.find((x) => x.channel === str(body.channel) && x.ts === str(body.ts));
      if (!m) return fail('message_not_found');
      const text = str(body.text);
      if (text !== undefined) m.text = text;
      if (Array.isArray(body.blocks)) m.blocks = body.blocks;
      m.updatedAt = at;
      return ok({ channel: m.channel, ts: m.ts, text: m.text ?? '' });
    },

    'chat.postEphemeral': (body, at) => {
      const target = resolveChannel(str(body.channel));
      const user = str(body.user);
      if (!target) return fail('channel_not_found');
      if (!user || !users.has(user)) return fail('user_not_found');
      const text = str(body.text);
      ephemerals.push({ channel: target.id, user, ...(text ? { text } : {}), at });
      return ok({ message_ts: nextTs(at) });
    },

    'apps.connections.open': () => ok({ url: `ws://127.0.0.1:${port}/socket-mode?ticket=${(++seq).toString(36)}` }),

    'users.lookupByEmail': (body) => {
      const email = str(body.email)?.toLowerCase();
      const u = [...users.values()].find((x) => x.email.toLowerCase() === email);
      return u ? ok({ user: userPayload(u) }) : fail('users_not_found');
    },

    'users.info': (body) => {
      const u = users.get(str(body.user) ?? '');
      return u ? ok({ user: userPayload(u) }) : fail('user_not_found');
    },

    'views.open': (body, at) => (str(body.trigger_id) ? recordView('views.open', body, at, `V${(++seq).toString(36).toUpperCase()}`) : fail('invalid_trigger_id')),
    'views.update': (body, at) => {
      const id = str(body.view_id) ?? str(body.external_id);
      const known = id && views.find((v) => v.viewId === id);
      return known ? recordView('views.update', body, at, known.viewId) : fail('not_found');
    },
    'views.publish': (body, at) => (str(body.user_id) ? recordView('views.publish', body, at, `V${(++seq).toString(36).toUpperCase()}`) : fail('invalid_arguments')),
  };

  async function readBody(req: IncomingMessage): Promise<{ body: Body; token?: string }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const type = req.headers['content-type'] ?? '';
    let body: Body = {};
    if (type.includes('application/json')) body = raw ? (JSON.parse(raw) as Body) : {};
    else for (const [k, v] of new URLSearchParams(raw)) body[k] = JSON_FIELDS.has(k) ? tryJson(v) : v;
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? str(body.token);
    delete body.token;
    return token === undefined ? { body } : { body, token };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const method = /^\/api\/([\w.]+)$/.exec((req.url ?? '').split('?')[0] ?? '')?.[1];
    let reply: Reply;
    let body: Body = {};
    if (!method) {
      reply = { status: 404, payload: { ok: false, error: 'unknown_method' } };
    } else {
      try {
        const parsed = await readBody(req);
        body = parsed.body;
        const handler = handlers[method];
        if (!parsed.token) reply = fail('not_authed');
        else if (opts.token !== undefined && parsed.token !== opts.token) reply = fail('invalid_auth');
        else reply = (await injected(method, body)) ?? (handler ? handler(body, Date.now()) : fail('unknown_method'));
      } catch {
        reply = fail('invalid_json');
      }
      const error = reply.payload.ok === true ? undefined : String(reply.payload.error);
      calls.push({
        method,
        body,
        at,
        status: reply.status,
        ...(error ? { error } : {}),
        ...(reply.retryAfter === undefined ? {} : { retryAfter: reply.retryAfter }),
        ...(reply.injected ? { injected: true } : {}),
      });
    }
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (reply.retryAfter !== undefined) headers['retry-after'] = String(reply.retryAfter);
    res.writeHead(reply.status, headers).end(JSON.stringify(reply.payload));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  // Socket Mode peer: hello on connect, envelopes out, acks (`{ envelope_id, payload? }`) back; pings keep the client's watchdog quiet.
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (!(req.url ?? '').startsWith('/socket-mode')) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        try {
          const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
          if (msg.envelope_id) pendingAcks.get(msg.envelope_id)?.(msg.payload);
        } catch {
          // not an ack
        }
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: sockets.size, debug_info: { host: 'herald-sandbox' }, connection_info: { app_id: 'A0SANDBOX' } }));
    });
  });
  const pinger = setInterval(() => sockets.forEach((ws) => ws.ping()), 5_000);
  pinger.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  const socketMode: SandboxSocketMode = {
    get connections() {
      return sockets.size;
    },
    async waitForConnection(timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (sockets.size === 0) {
        if (Date.now() > until) throw new Error('no Socket Mode client connected to the Slack sandbox');
        await sleep(20);
      }
    },
    deliver(type, payload, timeoutMs = 5_000) {
      const ws = [...sockets][0];
      if (!ws) return Promise.reject(new Error('no Socket Mode client connected'));
      const envelopeId = `env-${(++seq).toString(36)}`;
      const sent = Date.now();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pendingAcks.delete(envelopeId);
          reject(new Error(`Socket Mode envelope ${envelopeId} was not acknowledged within ${timeoutMs} ms`));
        }, timeoutMs);
        pendingAcks.set(envelopeId, (ackPayload) => {
          clearTimeout(timer);
          pendingAcks.delete(envelopeId);
          resolve({ ackMs: Date.now() - sent, ...(ackPayload === undefined ? {} : { payload: ackPayload }) });
        });
        ws.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' }));
      });
    },
  };

  return {
    url: `http://127.0.0.1:${port}/api/`,
    port,
    calls,
    messages,
    views,
    ephemerals,
    socketMode,
    users: {
      add: (...added) => added.forEach((u) => users.set(u.id, u)),
      get: (id) => users.get(id),
      list: () => [...users.values()],
    },
    messagesTo: (key) => {
      const channel = dmByUser.get(key) ?? key;
      return messages.filter((m) => m.channel === channel);
    },
    callsTo: (method) => calls.filter((c) => c.method === method),
    dmChannelOf: (userId) => dmByUser.get(userId),
    inject: (method, failure) => {
      injections.push({ method, failure, left: failure.times ?? 1 });
    },
    clearInjections: () => {
      injections.length = 0;
    },
    clearRecords: () => {
      calls.length = 0;
      messages.length = 0;
      views.length = 0;
      ephemerals.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        clearInterval(pinger);
        for (const ws of sockets) ws.terminate();
        wss.close();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function tryJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
