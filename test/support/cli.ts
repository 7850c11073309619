import { main } from '../../src/cli/main.ts';
import type { Output } from '../../src/cli/output.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a herald command in this process with its own environment, capturing output. */
export async function runCli(args: string[], env: Record<string, string | undefined>): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const output: Output = {
    out: (t) => void (stdout += t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => void (stderr += t.endsWith('\n') ? t : `${t}\n`),
    isTTY: false,
  };
  const code = await main(['node', 'herald', ...args], output, { ...env } as NodeJS.ProcessEnv);
  return { code, stdout, stderr };
}
