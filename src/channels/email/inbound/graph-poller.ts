import type { Logger } from '../../../logger.ts';
import type { GraphClient } from '../../microsoft/graph-client.ts';

/** Where the poller keeps the inbox's delta link between rounds (and, with a stored one, across restarts). */
export interface DeltaCursor {
  load(): Promise<string | undefined>;
  save(deltaLink: string): Promise<void>;
}

export interface GraphPollerOptions {
  graph: GraphClient;
  /** INBOUND_GRAPH_MAILBOX: the reply mailbox. */
  mailbox: string;
  intervalMs: number;
  /** Hands one mail's MIME to the inbound pipeline; a throw leaves it unread for the next round. */
  onMail: (raw: Buffer) => Promise<void>;
  /** Default: in memory (a restart starts a new delta round); `herald serve` keeps it in the database. */
  cursor?: DeltaCursor;
  log?: Logger | undefined;
}

export interface GraphPoller {
  /** One round now: every page of the delta; returns how many mails were handed on. */
  pollNow(): Promise<number>;
  close(): Promise<void>;
}

interface DeltaPage {
  value: Array<{ id: string; isRead?: boolean; '@removed'?: unknown }>;
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

function memoryCursor(): DeltaCursor {
  let link: string | undefined;
  return { load: async () => link, save: async (l) => void (link = l) };
}

/**
 * Replies read through Microsoft Graph with the same app registration that sends: a delta query
 * on the reply mailbox's inbox every `intervalMs`, each new unread message fetched as MIME
 * (`$value`), handed to the inbound pipeline and then marked read. The delta link is saved only
 * when a whole round went through, so a failure repeats the round (mails already handed on are
 * read, and the pipeline stores each Message-ID once). Needs Mail.ReadWrite on the mailbox.
 */
export function startGraphPoller(o: GraphPollerOptions): GraphPoller {
  const cursor = o.cursor ?? memoryCursor();
  const box = `/v1.0/users/${encodeURIComponent(o.mailbox)}`;
  let running: Promise<number> | undefined;
  let closed = false;

  async function round(): Promise<number> {
    let link = (await cursor.load()) ?? `${box}/mailFolders/inbox/messages/delta?$select=id,isRead`;
    let handed = 0;
    for (;;) {
      const page = await o.graph.json<DeltaPage>('GET', link, { headers: { prefer: 'odata.maxpagesize=50' } });
      for (const item of page.value) {
        if (item['@removed'] !== undefined || item.isRead) continue;
        const res = await o.graph.request('GET', `${box}/messages/${encodeURIComponent(item.id)}/$value`);
        await o.onMail(Buffer.from(await res.arrayBuffer()));
        await o.graph.request('PATCH', `${box}/messages/${encodeURIComponent(item.id)}`, {
          body: JSON.stringify({ isRead: true }),
          contentType: 'application/json',
        });
        handed++;
      }
      if (page['@odata.nextLink']) link = page['@odata.nextLink'];
      else {
        if (page['@odata.deltaLink']) await cursor.save(page['@odata.deltaLink']);
        return handed;
      }
    }
  }

  const pollNow = (): Promise<number> => {
    running ??= round().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => {
    if (closed) return;
    pollNow().catch((err: unknown) => o.log?.error({ err, mailbox: o.mailbox }, 'inbound Graph poll failed; the next round tries again'));
  }, o.intervalMs);
  timer.unref();
  return {
    pollNow,
    close: async () => {
      closed = true;
      clearInterval(timer);
      await running?.catch(() => 0);
    },
  };
}
