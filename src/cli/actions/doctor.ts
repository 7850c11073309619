import { CommanderError } from 'commander';
import { overallStatus, runChecks, type CheckResult } from '../../app/doctor/check.ts';
import { ConfigError } from '../../domain/errors.ts';
import { doctorChecks } from '../../main/doctor.ts';
import type { CliContext } from '../context.ts';
import { checkChoice, checkCount } from '../options.ts';

const LABEL = { ok: 'OK  ', warn: 'WARN', fail: 'FAIL' } as const;

/** `herald doctor`: one line per check (and its fix below it); exit 1 when any failed. */
export async function doctor(ctx: CliContext, opts: { format: string; timeoutMs: string }): Promise<void> {
  const format = checkChoice('--format', opts.format, ['table', 'json']);
  const timeoutMs = checkCount('--timeout-ms', opts.timeoutMs, 100);
  let results: CheckResult[];
  try {
    results = await runChecks(doctorChecks(ctx.config(), { timeoutMs }), { timeoutMs: timeoutMs + 2_000 });
  } catch (e) {
    // A setting the configuration refuses (a placeholder HERALD_SECRET, a malformed URL) is itself the finding.
    if (!(e instanceof ConfigError)) throw e;
    results = [{ name: 'config', status: 'fail', message: e.message, fix: 'fix that variable (see .env.example), then run `herald doctor` again' }];
  }
  const status = overallStatus(results);
  if (format === 'json') {
    ctx.output.out(JSON.stringify({ status, checks: results }, null, 2));
  } else {
    const width = Math.max(...results.map((r) => r.name.length));
    for (const r of results) {
      ctx.output.out(`${LABEL[r.status]}  ${r.name.padEnd(width)}  ${r.message}`);
      if (r.fix && r.status !== 'ok') ctx.output.out(`${' '.repeat(width + 8)}fix: ${r.fix}`);
    }
  }
  if (status === 'fail') throw new CommanderError(1, 'herald.doctor', '');
}
