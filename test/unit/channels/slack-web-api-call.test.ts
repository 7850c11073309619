import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebAPIHTTPError } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifySlackError } from '../../../src/channels/slack/errors.ts';
import { webApiCaller } from '../../../src/channels/slack/web-api-call.ts';

// The Slack sandbox always sends Retry-After with a 429; a proxy or load balancer in front of Slack may not.
let server: Server;
let apiUrl: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.endsWith('/bad-header')) res.setHeader('retry-after', 'soon');
      res.writeHead(429, { 'content-type': 'text/plain' }).end('Too Many Requests');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('webApiCaller', () => {
  it.each(['chat.postMessage', 'chat.postMessage/bad-header'])(
    'rejects a 429 without a usable Retry-After (%s) as HTTP 429: retried with the backoff',
    async (method) => {
      const caller = webApiCaller({ token: 'xoxb-test', apiUrl, timeoutMs: 5_000 });
      try {
        const err = await caller.call(method, { channel: 'U1', text: 'hi' }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WebAPIHTTPError);
        expect(err).toMatchObject({ statusCode: 429 });
        expect(classifySlackError(err, { method })).toMatchObject({ reason: 'http_429', retryable: true });
      } finally {
        caller.close();
      }
    },
  );
});
