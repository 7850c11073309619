import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { headerValues } from './header-lines.ts';

/**
 * A local SMTP server for tests and `herald demo`: accepts any mail without auth or TLS,
 * parses and records it, and can reject RCPT or DATA with a chosen SMTP code.
 */

export interface SinkMessage {
  envelope: { mailFrom: string; rcptTo: string[] };
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Raw header values by lower-case name, unfolded (a repeated header keeps its last value). */
  headers: Record<string, string>;
  raw: string;
  messageId: string;
  /** When DATA finished, ms since the epoch, by the sink's clock. */
  receivedAt: number;
  /** When the client began this message's transaction (MAIL FROM), ms since the epoch. */
  mailFromAt: number;
  /** The SMTP session that carried it (compare to see connection reuse). */
  sessionId: string;
}

export interface SmtpFailure {
  code: number;
  message?: string;
  /** Reject at RCPT TO (default) or after DATA. */
  stage?: 'rcpt' | 'data';
  /** How many matching commands fail; default 1, `Infinity` for all. */
  times?: number;
  /** Fail every matching command for this long from the injection, then recover (an outage window; overrides `times`). */
  forMs?: number;
  /** Only recipients that match fail (at DATA: any recipient of the message). */
  match?: (rcpt: string) => boolean;
}

/** A command the sink refused because of an injected failure. */
export interface SmtpRejection {
  code: number;
  stage: 'rcpt' | 'data';
  rcpts: string[];
  at: number;
}

export interface SmtpSinkOptions {
  port?: number;
  /**
   * Require a login (AUTH without TLS, loopback only). `xoauth2` checks a bearer token for a user
   * (e.g. the Microsoft sandbox's checkToken); `basicAuthDisabled` refuses PLAIN and LOGIN with
   * Exchange Online's `550 5.7.30`, else `passwords` decides.
   */
  auth?: {
    xoauth2?: (user: string, token: string) => boolean;
    basicAuthDisabled?: boolean;
    passwords?: Record<string, string>;
  };
}

/** A login attempt the sink saw. */
export interface SmtpLogin {
  method: string;
  user: string;
  ok: boolean;
  at: number;
}

