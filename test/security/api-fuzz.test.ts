/**
 * "No route may answer 500 to any request the OpenAPI document allows or to malformed input."
 * The fuzzer reads the OpenAPI document the server publishes, and with fast-check sends, for every
 * operation, requests built from its documented parameters and body (schema-valid values, mostly)
 * and broken ones (hostile strings, wrong types, bad JSON, wrong content types, duplicated query
 * parameters), with no token and with feed, viewer, editor and admin tokens, against the real
 * server seeded with real projects. Then the same for the dashboard (signed in) and the link
 * pages. Every answer must be below 500. Each part runs HERALD_FUZZ_SECONDS (default 60; set it
 * higher for a long run).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { RESPONSES_PROJECT } from '../support/responses.ts';
import { noteForReport } from './report-notes.ts';
import { dashboardCookie, EXAMPLE_PROJECT, NO_RATE_LIMITS, type Target, useTarget } from './harness.ts';
import { HOSTILE_STRINGS, hostileJson, hostileString, mixedValue, validValue, type JsonSchema } from './json-schema-arbitrary.ts';

const SECONDS = Number(process.env.HERALD_FUZZ_SECONDS ?? 60);

interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema: JsonSchema;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: JsonSchema;
  bodyRequired: boolean;
}
interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** Known good values for path parameters, so valid requests reach the handlers' logic, not only the 404s. */
const KNOWN: Record<string, string[]> = {
  project: [EXAMPLE_PROJECT, RESPONSES_PROJECT],
  key: [EXAMPLE_PROJECT, RESPONSES_PROJECT],
  milestone: ['kickoff', 'pilot', 'cutover', 'go-live', 'mfa-deadline'],
};

function operations(doc: {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { required?: boolean; content?: Record<string, { schema: JsonSchema }> } }>>;
}): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const content = op.requestBody?.content ?? {};
      const body = Object.values(content)[0]?.schema;
      ops.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        ...(body ? { body } : {}),
        bodyRequired: op.requestBody?.required ?? false,
      });
    }
  }
  return ops;
}

const text = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));

function requestFor(op: Operation, components: Record<string, JsonSchema>, tokens: Record<string, string>): fc.Arbitrary<Sent> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const headerParams = op.parameters.filter((p) => p.in === 'header');
  const pathArb = fc.record(
    Object.fromEntries(
      pathParams.map((p) => [
        p.name,
        fc.oneof(
          { arbitrary: fc.constantFrom(...(KNOWN[p.name] ?? ['x'])), weight: 3 },
          { arbitrary: validValue(p.schema, components).map(text), weight: 1 },
          { arbitrary: hostileString(), weight: 1 },
        ),
      ]),
    ),
  );
  const queryArb = fc.array(
    fc.oneof(
      ...(queryParams.length ? queryParams : [{ name: 'x', schema: {} } as Parameter]).map((p) =>
        fc.tuple(fc.constant(p.name), mixedValue(p.schema, components).map(text)),
      ),
      fc.tuple(hostileString(), hostileString()),
    ),
    { maxLength: 6 },
  );
  const headerArb = fc.record(Object.fromEntries(headerParams.map((p) => [p.name, mixedValue(p.schema, components).map(text)])), { requiredKeys: [] });
  const bodyArb: fc.Arbitrary<{ type?: string; body?: string }> = op.body
    ? fc.oneof(
        { arbitrary: validValue(op.body, components).map((v) => ({ type: 'application/json', body: JSON.stringify(v) })), weight: 4 },
        { arbitrary: hostileJson().map((v) => ({ type: 'application/json', body: JSON.stringify(v) })), weight: 1 },
        {
          arbitrary: fc.constantFrom('{', '{"when":', '[1,', 'nul', '\u0000', '{"a":1}{"b":2}').map((b) => ({ type: 'application/json', body: b })),
          weight: 1,
        },
        {
          arbitrary: fc
            .tuple(
              fc.constantFrom(
                'application/yaml',
                'text/plain',
                'application/x-www-form-urlencoded',
                'multipart/form-data; boundary=x',
                'application/xml',
                'text/html',
                'application/json; charset=utf-16',
              ),
              hostileString(),
            )
            .map(([type, body]) => ({ type, body })),
          weight: 1,
        },
        { arbitrary: fc.constant({}), weight: 1 },
      )
    : fc.oneof(
        { arbitrary: fc.constant({}), weight: 4 },
        { arbitrary: hostileJson().map((v) => ({ type: 'application/json', body: JSON.stringify(v) })), weight: 1 },
      );
  return fc
    .record({ path: pathArb, query: queryArb, headers: headerArb, body: bodyArb, who: fc.constantFrom(...Object.keys(tokens), 'none') })
    .map(({ path, query, headers, body, who }) => {
      const url = `/api/v1${op.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(String(path[name] ?? 'x')))}`;
      const qs = new URLSearchParams(query).toString();
      const h: Record<string, string> = {};
      for (const [k, v] of Object.entries(headers)) if (v !== undefined && /^[\t\x20-\x7e]*$/.test(v)) h[k] = v;
      if (who !== 'none') h.authorization = `Bearer ${tokens[who]}`;
      if (body.type) h['content-type'] = body.type;
      return { method: op.method, url: qs ? `${url}?${qs}` : url, headers: h, ...(body.body !== undefined && op.method !== 'GET' ? { body: body.body } : {}) };
    });
}

