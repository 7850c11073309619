import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SlackFaults } from './faults.ts';
import { fail, ok, str, type Body, type Reply } from './reply.ts';
import type { RecordedView, SandboxUser } from './types.ts';
import type { SandboxWorkspace } from './workspace.ts';

type Method = (body: Body, at: number) => Reply;

const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata']);

function userPayload(u: SandboxUser): Record<string, unknown> {
  const name = u.name ?? u.email.split('@')[0] ?? u.id;
  return { id: u.id, name, real_name: name, deleted: u.deleted ?? false, is_bot: false, profile: { email: u.email, real_name: name, display_name: name } };
}

/** The Web API methods the sandbox answers, by name, over the workspace's state. */
export function webApiMethods(
  ws: SandboxWorkspace,
  rateLimited: (channel: string, at: number) => Reply | undefined,
  socketModeUrl: () => string,
): Record<string, Method> {
  const { users, messages, views, ephemerals } = ws;

  function recordView(method: RecordedView['method'], body: Body, at: number, viewId: string): Reply {
    const view = body.view;
    if (view === undefined || view === null) return fail('invalid_arguments');
    views.push({ method, viewId, view, at, triggerId: str(body.trigger_id) || undefined, userId: str(body.user_id) || undefined });
    const fields = typeof view === 'object' ? view : {};
    return ok({ view: { ...fields, id: viewId } });
  }

  return {
    'auth.test': () =>
      ok({
        url: 'https://herald-sandbox.slack.com/',
        team: 'Herald Sandbox',
        user: 'herald',
        team_id: 'T0SANDBOX',
        user_id: 'U0HERALD',
        bot_id: 'B0HERALD',
        is_enterprise_install: false,
      }),

    'conversations.open': (body) => {
      const channel = str(body.channel);
      if (channel) return ws.isDm(channel) ? ok({ channel: { id: channel }, already_open: true }) : fail('channel_not_found');
      const ids = (str(body.users) ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (ids.length === 0) return fail('users_list_not_supplied');
      for (const id of ids) {
        const u = users.get(id);
        if (!u) return fail('user_not_found');
        if (u.deleted) return fail('user_disabled');
      }
      if (ids.length > 1) return ok({ channel: { id: `G${ids.join('').slice(0, 10)}` } });
      const dm = ws.openDm(ids[0] ?? '');
      return ok({ channel: { id: dm.id }, already_open: dm.alreadyOpen, no_op: dm.alreadyOpen });
    },

    'chat.postMessage': (body, at) => {
      const target = ws.resolveChannel(str(body.channel));
      if (!target) return fail('channel_not_found');
      if (target.user && users.get(target.user)?.deleted) return fail('user_disabled');
      const text = str(body.text);
      const blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
      if (!text && !blocks) return fail('no_text');
      const limited = rateLimited(target.id, at);
      if (limited) return limited;
      const ts = ws.nextTs(at);
      messages.push({ channel: target.id, user: target.user || undefined, ts, text: text || undefined, blocks, at });
      return ok({ channel: target.id, ts, message: { type: 'message', bot_id: 'B0HERALD', user: 'U0HERALD', ts, text: text ?? '', blocks } });
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
      const target = ws.resolveChannel(str(body.channel));
      const user = str(body.user);
      if (!target) return fail('channel_not_found');
      if (!user || !users.has(user)) return fail('user_not_found');
      const text = str(body.text);
      ephemerals.push({ channel: target.id, user, text: text || undefined, at });
      return ok({ message_ts: ws.nextTs(at) });
    },

    'apps.connections.open': () => ok({ url: socketModeUrl() }),

    'users.lookupByEmail': (body) => {
      const email = str(body.email)?.toLowerCase();
      const u = [...users.values()].find((x) => x.email.toLowerCase() === email);
      return u ? ok({ user: userPayload(u) }) : fail('users_not_found');
    },

    'users.info': (body) => {
      const u = users.get(str(body.user) ?? '');
      return u ? ok({ user: userPayload(u) }) : fail('user_not_found');
    },

    'views.open': (body, at) =>
      str(body.trigger_id) ? recordView('views.open', body, at, `V${ws.next().toString(36).toUpperCase()}`) : fail('invalid_trigger_id'),
    'views.update': (body, at) => {
      const id = str(body.view_id) ?? str(body.external_id);
      const known = id && views.find((v) => v.viewId === id);
      return known ? recordView('views.update', body, at, known.viewId) : fail('not_found');
    },
    'views.publish': (body, at) =>
      str(body.user_id) ? recordView('views.publish', body, at, `V${ws.next().toString(36).toUpperCase()}`) : fail('invalid_arguments'),
  };
}

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

function tryJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/**
 * `POST /api/<method>` as the WebClient sends it (form or JSON, bearer or `token` field): checks
 * the token, lets an injected fault answer first, runs the method and records the call.
 */
export function webApiHandler(
  ws: SandboxWorkspace,
  methods: Record<string, Method>,
  faults: SlackFaults,
  token: string | undefined,
  scopes: readonly string[] = ['chat:write', 'users:read', 'users:read.email'],
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
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
        const handler = methods[method];
        if (!parsed.token) reply = fail('not_authed');
        else if (token !== undefined && parsed.token !== token) reply = fail('invalid_auth');
        else reply = (await faults.strike(method, body)) ?? (handler ? handler(body, Date.now()) : fail('unknown_method'));
      } catch {
        reply = fail('invalid_json');
      }
      const error = reply.payload.ok === true ? undefined : String(reply.payload.error);
      ws.calls.push({
        method,
        body,
        at,
        status: reply.status,
        error: error || undefined,
        retryAfter: reply.retryAfter,
        injected: reply.injected || undefined,
      });
    }
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    // As Slack: the token's granted scopes on every answer to an authenticated call.
    if (method && reply.payload.error !== 'not_authed' && reply.payload.error !== 'invalid_auth') headers['x-oauth-scopes'] = scopes.join(',');
    if (reply.retryAfter !== undefined) headers['retry-after'] = String(reply.retryAfter);
    res.writeHead(reply.status, headers).end(JSON.stringify(reply.payload));
  };
}
