import type { MicrosoftTokens } from './ms-token.ts';

/** A Graph request that failed: the HTTP status (0 = no answer), Graph's error code and message, and its Retry-After. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterMs: number | undefined,
    opts?: { cause?: unknown },
  ) {
    super(message, opts);
    this.name = 'GraphError';
  }
}

export interface GraphClientOptions {
  /** MS_GRAPH_URL: `https://graph.microsoft.com`, a sovereign cloud's, or the sandbox's. */
  graphUrl: string;
  tokens: MicrosoftTokens;
  /** Timeout of one request; default 30 s. */
  timeoutMs?: number;
}

export interface GraphRequestOptions {
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Herald's Graph client: app-only token, one request, Graph's error envelope read into a GraphError. */
export interface GraphClient {
  readonly url: string;
  /** A path under the Graph URL (`/v1.0/users/…`) or an absolute link Graph gave (nextLink, deltaLink). */
  request(method: string, pathOrLink: string, opts?: GraphRequestOptions): Promise<Response>;
  json<T>(method: string, pathOrLink: string, opts?: GraphRequestOptions): Promise<T>;
}

/** Retry-After in seconds or as an HTTP date, in ms from now; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function createGraphClient(o: GraphClientOptions): GraphClient {
  const base = o.graphUrl.replace(/\/+$/, '');
  const scope = `${base}/.default`;
  const timeoutMs = o.timeoutMs ?? 30_000;
  const origin = new URL(base).origin;

  async function attempt(method: string, url: string, opts: GraphRequestOptions, renew: boolean): Promise<Response> {
    const { token } = await o.tokens(scope, { renew });
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...opts.headers };
    if (opts.contentType) headers['content-type'] = opts.contentType;
    try {
      return await fetch(url, { method, headers, body: opts.body, signal: AbortSignal.timeout(timeoutMs) });
    } catch (cause) {
      const why = cause instanceof Error && cause.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : String((cause as Error)?.cause ?? cause);
      throw new GraphError(0, 'network', `Microsoft Graph unreachable (${new URL(url).host}): ${why}`, undefined, { cause });
    }
  }

  async function request(method: string, pathOrLink: string, opts: GraphRequestOptions = {}): Promise<Response> {
    const url = /^https?:\/\//.test(pathOrLink) ? pathOrLink : `${base}${pathOrLink}`;
    // A link Graph handed out must stay on Graph: the bearer token is never sent elsewhere.
    if (new URL(url).origin !== origin) throw new GraphError(0, 'foreign_link', `Graph returned a link outside ${origin}`, undefined);
    let res = await attempt(method, url, opts, false);
    // An expired or revoked token: one fresh token, then the answer stands.
    if (res.status === 401) {
      await res.body?.cancel();
      res = await attempt(method, url, opts, true);
    }
    if (res.ok) return res;
    const text = await res.text().catch(() => '');
    let code = `http_${res.status}`;
    let message = text.slice(0, 300);
    try {
      const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
      if (body.error?.code) code = body.error.code;
      if (body.error?.message) message = body.error.message;
    } catch {
      // not Graph's JSON envelope (a proxy's page): keep the text
    }
    throw new GraphError(res.status, code, message, retryAfterMs(res.headers.get('retry-after')));
  }

  return {
    url: base,
    request,
    json: async <T>(method: string, pathOrLink: string, opts?: GraphRequestOptions) => (await (await request(method, pathOrLink, opts)).json()) as T,
  };
}
