import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Logger } from '../../../logger.ts';
import { ClientLimits, type ClientLimitOptions } from './smtp-client-limits.ts';
import type { Envelope } from './parse-mime.ts';

/**
 * The built-in SMTP listener (INBOUND_SMTP_PORT): point an MX record, or a forwarding rule of
 * the mail system, at it. It answers 250 only once the mail is stored, and 451 (try again
 * later) when storing failed, so a sending server keeps the mail and retries: nothing is lost.
 * It takes plain SMTP without authentication: run it behind your mail gateway or firewall.
 *
 * Memory stays bounded whatever a client sends: a message is counted as it streams and dropped
 * once it passes `maxBytes` (a client that never announced SIZE= gets 552 at the end of DATA, and
 * nothing past the limit is kept), and connections are capped in total and per client address.
 * At most maxClients × maxBytes is ever held.
 */
export interface SmtpListenerOptions extends Partial<ClientLimitOptions> {
  port: number;
  host?: string;
  /** Largest message accepted (SIZE), default 25 MiB. */
  maxBytes?: number;
  /** Connections open at once from all clients, default 100. */
  maxClients?: number;
  /** Stores and handles one mail; a throw answers 451. */
  onMail(raw: Buffer, envelope: Envelope): Promise<void>;
  log?: Logger;
}

export interface SmtpListener {
  readonly port: number;
  close(): Promise<void>;
}

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startSmtpListener(opts: SmtpListenerOptions): Promise<SmtpListener> {
  const maxBytes = opts.maxBytes ?? 25 * 1024 * 1024;
  const limits = new ClientLimits({
    connectionsPerAddress: opts.connectionsPerAddress ?? 20,
    messagesPerMinutePerAddress: opts.messagesPerMinutePerAddress ?? 600,
  });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    size: maxBytes,
    maxClients: opts.maxClients ?? 100,
    logger: false,
    disableReverseLookup: true,
    banner: 'Herald inbound mail',
    closeTimeout: 1_000,
    onConnect(session, callback) {
      const refused = limits.admit(session.id, session.remoteAddress);
      if (refused) opts.log?.warn({ client: session.remoteAddress }, `inbound SMTP connection refused: ${refused}`);
      callback(refused ? smtpError(421, `${refused}; try again later`) : null);
    },
    onClose(session) {
      limits.release(session.id);
    },
    onMailFrom(_address, session, callback) {
      const refused = limits.takeMessage(session.remoteAddress, Date.now());
      callback(refused ? smtpError(450, `${refused}; try again later`) : null);
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void) {
      // Counted as it streams: past the limit nothing more is kept, the rest is only drained.
      let chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('data', (c: Buffer) => {
        bytes += c.length;
        if (bytes <= maxBytes) chunks.push(c);
        else chunks = [];
      });
      // The client went away mid-message: drop what was kept (smtp-server answers nobody).
      stream.on('error', () => void (chunks = []));
      stream.on('end', () => {
        if (stream.sizeExceeded || bytes > maxBytes) {
          opts.log?.warn({ client: session.remoteAddress, bytes }, 'inbound SMTP message over the size limit refused');
          return callback(smtpError(552, `message exceeds the ${maxBytes}-byte limit`));
        }
        const envelope: Envelope = {
          ...(session.envelope.mailFrom ? { mailFrom: session.envelope.mailFrom.address } : {}),
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
        };
        const raw = Buffer.concat(chunks);
        chunks = [];
        opts.onMail(raw, envelope).then(
          () => callback(null, 'Stored by Herald'),
          (err: unknown) => {
            opts.log?.error({ err }, 'inbound mail could not be stored; the sender will retry');
            callback(smtpError(451, 'Herald could not store the message now; try again later'));
          },
        );
      });
    },
  });
  server.on('error', (err) => opts.log?.warn({ err }, 'inbound SMTP connection error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
