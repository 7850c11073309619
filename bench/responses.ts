/**
 * npm run bench:responses — answers coming back, on loopback against `herald serve` (its own
 * process) and PostgreSQL:
 *  1. signed Slack button clicks posted to /slack/events at 200/s for 30 s, some delivered twice;
 *  2. answer-link form POSTs to /r/:token at the same rate, some posted twice;
 * each printing acks/s, ack p50/p99 beside the aim (p99 ≤ 200 ms; Slack's own limit is 3 s) and
 * answers stored beside distinct clicks (they must be equal).
 * Parts are listed in RESPONSE_BENCH_PARTS below; a part is `(ctx) => Promise<void>` and may be
 * added from its own file (the inbound-mail part: replies over SMTP).
 * Env: BENCH_PEOPLE (default 10000), BENCH_RATE (200), BENCH_SECONDS (30), BENCH_DUPLICATES (0.2),
 * BENCH_PARTS (comma list of part names: slack, links, smtp; default all), BENCH_PG_URL (admin URL),
 * BENCH_SMTP_RATE (replies per second over SMTP, default 50; see responses-smtp.ts).
 */
import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { startSlackSandbox } from '../src/sandbox/slack-server.ts';
import { answerLinkRequest, postedSurvey, slackClickRequest } from '../test/support/answer-requests.ts';
import { deleteByPrefix } from '../test/support/redis.ts';
import { BenchDatabase } from './delivery-fixture.ts';
import { smtpReplies } from './responses-smtp.ts';
import {
  BENCH_SECRET,
  BENCH_SIGNING,
  fireAtRate,
  processCpuSeconds,
  seedSurveyMessages,
  startServeProcess,
  withDuplicates,
  type LoadRequest,
  type ResponseBenchPart,
  type ResponsesBenchContext,
  type SurveyMessage,
} from './responses-fixture.ts';

// 10,000 people give enough calendar survey messages for all three parts at the default rates.
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 10000);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const DUP_SHARE = Number(process.env.BENCH_DUPLICATES ?? 0.2);
const ADMIN = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ACK_P99_AIM_MS = 200;
const WARM_UP = 60;

/**
 * Answers stored for the given messages, once the count has stopped growing for 15 s (a stalled pool can pause it for 10 s) (listeners
 * finish after the ack) or reached `expected`, up to `maxMs`.
 */
