import type { CheckResult } from '../../src/app/doctor/check.ts';
import { runCli } from './cli.ts';

/** `herald doctor --format json` in this process: its exit code, overall status and checks. */
export async function doctorJson(env: Record<string, string>): Promise<{ code: number; status: string; checks: CheckResult[] }> {
  const r = await runCli(['doctor', '--format', 'json', '--timeout-ms', '5000'], env);
  const body = JSON.parse(r.stdout) as { status: string; checks: CheckResult[] };
  return { code: r.code, ...body };
}

/** The check of that name. */
export const byName = (checks: CheckResult[], name: string): CheckResult | undefined => checks.find((c) => c.name === name);
