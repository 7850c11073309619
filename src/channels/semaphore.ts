/** At most `n` holders at once; the others wait in order. */
export class Semaphore {
  private readonly waiting: Array<() => void> = [];
  constructor(private free: number) {}

  async take(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    return () => {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}
