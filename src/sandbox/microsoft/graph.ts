import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import type { GraphSentMail, InboxMessage, MicrosoftEndpoint, SandboxApp } from './types.ts';
import { headerValues } from '../header-lines.ts';

/** A Graph answer: status, JSON body (or raw text for `$value`), headers. */
export interface GraphReply {
  status: number;
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

export const graphError = (status: number, code: string, message: string): GraphReply => ({
  status,
  body: { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomBytes(8).toString('hex') } } },
});

/** Which endpoint a path is, and its mailbox and message id. */
export function route(method: string, path: string): { endpoint: MicrosoftEndpoint; mailbox: string; id?: string } | undefined {
  const m = /^\/v1\.0\/users\/([^/]+)\/(.+)$/.exec(path);
  if (!m) return undefined;
  const mailbox = decodeURIComponent(m[1]!).toLowerCase();
  const rest = m[2]!;
  if (method === 'POST' && rest === 'sendMail') return { endpoint: 'sendMail', mailbox };
  if (method === 'GET' && rest === 'mailFolders/inbox/messages/delta') return { endpoint: 'delta', mailbox };
  const msg = /^messages\/([^/]+)(\/\$value|\/move)?$/.exec(rest);
  if (!msg) return undefined;
  const id = decodeURIComponent(msg[1]!);
  if (method === 'GET' && msg[2] === '/$value') return { endpoint: 'mime', mailbox, id };
  if (method === 'POST' && msg[2] === '/move') return { endpoint: 'move', mailbox, id };
  if (method === 'PATCH' && msg[2] === undefined) return { endpoint: 'update', mailbox, id };
  return undefined;
}

/** The permission each endpoint needs (application permissions). */
const NEEDS: Record<MicrosoftEndpoint, string[]> = {
  token: [],
  sendMail: ['Mail.Send'],
  delta: ['Mail.Read', 'Mail.ReadWrite'],
  mime: ['Mail.Read', 'Mail.ReadWrite'],
  update: ['Mail.ReadWrite'],
  move: ['Mail.ReadWrite'],
};

/** 403 unless the app holds the permission and may use this mailbox (RBAC for Applications). */
export function authorize(app: SandboxApp, endpoint: MicrosoftEndpoint, mailbox: string): GraphReply | undefined {
  const granted = NEEDS[endpoint].length === 0 || NEEDS[endpoint].some((p) => app.permissions.includes(p));
  const scoped = !app.mailboxes || app.mailboxes.map((x) => x.toLowerCase()).includes(mailbox);
  if (!granted || !scoped) return graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  return undefined;
}

/** The mailboxes of the tenant: what was sent from each, and each inbox with its change sequence. */
export class GraphMailboxes {
  readonly sent: GraphSentMail[] = [];
  private readonly boxes = new Map<string, InboxMessage[]>();
  private seq = 0;
  private readonly waiters = new Set<() => void>();

  constructor(mailboxes: string[]) {
    for (const m of mailboxes) this.boxes.set(m.toLowerCase(), []);
  }

  has(mailbox: string): boolean {
    return this.boxes.has(mailbox);
  }

  inbox(mailbox: string): InboxMessage[] {
    return this.boxes.get(mailbox.toLowerCase()) ?? [];
  }

  deliver(mailbox: string, raw: string): string {
    const box = this.boxes.get(mailbox.toLowerCase());
    if (!box) throw new Error(`no mailbox ${mailbox} in the sandbox tenant`);
    const id = `AAMk${randomBytes(12).toString('base64url')}`;
    box.push({ id, raw, isRead: false, folder: 'inbox', seq: ++this.seq });
    return id;
  }

  async sendMail(mailbox: string, clientId: string, body: string, at: number): Promise<GraphReply> {
    const b64 = body.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+=*$/.test(b64) || b64.length % 4 !== 0)
      return graphError(400, 'ErrorMimeContentInvalidBase64String', 'Invalid base64 string for MIME content.');
    const raw = Buffer.from(b64, 'base64');
    const parsed = await simpleParser(raw, { skipImageLinks: true });
    if (!parsed.to) return graphError(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid.');
    const headers = headerValues(parsed.headerLines);
    this.sent.push({ mailbox, clientId, raw: raw.toString('utf8'), headers, subject: parsed.subject ?? '', text: parsed.text ?? '', at });
    for (const wake of [...this.waiters]) wake();
    return { status: 202 };
  }

  waitForSent(n: number, timeoutMs: number): Promise<GraphSentMail[]> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.sent.length < n) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(this.sent);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`Microsoft sandbox: ${this.sent.length} of ${n} messages sent after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /**
   * A delta page of the inbox: what changed after the token (`$deltatoken`, or `$skiptoken` within
   * one round), at most `pageSize` items, then a nextLink or, at the end, a deltaLink.
   */
  delta(mailbox: string, params: URLSearchParams, base: string, pageSize: number): GraphReply {
    const box = this.boxes.get(mailbox) ?? [];
    const from = Number(params.get('$skiptoken') ?? params.get('$deltatoken') ?? '0');
    if (!Number.isInteger(from) || from < 0) return graphError(400, 'SyncStateInvalid', 'The sync state generation is invalid.');
    const changed = box.filter((m) => m.seq > from && (m.folder === 'inbox' || m.folder === 'gone')).sort((a, b) => a.seq - b.seq);
    const page = changed.slice(0, pageSize);
    const value = page.map((m) =>
      m.folder === 'inbox' ? { id: m.id, isRead: m.isRead, parentFolderId: 'inbox' } : { id: m.id, '@removed': { reason: 'deleted' } },
    );
    const link = `${base}/v1.0/users/${encodeURIComponent(mailbox)}/mailFolders/inbox/messages/delta`;
    if (changed.length > pageSize) return { status: 200, body: { value, '@odata.nextLink': `${link}?$skiptoken=${page.at(-1)!.seq}` } };
    return { status: 200, body: { value, '@odata.deltaLink': `${link}?$deltatoken=${page.at(-1)?.seq ?? from}` } };
  }

  message(mailbox: string, id: string): InboxMessage | undefined {
    return (this.boxes.get(mailbox) ?? []).find((m) => m.id === id && m.folder !== 'gone');
  }

  markRead(m: InboxMessage, isRead: boolean): void {
    m.isRead = isRead;
    m.seq = ++this.seq;
  }

  /** Moves out of the inbox: the inbox's delta reports it removed; the moved copy has a new id. */
  move(mailbox: string, m: InboxMessage, destination: string): InboxMessage {
    const copy: InboxMessage = { id: `AAMk${randomBytes(12).toString('base64url')}`, raw: m.raw, isRead: m.isRead, folder: destination, seq: ++this.seq };
    m.folder = 'gone';
    m.seq = copy.seq;
    this.boxes.get(mailbox)!.push(copy);
    return copy;
  }
}
