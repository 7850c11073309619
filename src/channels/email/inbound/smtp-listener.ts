import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Logger } from '../../../logger.ts';
import type { Envelope } from './parse-mime.ts';

/**
 * The built-in SMTP listener (INBOUND_SMTP_PORT): point an MX record, or a forwarding rule of
 * the mail system, at it. It answers 250 only once the mail is stored, and 451 (try again
 * later) when storing failed, so a sending server keeps the mail and retries: nothing is lost.
 * It takes plain SMTP without authentication: run it behind your mail gateway or firewall.
 */
export interface SmtpListenerOptions {
  port: number;
  host?: string;
  /** Largest message accepted (SIZE), default 25 MiB. */
  maxBytes?: number;
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
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    size: maxBytes,
    logger: false,
    disableReverseLookup: true,
    banner: 'Herald inbound mail',
    closeTimeout: 1_000,
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(smtpError(552, `message exceeds the ${maxBytes}-byte limit`));
        const envelope: Envelope = {
          ...(session.envelope.mailFrom ? { mailFrom: session.envelope.mailFrom.address } : {}),
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
        };
        opts.onMail(Buffer.concat(chunks), envelope).then(
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
