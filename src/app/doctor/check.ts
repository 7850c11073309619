/**
 * `herald doctor` and the admin detail of `/readyz`: a list of named checks, each giving one
 * line. A check only looks (it sends nothing to people); what it needs from the outside world is
 * a probe built in src/main/doctor.ts, so every check here is a small function of its probe's facts.
 */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  /** Short and stable, for scripts: `database`, `redis`, `slack`, `smtp`, `imap`, `public-url`, `secret`. */
  name: string;
  status: CheckStatus;
  /** What was found, one line. */
  message: string;
  /** What to do about it, when it is not ok. */
  fix?: string;
}

export interface Check {
  name: string;
  run(): Promise<Omit<CheckResult, 'name'>>;
}

export const ok = (message: string): Omit<CheckResult, 'name'> => ({ status: 'ok', message });
export const warn = (message: string, fix: string): Omit<CheckResult, 'name'> => ({ status: 'warn', message, fix });
export const fail = (message: string, fix: string): Omit<CheckResult, 'name'> => ({ status: 'fail', message, fix });

function messageOf(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]!.slice(0, 300);
}

/**
 * Runs every check at once, each bounded by `timeoutMs`; a check that throws or takes too long
 * fails with what it threw (`fixFor` names the setting to look at). Results keep the list's order.
 */
export async function runChecks(checks: readonly Check[], opts: { timeoutMs?: number } = {}): Promise<CheckResult[]> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return Promise.all(
    checks.map(async (c): Promise<CheckResult> => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<Omit<CheckResult, 'name'>>((resolve) => {
        timer = setTimeout(() => resolve(fail(`no answer within ${timeoutMs / 1000} s`, 'check that the service is up and reachable from here')), timeoutMs);
      });
      try {
        return { name: c.name, ...(await Promise.race([c.run(), late])) };
      } catch (e) {
        return { name: c.name, ...fail(messageOf(e), 'see the message; run `herald doctor` again once fixed') };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}

/** `fail` when any check failed, else `warn` when any warned, else `ok`. */
export function overallStatus(results: readonly CheckResult[]): CheckStatus {
  if (results.some((r) => r.status === 'fail')) return 'fail';
  return results.some((r) => r.status === 'warn') ? 'warn' : 'ok';
}
