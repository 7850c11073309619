import type { EphemeralMessage, PostedMessage, RecordedCall, RecordedView, SandboxUser } from './types.ts';

/**
 * The sandbox workspace's state: its users, the DM channel opened for each, and everything the
 * Web API accepted (calls, messages, views, ephemerals). Public and private channels are not
 * modelled: any C…/G… id is taken to exist.
 */
export class SandboxWorkspace {
  readonly calls: RecordedCall[] = [];
  readonly messages: PostedMessage[] = [];
  readonly views: RecordedView[] = [];
  readonly ephemerals: EphemeralMessage[] = [];
  readonly users = new Map<string, SandboxUser>();
  private readonly dmByUser = new Map<string, string>();
  private readonly userByDm = new Map<string, string>();
  private seq = 0;

  constructor(users: readonly SandboxUser[] = []) {
    for (const u of users) this.users.set(u.id, u);
  }

  /** The next number of the one sequence behind every id the sandbox hands out (ts, D…, V…, tickets, envelopes). */
  next(): number {
    return ++this.seq;
  }

  nextTs(at: number): string {
    return `${Math.floor(at / 1000)}.${String(this.next() % 1_000_000).padStart(6, '0')}`;
  }

  openDm(userId: string): { id: string; alreadyOpen: boolean } {
    const existing = this.dmByUser.get(userId);
    if (existing) return { id: existing, alreadyOpen: true };
    const id = `D${this.next().toString(36).toUpperCase().padStart(8, '0')}`;
    this.dmByUser.set(userId, id);
    this.userByDm.set(id, userId);
    return { id, alreadyOpen: false };
  }

  isDm(channel: string): boolean {
    return this.userByDm.has(channel);
  }

  dmChannelOf(userId: string): string | undefined {
    return this.dmByUser.get(userId);
  }

  /** A channel id, a DM channel id or a user id (whose DM is opened) as the channel a message goes to. */
  resolveChannel(channel: string | undefined): { id: string; user?: string } | undefined {
    if (!channel) return undefined;
    if (this.userByDm.has(channel)) return { id: channel, user: this.userByDm.get(channel) };
    const user = this.users.get(channel);
    if (user) return { id: this.openDm(user.id).id, user: user.id };
    if (/^[CG][A-Z0-9]+$/.test(channel)) return { id: channel };
    return undefined;
  }

  /** Messages posted to a channel id, or to the DM channel of a user id. */
  messagesTo(userOrChannel: string): PostedMessage[] {
    const channel = this.dmByUser.get(userOrChannel) ?? userOrChannel;
    return this.messages.filter((m) => m.channel === channel);
  }

  /** Forget recorded calls, messages and views (users and DM channels stay). */
  clearRecords(): void {
    this.calls.length = 0;
    this.messages.length = 0;
    this.views.length = 0;
    this.ephemerals.length = 0;
  }
}
