import { ImapFlow } from 'imapflow';
import type { Logger } from '../../../logger.ts';
import type { TokenProvider } from './oauth2-token.ts';

/**
 * Polls a mailbox over IMAP (IMAP_URL) for new mail: every unseen message is handed over,
 * then flagged \Seen once it is stored. A message whose handling failed stays unseen and is
 * tried again on the next poll, so nothing is lost; two pollers on one mailbox are safe,
 * because handling is idempotent per Message-ID. Besides the interval, new mail announced
 * while the connection idles (IMAP IDLE) is fetched at once.
 */
export interface ImapPollerOptions {
  /** `imap://user:password@host:143/INBOX` or `imaps://user@host:993/INBOX` (mailbox from the path, default INBOX). */
  url: string;
  /** An OAuth2 token source for XOAUTH2 instead of the URL's password. */
  accessToken?: TokenProvider;
  intervalMs: number;
  onMail(raw: Buffer): Promise<void>;
  log?: Logger;
  /** Accept a self-signed server certificate (tests, private servers). */
  allowSelfSigned?: boolean;
}

export interface ImapPoller {
  /** Resolves after the next complete poll (for tests and start-up checks). */
  polled(): Promise<void>;
  close(): Promise<void>;
}

export function describeImapUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname.length > 1 ? u.pathname : '/INBOX'}`;
}

/** The mailbox an IMAP_URL names (its path), INBOX by default. */
function mailboxOf(u: URL): string {
  return decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX';
}

/** An unconnected client for IMAP_URL: the URL's password, or an XOAUTH2 token from `accessToken`. */
async function imapClient(
  opts: Pick<ImapPollerOptions, 'url' | 'accessToken' | 'allowSelfSigned'>,
  o: { renew?: boolean; timeoutMs?: number } = {},
): Promise<ImapFlow> {
  const u = new URL(opts.url);
  const secure = u.protocol === 'imaps:';
  const user = decodeURIComponent(u.username);
  const auth = opts.accessToken ? { user, accessToken: await opts.accessToken({ renew: o.renew ?? false }) } : { user, pass: decodeURIComponent(u.password) };
  return new ImapFlow({
    host: u.hostname,
    port: Number(u.port) || (secure ? 993 : 143),
    secure,
    auth,
    logger: false,
    ...(opts.allowSelfSigned ? { tls: { rejectUnauthorized: false } } : {}),
    connectionTimeout: o.timeoutMs ?? 30_000,
    greetingTimeout: o.timeoutMs ?? 15_000,
    socketTimeout: o.timeoutMs ?? 5 * 60_000,
  });
}

/**
 * For `herald doctor`: logs in and opens the reply mailbox read-only (nothing is marked seen);
 * resolves with how many messages it holds. Rejects when the login or the mailbox fails.
 */
export async function checkImapMailbox(
  opts: Pick<ImapPollerOptions, 'url' | 'accessToken' | 'allowSelfSigned'>,
  timeoutMs = 10_000,
): Promise<{ mailbox: string; messages: number }> {
  const mailbox = mailboxOf(new URL(opts.url));
  const c = await imapClient(opts, { timeoutMs });
  c.on('error', () => {});
  await c.connect();
  try {
    const opened = await c.mailboxOpen(mailbox, { readOnly: true });
    return { mailbox, messages: opened.exists };
  } finally {
    await c.logout().catch(() => c.close());
  }
}

export function startImapPoller(opts: ImapPollerOptions): ImapPoller {
  const mailbox = mailboxOf(new URL(opts.url));
  let stopped = false;
  let client: ImapFlow | undefined;
  let wake: (() => void) | undefined;
  // A wake-up that came while a poll was running: the next sleep returns at once.
  let wakePending = false;
  let waiters: Array<() => void> = [];
  const poke = (): void => {
    if (wake) wake();
    else wakePending = true;
  };

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (wakePending) {
        wakePending = false;
        return resolve();
      }
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  async function connect(renew: boolean): Promise<ImapFlow> {
    const c = await imapClient(opts, { renew });
    c.on('error', (err: unknown) => opts.log?.warn({ err }, 'IMAP connection error'));
    await c.connect();
    c.on('exists', poke);
    return c;
  }

  async function pollOnce(c: ImapFlow): Promise<void> {
    const lock = await c.getMailboxLock(mailbox);
    try {
      const uids = (await c.search({ seen: false }, { uid: true })) || [];
      for (const uid of uids) {
        if (stopped) break;
        const msg = await c.fetchOne(String(uid), { source: true }, { uid: true });
        if (!msg || !msg.source) continue;
        try {
          await opts.onMail(msg.source);
        } catch (err) {
          opts.log?.error({ err, uid }, 'inbound IMAP message could not be stored; it stays unseen for the next poll');
          continue;
        }
        await c.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
      }
    } finally {
      lock.release();
    }
  }

  const loop = (async () => {
    let failures = 0;
    while (!stopped) {
      try {
        client = await connect(failures > 0);
        failures = 0;
        while (!stopped && client.usable) {
          // Only callers that asked before this poll began are told it is done.
          const asked = waiters.splice(0);
          await pollOnce(client);
          for (const w of asked) w();
          if (!stopped) await sleep(opts.intervalMs);
        }
      } catch (err) {
        failures++;
        if (!stopped) opts.log?.warn({ err, mailbox: describeImapUrl(opts.url) }, 'IMAP poll failed; reconnecting');
      } finally {
        const c = client;
        client = undefined;
        await c?.logout().catch(() => c.close());
      }
      // Back off after failures (1 s, 2 s, 4 s… up to the interval), so a dead server is not hammered.
      if (!stopped && failures) await sleep(Math.min(opts.intervalMs, 1000 * 2 ** Math.min(failures - 1, 8)));
    }
  })();

  return {
    polled: () =>
      new Promise<void>((resolve) => {
        waiters.push(resolve);
        poke();
      }),
    async close() {
      stopped = true;
      poke();
      const c = client;
      await c?.logout().catch(() => c.close());
      await loop;
      for (const w of waiters.splice(0)) w();
      waiters = [];
    },
  };
}