async function send(base: string, r: Sent): Promise<number> {
  const res = await fetch(`${base}${r.url}`, { method: r.method, headers: r.headers, redirect: 'manual', ...(r.body !== undefined ? { body: r.body } : {}) });
  await res.arrayBuffer();
  return res.status;
}

/** Runs `arb` against the server for SECONDS; returns how many requests went and every one that answered 5xx. */
async function fuzz(t: Target, arb: fc.Arbitrary<Sent>, seconds: number): Promise<{ runs: number; failures: string[] }> {
  const failures: string[] = [];
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(arb, async (r) => {
      runs += 1;
      const status = await send(t.url, r);
      if (status >= 500 && failures.length < 20) failures.push(`${status} ${r.method} ${r.url} ${JSON.stringify(r.headers)} ${r.body?.slice(0, 200) ?? ''}`);
      return true;
    }),
    { numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: seconds * 1000, markInterruptAsFailure: false },
  );
  return { runs, failures };
}

const target = useTarget(NO_RATE_LIMITS);
let t: Target;
beforeAll(() => {
  t = target();
});

describe('API fuzzer (every operation of /api/v1/openapi.json)', () => {
  it(
    `no request answers 5xx (${SECONDS} s)`,
    async () => {
      const doc = (await (await fetch(`${t.url}/api/v1/openapi.json`)).json()) as Parameters<typeof operations>[0] & {
        components?: { schemas?: Record<string, JsonSchema> };
      };
      const ops = operations(doc);
      expect(ops.length).toBeGreaterThan(10);
      const { feed, viewer, editor, admin, otherProject } = t.tokens;
      const arb = fc.oneof(...ops.map((op) => requestFor(op, doc.components?.schemas ?? {}, { feed, viewer, editor, admin, otherProject })));
      const { runs, failures } = await fuzz(t, arb, SECONDS);
      expect(failures).toEqual([]);
      expect(runs).toBeGreaterThan(ops.length);
      noteForReport(`API fuzzer: ${runs} requests over ${ops.length} operations in ${SECONDS} s, none answered 5xx`);
    },
    (SECONDS + 60) * 1000,
  );
});

