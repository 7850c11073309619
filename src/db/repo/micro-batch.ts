/**
 * Gathers calls made within a few milliseconds into one database round trip. On this kind of
 * machine a round trip costs far more CPU than the rows it carries, so a worker sending
 * hundreds of messages a second claims and records them in groups.
 */
export class MicroBatch<I, O> {
  private pending: Array<{ item: I; resolve: (o: O) => void; reject: (e: unknown) => void }> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly opts: { maxSize?: number; maxWaitMs?: number } = {},
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= (this.opts.maxSize ?? 200)) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.opts.maxWaitMs ?? 3);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return;
    this.run(batch.map((b) => b.item)).then(
      (out) => batch.forEach((b, i) => b.resolve(out[i]!)),
      (e: unknown) => batch.forEach((b) => b.reject(e)),
    );
  }
}
