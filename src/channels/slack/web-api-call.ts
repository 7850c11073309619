import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { stringify } from 'node:querystring';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError, type WebAPICallResult } from '@slack/web-api';
import { isSafeToRepeat } from './errors.ts';

export interface WebApiCallerOptions {
  token: string;
  /** Base URL ending in `/`, e.g. https://slack.com/api/. */
  apiUrl: string;
  /** Whole-request timeout, ms (as the WebClient's `timeout`). */
  timeoutMs: number;
}

/** Calls one Web API method; resolves with the `ok: true` answer. */
export type WebApiCall = <T extends WebAPICallResult>(method: string, body: Record<string, unknown>) => Promise<T>;

/** A connection the request never got to use: repeating it cannot post twice (see isSafeToRepeat). */
const REPEAT_AFTER_MS = 200;

/**
 * The worker's two hot Slack calls (chat.postMessage, users.lookupByEmail) over node:http with
 * keep-alive, the body URL-encoded as the WebClient sends it. The WebClient spent ~15% of the worker's CPU on them (bench:delivery throughput):
 * fetch with web streams, a request queue, a retry wrapper and debug strings built and
 * redacted for every call even with debug logging off. Its contract is kept: the same error
 * classes (so classifySlackError decides retries exactly as before), a 429 with Retry-After
 * rejected as WebAPIRateLimitedError (rejectRateLimitedCalls), any other non-200 (a 429
 * without a usable Retry-After included) a WebAPIHTTPError, `ok: false` a WebAPIPlatformError, and one repeat only of a request that
 * never reached Slack.
 */
export function webApiCaller(opts: WebApiCallerOptions): { call: WebApiCall; close(): void } {
  const base = new URL(opts.apiUrl);
  const secure = base.protocol === 'https:';
  // Idle sockets are dropped after 4 s, before a server's usual 5 s keep-alive closes them under a request.
  const agentOpts = { keepAlive: true, maxSockets: 100, timeout: 4_000 };
  const agent = secure ? new HttpsAgent(agentOpts) : new HttpAgent(agentOpts);
  const request = secure ? httpsRequest : httpRequest;
  const authorization = `Bearer ${opts.token}`;

  function once(method: string, payload: Buffer): Promise<{ res: IncomingMessage; text: string }> {
    return new Promise((resolve, reject) => {
      const url = new URL(method, base);
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', 'content-length': payload.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            clearTimeout(timer);
            resolve({ res, text: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', fail);
        },
      );
      function fail(e: Error): void {
        clearTimeout(timer);
        reject(e);
      }
      const timer = setTimeout(() => {
        const e = new Error(`Slack ${method}: no answer within ${opts.timeoutMs} ms`);
        e.name = 'TimeoutError';
        req.destroy(e);
      }, opts.timeoutMs);
      req.on('error', fail);
      req.end(payload);
    });
  }

  async function attempt<T extends WebAPICallResult>(method: string, payload: Buffer): Promise<T> {
    let answer: Awaited<ReturnType<typeof once>>;
    try {
      answer = await once(method, payload);
    } catch (e) {
      throw new WebAPIRequestError(e instanceof Error ? e : new Error(String(e)));
    }
    const { res, text } = answer;
    if (res.statusCode === 429) {
      const retryAfter = Number.parseInt(String(res.headers['retry-after'] ?? ''), 10);
      if (!Number.isNaN(retryAfter)) throw new WebAPIRateLimitedError(retryAfter);
      // Without a usable Retry-After it is an ordinary HTTP error below (http_429: retried with the catalogue's backoff).
    }
    if (res.statusCode !== 200) {
      const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
      throw new WebAPIHTTPError(res.statusCode ?? 0, res.statusMessage ?? '', headers, text);
    }
    let result: WebAPICallResult;
    try {
      result = JSON.parse(text) as WebAPICallResult;
    } catch {
      result = { ok: false, error: text } as WebAPICallResult;
    }
    // As the WebClient does: a Retry-After header on an answer is passed on in its metadata.
    const retryAfter = Number.parseInt(String(res.headers['retry-after'] ?? ''), 10);
    if (!Number.isNaN(retryAfter)) result.response_metadata = { ...result.response_metadata, retryAfter } as WebAPICallResult['response_metadata'];
    if (!result.ok) throw new WebAPIPlatformError(result as WebAPICallResult & { error: string });
    return result as T;
  }

  const call: WebApiCall = async (method, body) => {
    const payload = Buffer.from(formBody(body), 'utf8');
    try {
      return await attempt(method, payload);
    } catch (e) {
      if (!isSafeToRepeat(e)) throw e;
      await sleep(REPEAT_AFTER_MS);
      return attempt(method, payload);
    }
  };

  return { call, close: () => agent.destroy() };
}

/** The body as the WebClient sends it: URL-encoded, objects (blocks) as JSON, null and undefined left out. */
function formBody(body: Record<string, unknown>): string {
  const fields: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(body)) {
    if (v === undefined || v === null) continue;
    fields[k] = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v);
  }
  return stringify(fields);
}