export interface SmtpSink {
  /** `smtp://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  readonly messages: SinkMessage[];
  /** Every SMTP connection opened, in order. */
  readonly connections: Array<{ id: string; at: number }>;
  /** Every command refused by an injected failure, in order (to see what was retried). */
  readonly rejections: SmtpRejection[];
  /** Every AUTH attempt (only with the `auth` option). */
  readonly logins: SmtpLogin[];
  inject(failure: SmtpFailure): void;
  clearInjections(): void;
  /** Resolves with the messages once at least `n` have arrived; rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs?: number): Promise<SinkMessage[]>;
  close(): Promise<void>;
}

const MAX_SIZE = 50 * 1024 * 1024;

const DEFAULT_TEXT: Record<number, string> = {
  421: 'Service not available, try again later',
  450: 'Mailbox unavailable, try again later',
  451: 'Local error in processing, try again later',
  452: 'Insufficient system storage, try again later',
  550: 'Mailbox unavailable',
  551: 'User not local',
  552: 'Exceeded storage allocation',
  553: 'Mailbox name not allowed',
  554: 'Transaction failed',
};

function smtpError(f: SmtpFailure): Error & { responseCode: number } {
  return Object.assign(new Error(f.message ?? DEFAULT_TEXT[f.code] ?? 'Rejected by the Herald SMTP sink'), { responseCode: f.code });
}

export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const connections: Array<{ id: string; at: number }> = [];
  const injections: Array<{ failure: SmtpFailure; left: number; until?: number }> = [];
  const rejections: SmtpRejection[] = [];
  const waiters = new Set<() => void>();

  function takeInjection(stage: 'rcpt' | 'data', rcpts: string[]): SmtpFailure | undefined {
    const now = Date.now();
    // An outage window that has passed is over: the server has recovered.
    for (let k = injections.length - 1; k >= 0; k--) if ((injections[k]?.until ?? Infinity) <= now) injections.splice(k, 1);
    const i = injections.findIndex((x) => (x.failure.stage ?? 'rcpt') === stage && (x.failure.match ? rcpts.some(x.failure.match) : true));
    const hit = injections[i];
    if (!hit) return undefined;
    if (hit.until === undefined && --hit.left <= 0) injections.splice(i, 1);
    rejections.push({ code: hit.failure.code, stage, rcpts, at: now });
    return hit.failure;
  }

  const mailFromAt = new Map<string, number>();
  const logins: SmtpLogin[] = [];
  const auth = opts.auth;
  const server = new SMTPServer({
    authOptional: !auth,
    disabledCommands: auth ? ['STARTTLS'] : ['AUTH', 'STARTTLS'],
    ...(auth
      ? {
          allowInsecureAuth: true,
          authMethods: ['PLAIN', 'LOGIN', 'XOAUTH2'],
          onAuth(a, _session, callback) {
            const user = a.username ?? '';
            const refuse = (code: number, text: string): void => {
              logins.push({ method: a.method, user, ok: false, at: Date.now() });
              callback(Object.assign(new Error(text), { responseCode: code }));
            };
            if (a.method === 'XOAUTH2') {
              if (!auth.xoauth2?.(user, a.accessToken ?? '')) {
                // RFC 7628: a 334 challenge with the error as JSON, then 535; a client may renew its token and try again.
                logins.push({ method: a.method, user, ok: false, at: Date.now() });
                return callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://outlook.office365.com/.default' } });
              }
            } else if (auth.basicAuthDisabled) {
              return refuse(550, '5.7.30 Basic authentication is not supported for Client Submission.');
            } else if (!auth.passwords || auth.passwords[user] !== a.password) return refuse(535, '5.7.8 Authentication credentials invalid');
            logins.push({ method: a.method, user, ok: true, at: Date.now() });
            callback(null, { user });
          },
        }
      : {}),
    hideSTARTTLS: true,
    size: MAX_SIZE,
    logger: false,
    // A reverse DNS lookup per connection costs ~100 ms here and tells a sink nothing.
    disableReverseLookup: true,
    banner: 'Herald SMTP sink',
    // Pooled clients keep connections open; do not make close() wait 30 s for them.
    closeTimeout: 200,
    onConnect(session, callback) {
      connections.push({ id: session.id, at: Date.now() });
      callback();
    },
    onMailFrom(_address, session, callback) {
      mailFromAt.set(session.id, Date.now());
      callback();
    },
    onRcptTo(address, _session, callback) {
      const f = takeInjection('rcpt', [address.address]);
      callback(f ? smtpError(f) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        // Stamped as the data ends, not after parsing: a burst is parsed one after another.
        const receivedAt = Date.now();
        const rcptTo = session.envelope.rcptTo.map((r) => r.address);
        const f = takeInjection('data', rcptTo);
        if (f) return callback(smtpError(f));
        const raw = Buffer.concat(chunks);
        const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        record(raw, { mailFrom, rcptTo }, session.id, receivedAt, mailFromAt.get(session.id) ?? receivedAt).then(
          () => callback(null, 'Queued by the Herald SMTP sink'),
          (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
        );
      });
    },
  });

  async function record(raw: Buffer, envelope: SinkMessage['envelope'], sessionId: string, receivedAt: number, startedAt: number): Promise<void> {
    const parsed = await simpleParser(raw, { skipImageLinks: true });
    const headers = headerValues(parsed.headerLines);
    const addresses = (v: typeof parsed.to): string[] =>
      (Array.isArray(v) ? v : v ? [v] : []).flatMap((a) => a.value.map((x) => x.address ?? '')).filter(Boolean);
    messages.push({
      envelope,
      from: parsed.from?.text ?? '',
      to: addresses(parsed.to),
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : '',
      headers,
      raw: raw.toString('utf8'),
      messageId: parsed.messageId ?? '',
      receivedAt,
      mailFromAt: startedAt,
      sessionId,
    });
    for (const wake of [...waiters]) wake();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  // Client disconnects mid-session are normal here; never let them crash the test process.
  server.on('error', () => {});
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    connections,
    rejections,
    logins,
    inject: (failure) => {
      injections.push({ failure, left: failure.times ?? 1, until: failure.forMs === undefined ? undefined : Date.now() + failure.forMs });
    },
    clearInjections: () => {
      injections.length = 0;
    },
    waitFor: (n, timeoutMs = 5000) =>
      new Promise<SinkMessage[]>((resolve, reject) => {
        const check = (): void => {
          if (messages.length < n) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(messages);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`SMTP sink: ${messages.length} of ${n} messages after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
