import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SlackFaults } from './slack/faults.ts';
import { slackRateLimits } from './slack/rate-limits.ts';
import { attachSocketMode } from './slack/socket-mode.ts';
import type { SlackSandbox, SlackSandboxOptions } from './slack/types.ts';
import { webApiHandler, webApiMethods } from './slack/web-api.ts';
import { SandboxWorkspace } from './slack/workspace.ts';

/**
 * A local Slack Web API for tests and `herald demo`: it speaks the wire format the real
 * @slack/web-api WebClient and Bolt use, records every call, enforces Slack's per-channel
 * message rate and lets a test inject 429s, 5xx and Slack error codes. Its parts are in ./slack/:
 * the workspace (users, DM channels, what was posted), the Web API methods, injected faults,
 * Slack's rate limits and the Socket Mode peer.
 */

export type { PostedMessage, SandboxUser, SlackSandbox, SlackSandboxOptions } from './slack/types.ts';

export async function startSlackSandbox(opts: SlackSandboxOptions = {}): Promise<SlackSandbox> {
  const ws = new SandboxWorkspace(opts.users);
  const faults = new SlackFaults();
  let port = 0;
  const methods = webApiMethods(ws, slackRateLimits(opts), () => `ws://127.0.0.1:${port}/socket-mode?ticket=${ws.next().toString(36)}`);
  const handle = webApiHandler(ws, methods, faults, opts.token, opts.scopes);
  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  const socket = attachSocketMode(server, () => ws.next());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/api/`,
    port,
    calls: ws.calls,
    messages: ws.messages,
    views: ws.views,
    ephemerals: ws.ephemerals,
    socketMode: socket.socketMode,
    users: {
      add: (...added) => added.forEach((u) => ws.users.set(u.id, u)),
      get: (id) => ws.users.get(id),
      list: () => [...ws.users.values()],
    },
    messagesTo: (key) => ws.messagesTo(key),
    callsTo: (method) => ws.calls.filter((c) => c.method === method),
    dmChannelOf: (userId) => ws.dmChannelOf(userId),
    inject: (method, failure) => faults.inject(method, failure),
    clearInjections: () => faults.clear(),
    clearRecords: () => ws.clearRecords(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        socket.close();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
