import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { GraphMailboxes, authorize, graphError, route, type GraphReply } from './microsoft/graph.ts';
import { grantToken } from './microsoft/token.ts';
import type { GraphRequest, MicrosoftEndpoint, MicrosoftFault, MicrosoftSandbox, MicrosoftSandboxOptions, SandboxApp, TokenGrant } from './microsoft/types.ts';

/**
 * A local Microsoft 365 for tests and benchmarks, over HTTPS (msal-node accepts nothing else):
 * the Entra ID v2.0 token endpoint with its OpenID configuration (client credentials, by secret
 * or certificate assertion), and the Graph mail endpoints Herald uses: sendMail (MIME in base64),
 * the inbox delta query, a message's MIME (`$value`), mark read and move. Apps carry application
 * permissions and an optional mailbox scope (RBAC for Applications), so 403 ErrorAccessDenied,
 * an unknown mailbox (404 ErrorInvalidUser) and an expired secret come out as Microsoft writes
 * them; 429 and 503 with Retry-After, or any other error, can be injected per endpoint.
 * Its parts are in ./microsoft/: the token grant, the mailboxes, the TLS material.
 */

export type { MicrosoftSandbox, MicrosoftSandboxOptions, SandboxApp } from './microsoft/types.ts';

const MAX_BODY = 40 * 1024 * 1024;
const GRAPH_RESOURCE = 'https://graph.microsoft.com';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startMicrosoftSandbox(opts: MicrosoftSandboxOptions): Promise<MicrosoftSandbox> {
  const apps = new Map<string, SandboxApp>(opts.apps.map((a) => [a.clientId, { ...a }]));
  const tokens = new Map<string, TokenGrant>();
  const grants: TokenGrant[] = [];
  const requests: GraphRequest[] = [];
  const faults: Array<{ endpoint: MicrosoftEndpoint; fault: MicrosoftFault; left: number }> = [];
  const boxes = new GraphMailboxes(opts.mailboxes);
  const lifetime = opts.tokenLifetimeSeconds ?? 3600;
  const inFlight = new Map<string, number>();
  const maxInFlight: Record<string, number> = {};
  let base = '';
  const tenant = opts.tenantId;

  function takeFault(endpoint: MicrosoftEndpoint): MicrosoftFault | undefined {
    const i = faults.findIndex((f) => f.endpoint === endpoint);
    const hit = faults[i];
    if (!hit) return undefined;
    if (--hit.left <= 0) faults.splice(i, 1);
    return hit.fault;
  }

  function faultReply(endpoint: MicrosoftEndpoint, f: MicrosoftFault): GraphReply {
    const headers: Record<string, string> = f.retryAfterSeconds !== undefined ? { 'retry-after': String(f.retryAfterSeconds) } : {};
    if (endpoint === 'token')
      return {
        status: f.status,
        headers,
        body: { error: f.code ?? 'temporarily_unavailable', error_description: f.message ?? 'AADSTS90033: A transient error has occurred.' },
      };
    const code = f.code ?? (f.status === 429 ? 'ApplicationThrottled' : f.status === 503 ? 'ServiceUnavailable' : 'ErrorInternalServerError');
    return {
      ...graphError(f.status, code, f.message ?? (f.status === 429 ? 'Application is over its MailboxConcurrency limit.' : 'The service is unavailable.')),
      headers,
    };
  }

  function checkToken(token: string, resource: string): string | undefined {
    const g = tokens.get(token);
    if (!g || g.expiresAt <= Date.now()) return undefined;
    return g.scope === `${resource}/.default` ? g.clientId : undefined;
  }

  async function handle(req: IncomingMessage): Promise<GraphReply & { endpoint: GraphRequest['endpoint'] }> {
    const url = new URL(req.url ?? '/', base);
    const path = url.pathname;
    if (req.method === 'GET' && path === `/${tenant}/v2.0/.well-known/openid-configuration`) {
      const t = `${base}/${tenant}`;
      return {
        endpoint: 'openid',
        status: 200,
        body: {
          token_endpoint: `${t}/oauth2/v2.0/token`,
          authorization_endpoint: `${t}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${t}/oauth2/v2.0/logout`,
          jwks_uri: `${t}/discovery/v2.0/keys`,
          issuer: `${t}/v2.0`,
          token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        },
      };
    }
    if (path.endsWith('/oauth2/v2.0/token') && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const fault = takeFault('token');
      if (fault) return { endpoint: 'token', ...faultReply('token', fault) };
      if (path !== `/${tenant}/oauth2/v2.0/token`)
        return {
          endpoint: 'token',
          status: 400,
          body: { error: 'invalid_request', error_description: `AADSTS90002: Tenant '${path.split('/')[1]}' not found.` },
        };
      const r = grantToken(form, apps, `${base}${path}`, lifetime, Date.now());
      if (!('grant' in r)) return { endpoint: 'token', status: r.status, body: r.body };
      grants.push(r.grant);
      tokens.set(r.grant.token, r.grant);
      return { endpoint: 'token', status: 200, body: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: r.grant.token } };
    }
    const r = route(req.method ?? 'GET', path);
    if (!r) return { endpoint: 'other', ...graphError(400, 'BadRequest', `Resource not found for the segment '${path}'.`) };
    const body = await readBody(req);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const clientId = checkToken(bearer, GRAPH_RESOURCE) ?? checkToken(bearer, base);
    const app = clientId ? apps.get(clientId) : undefined;
    if (!app) return { endpoint: r.endpoint, ...graphError(401, 'InvalidAuthenticationToken', 'Access token is empty, expired or not for Microsoft Graph.') };
    const fault = takeFault(r.endpoint);
    if (fault) return { endpoint: r.endpoint, ...faultReply(r.endpoint, fault) };
    if (!boxes.has(r.mailbox)) return { endpoint: r.endpoint, ...graphError(404, 'ErrorInvalidUser', `The requested user '${r.mailbox}' is invalid.`) };
    const denied = authorize(app, r.endpoint, r.mailbox);
    if (denied) return { endpoint: r.endpoint, ...denied };
    switch (r.endpoint) {
      case 'sendMail': {
        const now = (inFlight.get(r.mailbox) ?? 0) + 1;
        inFlight.set(r.mailbox, now);
        maxInFlight[r.mailbox] = Math.max(maxInFlight[r.mailbox] ?? 0, now);
        try {
          if (opts.latencyMs) await sleep(opts.latencyMs);
        } finally {
          inFlight.set(r.mailbox, (inFlight.get(r.mailbox) ?? 1) - 1);
        }
        if (!/^text\/plain\b/i.test(req.headers['content-type'] ?? ''))
          return { endpoint: r.endpoint, ...graphError(400, 'ErrorInvalidRequest', 'Send the MIME message as base64 with Content-Type: text/plain.') };
        return { endpoint: r.endpoint, ...(await boxes.sendMail(r.mailbox, app.clientId, body, Date.now())) };
      }
      case 'delta': {
        const size = Number(/odata\.maxpagesize=(\d+)/.exec(String(req.headers.prefer ?? ''))?.[1] ?? 10);
        return { endpoint: r.endpoint, ...boxes.delta(r.mailbox, url.searchParams, base, Math.max(1, size)) };
      }
      default: {
        const m = boxes.message(r.mailbox, r.id!);
        if (!m) return { endpoint: r.endpoint, ...graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.') };
        if (r.endpoint === 'mime') return { endpoint: r.endpoint, status: 200, text: m.raw, headers: { 'content-type': 'text/plain' } };
        const json = (body ? JSON.parse(body) : {}) as { isRead?: boolean; destinationId?: string };
        if (r.endpoint === 'update') {
          if (typeof json.isRead === 'boolean') boxes.markRead(m, json.isRead);
          return { endpoint: r.endpoint, status: 200, body: { id: m.id, isRead: m.isRead } };
        }
        const moved = boxes.move(r.mailbox, m, json.destinationId ?? 'archive');
        return { endpoint: r.endpoint, status: 201, body: { id: moved.id, parentFolderId: moved.folder } };
      }
    }
  }

  const server = createServer({ cert: opts.tls.cert, key: opts.tls.key }, (req, res) => {
    const startedAt = Date.now();
    handle(req).then(
      (reply) => {
        requests.push({
          method: req.method ?? '',
          path: new URL(req.url ?? '/', base).pathname,
          endpoint: reply.endpoint,
          status: reply.status,
          startedAt,
          at: Date.now(),
        });
        const headers: Record<string, string> = { ...reply.headers };
        if (reply.body !== undefined) headers['content-type'] = 'application/json';
        res.writeHead(reply.status, headers).end(reply.body !== undefined ? JSON.stringify(reply.body) : reply.text);
      },
      () => res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify(graphError(400, 'BadRequest', 'Malformed request.').body)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  base = `https://127.0.0.1:${port}`;

  return {
    url: base,
    port,
    grants,
    sent: boxes.sent,
    requests,
    maxInFlight,
    inject: (endpoint, fault) => void faults.push({ endpoint, fault, left: fault.times ?? 1 }),
    clearInjections: () => void faults.splice(0),
    updateApp: (clientId, change) => {
      const app = apps.get(clientId);
      if (app) apps.set(clientId, { ...app, ...change });
    },
    expireTokens: () => {
      for (const g of tokens.values()) g.expiresAt = Math.min(g.expiresAt, Date.now());
    },
    checkToken,
    deliver: (mailbox, raw) => boxes.deliver(mailbox, typeof raw === 'string' ? raw : raw.toString('utf8')),
    inbox: (mailbox) => boxes.inbox(mailbox),
    waitForSent: (n, timeoutMs = 5000) => boxes.waitForSent(n, timeoutMs),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
