/**
 * The inbound-mail paths `herald serve` runs (SMTP listener, IMAP poller, webhook), each only when
 * configured. Their modules (smtp-server, imapflow, mailparser) load here, never in the worker.
 */
import type { PlanCache } from '../app/plan-cache.ts';
import type { Clock, InboundVia } from '../app/ports.ts';
import type { InboundDeps, InboundResult } from '../app/receive-inbound-mail.ts';
import type { GraphPoller } from '../channels/email/inbound/graph-poller.ts';
import type { ImapPoller } from '../channels/email/inbound/imap-poller.ts';
import type { TokenProvider } from '../channels/email/inbound/oauth2-token.ts';
import type { SmtpListener } from '../channels/email/inbound/smtp-listener.ts';
import type { Config } from '../config/config.ts';
import type { Database } from '../db/database.ts';
import type { InboundHttp } from '../http/inbound-email.ts';
import type { Logger } from '../logger.ts';
import { buildMicrosoftTokens, requireSecret } from './adapters.ts';

/** The inbound-mail paths `herald serve` runs: SMTP listener, IMAP poller, webhook. */
export interface InboundRuntime {
  smtp?: SmtpListener;
  imap?: ImapPoller;
  graph?: GraphPoller;
  webhook?: InboundHttp;
  close(): Promise<void>;
}

/**
 * Inbound mail, each path only when configured (INBOUND_SMTP_PORT, IMAP_URL,
 * INBOUND_WEBHOOK_SECRET). All three hand raw MIME to receiveInboundMail.
 */
export async function startInbound(
  config: Config,
  opts: { db: Database; clock: Clock; plans?: PlanCache; log?: Logger | undefined },
): Promise<InboundRuntime | undefined> {
  const wanted =
    config.INBOUND_SMTP_PORT !== undefined ||
    config.IMAP_URL !== undefined ||
    config.INBOUND_WEBHOOK_SECRET !== undefined ||
    config.INBOUND_GRAPH_MAILBOX !== undefined;
  if (!wanted) return undefined;
  const { receiveInboundMail } = await import('../app/receive-inbound-mail.ts');
  const deps: InboundDeps = {
    stores: opts.db.stores,
    clock: opts.clock,
    secret: requireSecret(config, 'inbound mail'),
    publicUrl: config.PUBLIC_URL,
    trustedAuthservIds: config.INBOUND_TRUSTED_AUTHSERV_IDS,
    plans: opts.plans,
  };
  const log = opts.log;
  const receive = async (raw: Buffer, via: InboundVia, envelope?: { mailFrom?: string; rcptTo: string[] }): Promise<InboundResult> => {
    const r = await receiveInboundMail(deps, raw, { via, envelope });
    log?.info({ via, inbound: r.id, kind: r.kind, outcome: r.outcome, duplicate: r.duplicate }, `inbound mail: ${r.reason}`);
    return r;
  };
  const runtime: InboundRuntime = { close: async () => {} };
  if (config.INBOUND_SMTP_PORT !== undefined) {
    const { startSmtpListener } = await import('../channels/email/inbound/smtp-listener.ts');
    runtime.smtp = await startSmtpListener({
      port: config.INBOUND_SMTP_PORT,
      host: config.INBOUND_SMTP_HOST,
      maxBytes: config.INBOUND_SMTP_MAX_BYTES,
      maxClients: config.INBOUND_SMTP_MAX_CONNECTIONS,
      connectionsPerAddress: config.INBOUND_SMTP_MAX_CONNECTIONS_PER_ADDRESS,
      messagesPerMinutePerAddress: config.INBOUND_SMTP_MESSAGES_PER_MINUTE_PER_ADDRESS,
      onMail: async (raw, envelope) => void (await receive(raw, 'smtp', envelope)),
      log,
    });
    log?.info({ port: runtime.smtp.port }, 'inbound SMTP listening');
  }
  if (config.IMAP_URL !== undefined) {
    const { startImapPoller, describeImapUrl } = await import('../channels/email/inbound/imap-poller.ts');
    const accessToken = await imapTokenProvider(config);
    runtime.imap = startImapPoller({
      url: config.IMAP_URL,
      intervalMs: config.IMAP_POLL_SECONDS * 1000,
      onMail: async (raw) => void (await receive(raw, 'imap')),
      ...(accessToken ? { accessToken } : {}),
      log,
    });
    log?.info({ mailbox: describeImapUrl(config.IMAP_URL), everySeconds: config.IMAP_POLL_SECONDS }, 'polling IMAP');
  }
  if (config.INBOUND_GRAPH_MAILBOX !== undefined) {
    const { startGraphPoller } = await import('../channels/email/inbound/graph-poller.ts');
    const { createGraphClient } = await import('../channels/microsoft/graph-client.ts');
    const mailbox = config.INBOUND_GRAPH_MAILBOX.toLowerCase();
    const inboundStore = opts.db.stores.inbound;
    runtime.graph = startGraphPoller({
      graph: createGraphClient({ graphUrl: config.MS_GRAPH_URL, tokens: buildMicrosoftTokens(config) }),
      mailbox: config.INBOUND_GRAPH_MAILBOX,
      cursor: { load: () => inboundStore.deltaLink(mailbox), save: (link) => inboundStore.saveDeltaLink(mailbox, link) },
      intervalMs: config.INBOUND_GRAPH_POLL_SECONDS * 1000,
      onMail: async (raw) => void (await receive(raw, 'graph')),
      log,
    });
    log?.info({ mailbox: config.INBOUND_GRAPH_MAILBOX, everySeconds: config.INBOUND_GRAPH_POLL_SECONDS }, 'polling the reply mailbox through Graph');
  }
  if (config.INBOUND_WEBHOOK_SECRET !== undefined) runtime.webhook = { secret: config.INBOUND_WEBHOOK_SECRET, receive: (raw) => receive(raw, 'webhook') };
  runtime.close = async () => {
    await Promise.all([runtime.smtp?.close(), runtime.imap?.close(), runtime.graph?.close()]);
  };
  return runtime;
}

/** XOAUTH2 tokens for IMAP_URL from the IMAP_OAUTH2_* settings; undefined: log in with the URL's password. */
export async function imapTokenProvider(config: Config): Promise<TokenProvider | undefined> {
  if (!config.IMAP_OAUTH2_TOKEN_URL && !config.IMAP_OAUTH2_ACCESS_TOKEN) return undefined;
  const { oauth2TokenProvider } = await import('../channels/email/inbound/oauth2-token.ts');
  return oauth2TokenProvider({
    accessToken: config.IMAP_OAUTH2_ACCESS_TOKEN,
    tokenUrl: config.IMAP_OAUTH2_TOKEN_URL,
    clientId: config.IMAP_OAUTH2_CLIENT_ID,
    clientSecret: config.IMAP_OAUTH2_CLIENT_SECRET,
    refreshToken: config.IMAP_OAUTH2_REFRESH_TOKEN,
    scope: config.IMAP_OAUTH2_SCOPE,
  });
}
