/** `herald serve` as its own process, the way an operator runs it (tests and benchmarks). */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../src/net/free-port.ts';

export { freePort } from '../../src/net/free-port.ts';

/** Starts `herald serve` as a child process and waits until /healthz answers. */
export async function startServeProcess(env: Record<string, string>): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  // HERALD_SERVE_CPU_PROF=DIR writes a V8 CPU profile of the server there (benchmarks).
  const prof = process.env.HERALD_SERVE_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.HERALD_SERVE_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, 'bin/herald.js', 'serve'], {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: env.LOG_LEVEL ?? 'fatal', NODE_OPTIONS: '' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`herald serve exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error('herald serve did not start within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        // A child killed by a signal has signalCode set and exitCode null.
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
