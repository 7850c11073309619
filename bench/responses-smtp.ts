/**
 * The inbound-mail part of `npm run bench:responses`: email replies sent over SMTP to the
 * listener of `herald serve` at BENCH_SMTP_RATE (default 50/s) for BENCH_SECONDS, each a real
 * MIME reply (quoted-printable, Herald's message quoted below, a signed plus-addressed To).
 * The listener answers 250 only after the mail is stored, parsed, matched and recorded, so the
 * time from DATA to 250 is the parse-and-record latency. Prints its p50/p99 and the messages
 * lost (sent and acknowledged but not recorded as a response): that must be 0.
 */
import { createTransport } from 'nodemailer';
import { signReplyToken } from '../src/domain/tokens.ts';
import { processCpuSeconds, type ResponseBenchPart, type ResponsesBenchContext, type SurveyMessage } from './responses-fixture.ts';
import { freePort } from '../test/support/serve-process.ts';

const RATE = Number(process.env.BENCH_SMTP_RATE ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const P99_AIM_MS = 1000;
const OPTIONS = ['1', 'minor', 'Some issues', '3'];

let port = 0;

function reply(m: SurveyMessage, i: number, secret: string): { raw: string; to: string } {
  const token = signReplyToken(secret, { m: m.id, exp: Math.floor(Date.now() / 1000) + 86_400 });
  const to = `it-pmo+${token}@northwind.example`;
  const raw = [
    `From: Person ${i} <person${i}@northwind.example>`,
    `To: IT PMO <${to}>`,
    'Subject: Re: How is the new Outlook and Teams setup working for you?',
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <bench-${process.pid}-${i}@mail.example>`,
    `In-Reply-To: <${m.id}@herald.bench>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    `${OPTIONS[i % OPTIONS.length]} =E2=80=94 Teams keeps asking me to sign in again (${i})`,
    '',
    'Sent from my iPhone',
    '',
    '> On 19 Jan 2027, at 10:30, IT PMO <it-pmo@northwind.example> wrote:',
    '>',
    '> How is the new Outlook and Teams setup working for you?',
    '>',
    '> - Working well: https://herald.example/r/AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIj',
    '> - Some issues: https://herald.example/r/AQECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIk',
    '',
  ].join('\r\n');
  return { raw, to };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export const smtpReplies: ResponseBenchPart = {
  name: 'smtp',
  async serveEnv() {
    port = await freePort();
    // Every reply comes from this one address, like mail relayed by a gateway: lift the per-address cap.
    return { INBOUND_SMTP_PORT: String(port), INBOUND_SMTP_HOST: '127.0.0.1', INBOUND_SMTP_MESSAGES_PER_MINUTE_PER_ADDRESS: '1000000' };
  },
  async run(ctx: ResponsesBenchContext) {
    const total = RATE * SECONDS;
    const warm = ctx.take('email', 20);
    const messages = ctx.take('email', total);
    const transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: 10, maxMessages: Infinity });
    const send = async (m: SurveyMessage, i: number): Promise<number> => {
      const { raw, to } = reply(m, i, ctx.secret);
      const t = performance.now();
      await transport.sendMail({ envelope: { from: `person${i}@northwind.example`, to }, raw });
      return performance.now() - t;
    };
    try {
      for (const [i, m] of warm.entries()) await send(m, -1 - i);
      const latencies: number[] = [];
      let refused = 0;
      const cpu0 = processCpuSeconds(ctx.serverPid);
      const t0 = performance.now();
      await Promise.all(
        messages.map(async (m, i) => {
          const wait = t0 + (i * 1000) / RATE - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          try {
            latencies.push(await send(m, i));
          } catch {
            refused++;
          }
        }),
      );
      const elapsed = (performance.now() - t0) / 1000;
      const cpuMs = ((processCpuSeconds(ctx.serverPid) - cpu0) * 1000) / Math.max(1, latencies.length);
      const { rows } = await ctx.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "Response" WHERE "messageId" = ANY($1::uuid[]) AND "channel"='email-reply'`,
        [messages.map((m) => m.id)],
      );
      const recorded = Number(rows[0]?.n ?? 0);
      const sorted = [...latencies].sort((a, b) => a - b);
      ctx.report(
        'SMTP replies: sent',
        `${messages.length} in ${elapsed.toFixed(1)} s (${(latencies.length / elapsed).toFixed(1)}/s acknowledged, ${refused} refused)`,
        `${RATE}/s`,
      );
      ctx.report(
        'SMTP replies: parse-and-record p50 / p99',
        `${percentile(sorted, 50).toFixed(0)} ms / ${percentile(sorted, 99).toFixed(0)} ms`,
        `p99 ≤ ${P99_AIM_MS} ms`,
      );
      ctx.report('SMTP replies: responses recorded / acknowledged', `${recorded} / ${latencies.length}`, 'equal');
      ctx.report('SMTP replies: herald serve CPU per reply', `${cpuMs.toFixed(1)} ms`);
      ctx.report('SMTP replies: messages lost', String(messages.length - recorded), '0');
    } finally {
      transport.close();
    }
  },
};
