/**
 * Runs `task` now and then every `intervalMs` after each run finishes (never two at once);
 * `stop` waits for a run in flight. Errors go to `onError` and do not stop the loop.
 */
export class Periodic {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly task: () => Promise<unknown>,
    private readonly intervalMs: () => number,
    private readonly onError?: (e: unknown) => void,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.task()
        .then(() => undefined)
        .catch((e: unknown) => this.onError?.(e))
        .finally(() => this.schedule(this.intervalMs()));
    }, delay);
  }
}