async function settledCount(ctx: ResponsesBenchContext, messageIds: string[], expected: number, maxMs = 120_000): Promise<number> {
  let last = -1;
  let stableSince = Date.now();
  const end = Date.now() + maxMs;
  for (;;) {
    const { rows } = await ctx.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Response" WHERE "messageId" = ANY($1::uuid[])`, [messageIds]);
    const n = Number(rows[0]?.n ?? 0);
    if (n !== last) stableSince = Date.now();
    last = n;
    if (n >= expected || Date.now() - stableSince > 15_000 || Date.now() > end) return n;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A few requests before the measured run, so module loading and JIT warm-up are not in the figures. */
async function warmUp(ctx: ResponsesBenchContext, requests: LoadRequest[]): Promise<void> {
  for (const r of requests) await fetch(`${ctx.serverUrl}${r.path}`, { method: 'POST', headers: r.headers, body: r.body }).then((res) => res.arrayBuffer());
}

/** Runs the load and reports it, with the server's CPU per request (a figure that does not depend on how busy the machine is). */
async function measuredLoad(ctx: ResponsesBenchContext, label: string, load: LoadRequest[], settle: () => Promise<unknown>): Promise<void> {
  const cpu0 = processCpuSeconds(ctx.serverPid);
  const result = await fireAtRate(ctx.serverUrl, load, RATE, SECONDS);
  await settle();
  const cpu = processCpuSeconds(ctx.serverPid) - cpu0;
  reportLoad(ctx, label, result, load.length);
  const perRequest = (cpu * 1000) / Math.max(1, load.length);
  ctx.report(`${label}: herald serve CPU per request`, `${perRequest.toFixed(1)} ms (≈ ${Math.floor(1000 / perRequest)} requests/s per core)`);
}

function reportLoad(ctx: ResponsesBenchContext, label: string, result: Awaited<ReturnType<typeof fireAtRate>>, sent: number): void {
  const ok = result['2xx'];
  ctx.report(`${label}: requests sent`, `${sent} (${result.non2xx} not 2xx, ${result.errors} errors, ${result.timeouts} timeouts)`);
  ctx.report(`${label}: acks/s`, `${(ok / (result.duration || SECONDS)).toFixed(1)}`, `${RATE}/s offered`);
  ctx.report(`${label}: ack p50 / p99`, `${result.latency.p50} ms / ${result.latency.p99} ms`, `p99 ≤ ${ACK_P99_AIM_MS} ms`);
}

interface LoadPart {
  label: string;
  channel: 'slack' | 'email';
  /** The request answering message `m` (`i` picks the option). */
  request(ctx: ResponsesBenchContext, m: SurveyMessage, i: number): LoadRequest;
  /** What makes two requests the same answer (a duplicate in the load). */
  identity(r: LoadRequest): string;
  /** Set-up on the messages before any request (the Slack sandbox must know them). */
  prepare?(ctx: ResponsesBenchContext, messages: SurveyMessage[]): void;
  after?(ctx: ResponsesBenchContext): void;
}

/**
 * One load part: warm-up requests, then RATE × SECONDS requests answering distinct messages with
 * DUP_SHARE of them sent twice, then the figures and answers stored beside distinct answers.
 */
function loadPart(name: string, part: LoadPart): ResponseBenchPart {
  return {
    name,
    async run(ctx) {
      const total = RATE * SECONDS;
      const warm = ctx.take(part.channel, WARM_UP);
      const distinct = ctx.take(part.channel, Math.ceil(total / (1 + DUP_SHARE)));
      part.prepare?.(ctx, [...warm, ...distinct]);
      await warmUp(
        ctx,
        warm.map((m, i) => part.request(ctx, m, i)),
      );
      const load = withDuplicates(
        distinct.map((m, i) => part.request(ctx, m, i)),
        DUP_SHARE,
      ).slice(0, total);
      const answered = new Set(load.map(part.identity)).size;
      let stored = 0;
      await measuredLoad(
        ctx,
        part.label,
        load,
        async () =>
          (stored = await settledCount(
            ctx,
            distinct.map((m) => m.id),
            answered,
          )),
      );
      ctx.report(`${part.label}: answers stored / distinct answers`, `${stored} / ${answered}`, 'equal');
      part.after?.(ctx);
    },
  };
}

const slackClicks = loadPart('slack', {
  label: 'Slack clicks',
  channel: 'slack',
  prepare(ctx, messages) {
    for (const m of messages) ctx.slack.messages.push(postedSurvey(m));
  },
  request: (ctx, m, i) => slackClickRequest(ctx.signingSecret, m, i),
  identity: (r) => r.body,
  after: (ctx) => ctx.report('Slack clicks: chat.update calls', String(ctx.slack.callsTo('chat.update').length)),
});

const answerLinks = loadPart('links', {
  label: 'Answer links',
  channel: 'email',
  // The proof the GET page would carry (issued with the server's secret), so only POSTs are in the load.
  request: (ctx, m, i) => answerLinkRequest(ctx.secret, m, i),
  identity: (r) => r.path,
});

/** The parts, in order. The inbound-mail helper appends its SMTP-replies part here. */
export const RESPONSE_BENCH_PARTS: ResponseBenchPart[] = [slackClicks, answerLinks, smtpReplies];

async function main(): Promise<void> {
  const wanted = process.env.BENCH_PARTS?.split(',').map((s) => s.trim());
  const parts = RESPONSE_BENCH_PARTS.filter((p) => !wanted || wanted.includes(p.name));
  const prefix = `herald-bench-responses-${process.pid}`;
  const bench = await BenchDatabase.create(ADMIN);
  const slack = await startSlackSandbox({ perChannelPerSecond: 0 });
  let serve: Awaited<ReturnType<typeof startServeProcess>> | undefined;
  try {
    const t0 = performance.now();
    const messages = await seedSurveyMessages(bench, PEOPLE);
    console.log(`set-up: ${PEOPLE} people, ${messages.length} survey messages sent, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const extraEnv = Object.assign({}, ...(await Promise.all(parts.map((p) => p.serveEnv?.() ?? {})))) as Record<string, string>;
    serve = await startServeProcess({
      ...extraEnv,
      DATABASE_URL: bench.url,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      HERALD_SECRET: BENCH_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: BENCH_SIGNING,
      SLACK_API_URL: slack.url,
      LOG_LEVEL: process.env.BENCH_SERVE_LOG ?? 'fatal',
      // Every request comes from 127.0.0.1 here; the per-address page limit would turn the load into 429s.
      HTTP_RATE_LIMIT_PER_MINUTE: '1000000',
      HTTP_RATE_LIMIT_SLACK_PER_MINUTE: '1000000',
    });
    const used = new Set<string>();
    const ctx: ResponsesBenchContext = {
      db: bench,
      sql: await bench.sql(),
      serverUrl: serve.url,
      serverPid: serve.child.pid!,
      slack,
      secret: BENCH_SECRET,
      signingSecret: BENCH_SIGNING,
      take(channel, n) {
        const out = messages.filter((m) => m.channel === channel && !used.has(m.id)).slice(0, n);
        out.forEach((m) => used.add(m.id));
        if (out.length < n) console.log(`  (only ${out.length} ${channel} survey messages available; raise BENCH_PEOPLE for ${n})`);
        return out;
      },
      report(label, figure, aim) {
        console.log(`${label.padEnd(52)} ${figure}${aim ? `   [aim ${aim}]` : ''}`);
      },
    };
    for (const part of parts) {
      console.log(`\n== ${part.name} ==`);
      await part.run(ctx);
      // The machine may be shared: figures beside the load they were measured under.
      ctx.report(
        `${part.name}: load average (1, 5 min) after the part`,
        loadavg()
          .slice(0, 2)
          .map((l) => l.toFixed(1))
          .join(', '),
      );
    }
  } finally {
    await serve?.stop();
    await slack.close();
    await bench.drop();
    const redis = new Redis(REDIS_URL);
    await deleteByPrefix(redis, prefix).catch(() => 0);
    redis.disconnect();
  }
}

await main();