describe('dashboard and link pages fuzzer', () => {
  it(
    `no request answers 5xx (${SECONDS} s)`,
    async () => {
      const cookie = await dashboardCookie(t, t.tokens.editor);
      const m = t.seed.message('checkin', 'ana', 'email');
      const goodLink = t.link('answer', m.id, m.personId, 'good');
      const routes = [
        '/',
        '/signin',
        '/projects/{key}',
        '/projects/{key}/calendar',
        '/projects/{key}/escalations',
        '/projects/{key}/approvals',
        '/projects/{key}/inbox',
        '/projects/{key}/messages',
        '/projects/{key}/plan',
        '/projects/{key}/preview',
        '/projects/{key}/responses',
        '/projects/{key}/audit',
        '/projects/{key}/history',
        '/projects/{key}/history/{x}',
        '/projects/{key}/inbox/{x}',
        '/projects/{key}/calendar/messages/{x}',
        '/projects/{key}/{x}',
        '/r/{token}',
        '/u/{token}',
        '/e/{token}',
        '/a/{token}',
        '/calendar/{key}.ics',
        '/calendar/{key}/{x}.ics',
        '/{x}',
      ];
      const posts = [
        '/signin',
        '/signout',
        '/projects/{key}/messages/retry',
        '/projects/{key}/plan/move',
        '/projects/{key}/inbox/{x}/assign',
        '/projects/{key}/escalations/{x}/{x}',
        '/projects/{key}/approvals/{x}/{x}',
        '/r/{token}',
        '/u/{token}',
        '/e/{token}',
        '/a/{token}',
        '/inbound/email',
        '/slack/events',
      ];
      const queryNames = [
        'week',
        'from',
        'to',
        'comm',
        'person',
        'status',
        'page',
        'cursor',
        'as',
        'channel',
        'audience',
        'open',
        'limit',
        'next',
        'option',
        'kind',
        'token',
        'q',
        'view',
        'since',
        'after',
      ];
      const tokenArb = fc.oneof(
        fc.constant(goodLink),
        fc.constant(`${goodLink}x`),
        hostileString(),
        fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')), minLength: 20, maxLength: 120 }),
      );
      const fill = (route: string, key: string, x: string, token: string) =>
        route.replace('{key}', encodeURIComponent(key)).replaceAll('{x}', encodeURIComponent(x)).replace('{token}', encodeURIComponent(token));
      const arb: fc.Arbitrary<Sent> = fc
        .record({
          post: fc.boolean(),
          get: fc.constantFrom(...routes),
          postRoute: fc.constantFrom(...posts),
          key: fc.oneof(fc.constantFrom(...KNOWN.key!), hostileString()),
          x: fc.oneof(fc.uuid(), hostileString(), fc.constantFrom('acknowledge', 'resolve', 'ana', 'ben')),
          token: tokenArb,
          query: fc.array(
            fc.tuple(
              fc.oneof(fc.constantFrom(...queryNames), hostileString()),
              fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), hostileString(), fc.constantFrom('2027-W02', '2027-01-05', 'good', 'email', 'slack')),
            ),
            { maxLength: 5 },
          ),
          signedIn: fc.boolean(),
          form: fc.dictionary(
            fc.constantFrom('token', 'next', 'option', 'comment', 'proof', '_csrf', 'scope', 'note', 'milestone', 'when', 'person', 'ids'),
            hostileString(),
            { maxKeys: 5 },
          ),
          type: fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'multipart/form-data; boundary=zz', 'text/plain', 'message/rfc822'),
        })
        .map(({ post, get, postRoute, key, x, token, query, signedIn, form, type }) => {
          const qs = new URLSearchParams(query).toString();
          const url = fill(post ? postRoute : get, key, x, token) + (qs ? `?${qs}` : '');
          const headers: Record<string, string> = { origin: t.url, ...(signedIn ? { cookie } : {}) };
          if (!post) return { method: 'GET', url, headers };
          headers['content-type'] = type;
          const body = type.startsWith('application/json') ? JSON.stringify(form) : new URLSearchParams(form).toString();
          return { method: 'POST', url, headers, body };
        });
      const { runs, failures } = await fuzz(t, arb, SECONDS);
      expect(failures).toEqual([]);
      noteForReport(`dashboard and link pages fuzzer: ${runs} requests in ${SECONDS} s, none answered 5xx`);
    },
    (SECONDS + 60) * 1000,
  );
});
