import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { EXAMPLE } from './cli-fixtures.ts';

/** Runs bin/herald.js as a user would; `onStdout` may close the pipe early. */
function herald(args: string[], onStdout?: (chunk: string, close: () => void) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/herald.js', ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      onStdout?.(c, () => child.stdout.destroy());
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Each test starts Node on the compiled build (a second or more on a busy machine).
describe('bin/herald.js', { timeout: 60_000 }, () => {
  it("exits with the command's exit code", async () => {
    const r = await herald(['validate', 'test/fixtures/plans/broken.plan.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\d+ errors; nothing was changed\n$/);
  });

  it('stops quietly when its output pipe closes early (`herald simulate … | head`)', async () => {
    const r = await herald(['simulate', EXAMPLE], (_chunk, close) => close());
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.code).toBe(0);
  });
});
