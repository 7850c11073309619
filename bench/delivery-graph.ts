/**
 * Part 7 of bench:delivery (BENCH_PARTS=graph), also runnable alone: `node --import tsx
 * bench/delivery-graph.ts`. E-mail send throughput of the channel alone (compose, token, transport,
 * answer; no queue or database), Graph sendMail at the Microsoft sandbox beside SMTP at the sink,
 * on loopback. Graph keeps at most 4 requests in flight per mailbox, so it is measured with one
 * sender mailbox and with eight. msal-node and Herald's Graph client fetch over HTTPS with Node's
 * own CA list, so the script makes a test CA and runs itself again with NODE_EXTRA_CA_CERTS.
 * Env: BENCH_GRAPH_MESSAGES (default 1000), BENCH_GRAPH_RUNS (default 3, the median is reported).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChannelAdapter, OutboundMessage } from '../src/channels/channel.ts';
import { createEmailChannel } from '../src/channels/email/email-channel.ts';
import { createGraphEmailChannel } from '../src/channels/email/graph-channel.ts';
import { createGraphClient } from '../src/channels/microsoft/graph-client.ts';
import { microsoftTokens } from '../src/channels/microsoft/ms-token.ts';
import { startMicrosoftSandbox } from '../src/sandbox/microsoft-server.ts';
import { createTestCertificates } from '../src/sandbox/microsoft/tls.ts';
import { startSmtpSink } from '../src/sandbox/smtp-sink.ts';

const MESSAGES = Number(process.env.BENCH_GRAPH_MESSAGES ?? 1000);
const RUNS = Number(process.env.BENCH_GRAPH_RUNS ?? 3);
const TENANT = 'bench.onmicrosoft.com';
const CLIENT = '00000000-0000-4000-8000-000000000b0c';
const MAILBOXES = Array.from({ length: 8 }, (_, i) => `pmo${i}@bench.example`);

function message(i: number, senders: number): OutboundMessage {
  return {
    messageId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    projectKey: 'bench',
    commKey: 'c',
    optional: true,
    unsubscribeUrl: 'https://herald.example/u/x',
    replyTo: 'reply+token@herald.example',
    recipient: { id: `p${i}`, name: `Person ${i}`, email: `p${i}@example.com`, timezone: 'UTC', locale: 'en' },
    sender: { email: MAILBOXES[i % senders]! },
    rendered: { channel: 'email', subject: `Cutover ${i}`, text: 'Plain words.\n'.repeat(20), html: `<p>${'Plain <b>words</b>. '.repeat(20)}</p>` },
  };
}

/** Messages a second through `channel`, `concurrency` sends at once. */
async function rate(channel: ChannelAdapter, senders: number, concurrency: number): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < MESSAGES) await channel.send(message(next++, senders));
    }),
  );
  return MESSAGES / ((performance.now() - t) / 1000);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const certs = process.env.HERALD_BENCH_MS_TLS_DIR!;
  const tls = { cert: readFileSync(join(certs, 'server.pem'), 'utf8'), key: readFileSync(join(certs, 'server.key'), 'utf8') };
  const ms = await startMicrosoftSandbox({
    tls,
    tenantId: TENANT,
    apps: [{ clientId: CLIENT, secret: 'bench-secret', permissions: ['Mail.Send'] }],
    mailboxes: MAILBOXES,
  });
  const sink = await startSmtpSink();
  const graph = createGraphEmailChannel({
    graph: createGraphClient({
      graphUrl: ms.url,
      tokens: microsoftTokens({ tenantId: TENANT, clientId: CLIENT, clientSecret: 'bench-secret', authorityHost: ms.url }),
    }),
    from: `Herald <${MAILBOXES[0]}>`,
    messageIdDomain: 'herald.example',
  });
  const smtp = createEmailChannel({ smtpUrl: sink.url, from: `Herald <${MAILBOXES[0]}>`, messageIdDomain: 'herald.example', maxConnections: 10 });
  try {
    await graph.send(message(0, 1)); // the token, the TLS session
    await smtp.send(message(0, 1));
    const rows: Array<[string, number[]]> = [
      ['SMTP sink, 10 pooled connections', []],
      ['Graph sandbox, 1 sender mailbox (4 in flight)', []],
      ['Graph sandbox, 8 sender mailboxes (32 in flight)', []],
    ];
    for (let r = 0; r < RUNS; r++) {
      rows[0]![1].push(await rate(smtp, 1, 10));
      rows[1]![1].push(await rate(graph, 1, 40));
      rows[2]![1].push(await rate(graph, 8, 40));
    }
    console.log(`7. E-mail transports, the channel alone (${MESSAGES} messages a run, median of ${RUNS}):`);
    for (const [name, xs] of rows)
      console.log(`  ${name.padEnd(50)} ${median(xs).toFixed(0).padStart(6)} messages/s  (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`  Graph token requests: ${ms.grants.length} (msal-node's cache); Graph sends: ${ms.sent.length}`);
  } finally {
    await Promise.all([graph.close(), smtp.close()]);
    await Promise.all([ms.close(), sink.close()]);
  }
}

if (process.env.HERALD_BENCH_MS_TLS_DIR) await main();
else {
  // Node reads NODE_EXTRA_CA_CERTS only at start: make the CA, then run this file again with it.
  const dir = mkdtempSync(join(tmpdir(), 'herald-bench-ms-'));
  try {
    const certs = createTestCertificates(dir);
    const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      stdio: 'inherit',
      env: { ...process.env, NODE_EXTRA_CA_CERTS: certs.caPath, HERALD_BENCH_MS_TLS_DIR: dir },
    });
    process.exitCode = r.status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
