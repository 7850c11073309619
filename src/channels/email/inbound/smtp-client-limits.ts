/**
 * Per-client-address caps of the inbound SMTP listener: open connections, and messages begun
 * (MAIL FROM) in a sliding minute. A refusal is a 4xx, so a real mail server retries later and
 * nothing is lost; only a client that floods is slowed down.
 */
export interface ClientLimitOptions {
  /** Connections open at once from one address. */
  connectionsPerAddress: number;
  /** Messages begun per minute from one address. */
  messagesPerMinutePerAddress: number;
}

const MINUTE_MS = 60_000;

export class ClientLimits {
  private readonly open = new Map<string, number>();
  /** Session id → address, for the connections that were admitted. */
  private readonly admitted = new Map<string, string>();
  /** Address → start times of its messages in the last minute. */
  private readonly messages = new Map<string, number[]>();

  constructor(private readonly opts: ClientLimitOptions) {}

  /** Counts a new connection in, or says why it is refused. */
  admit(sessionId: string, address: string): string | undefined {
    const n = this.open.get(address) ?? 0;
    if (n >= this.opts.connectionsPerAddress) return `too many connections from ${address} (limit ${this.opts.connectionsPerAddress})`;
    this.open.set(address, n + 1);
    this.admitted.set(sessionId, address);
    return undefined;
  }

  /** A connection closed; refused ones were never counted. */
  release(sessionId: string): void {
    const address = this.admitted.get(sessionId);
    if (address === undefined) return;
    this.admitted.delete(sessionId);
    const n = (this.open.get(address) ?? 1) - 1;
    if (n > 0) this.open.set(address, n);
    else this.open.delete(address);
  }

  /** Counts a message begun at `nowMs`, or says why it is refused. */
  takeMessage(address: string, nowMs: number): string | undefined {
    const recent = (this.messages.get(address) ?? []).filter((t) => t > nowMs - MINUTE_MS);
    if (recent.length >= this.opts.messagesPerMinutePerAddress) {
      this.messages.set(address, recent);
      return `too many messages from ${address} (limit ${this.opts.messagesPerMinutePerAddress} a minute)`;
    }
    recent.push(nowMs);
    this.messages.set(address, recent);
    this.prune(nowMs);
    return undefined;
  }

  /** Forgets addresses with nothing in the last minute, so the map does not grow without end. */
  private prune(nowMs: number): void {
    if (this.messages.size < 1_000) return;
    for (const [address, times] of this.messages) if (!times.some((t) => t > nowMs - MINUTE_MS)) this.messages.delete(address);
  }
}
