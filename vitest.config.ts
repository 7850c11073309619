import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

// test/security and test/chaos are long suites with their own scripts (npm run test:security,
// npm run test:chaos) and CI lines, so `npm test` leaves them out; naming one of their files or
// the folder on the command line (as those scripts do) runs it.
const named = process.argv.some((a) => /(^|\/)test\/(security|chaos)(\/|$)/.test(a));
const exclude = named ? configDefaults.exclude : [...configDefaults.exclude, 'test/security/**', 'test/chaos/**'];

// Files that assert on wall-clock intervals (send rates and windows, Retry-After waits, lateness,
// shutdown and drain times, a ReDoS bound) or migrate PGlite from nothing (CPU-bound, timed out with
// four files at once on a loaded 2-core machine): they run one at a time, after the rest.
const timed = [
  'test/unit/inbound/reply-text-redos.test.ts',
  'test/integration/db/open-database.test.ts',
  'test/integration/delivery/**/*.test.ts',
  // "sent within a second of approval"
  'test/integration/approval/**/*.test.ts',
  'test/integration/channels/send-gate.test.ts',
  'test/integration/channels/send-limiter.test.ts',
  'test/integration/channels/slack-channel.test.ts',
  'test/integration/http/close-gracefully.test.ts',
  'test/integration/microsoft/graph-delivery.test.ts',
  'test/e2e/demo.test.ts',
];

// Vitest's default is one worker fewer than the CPUs: one file at a time on a 2-core CI machine.
// The other files mostly wait on PostgreSQL, Redis, child processes and sockets, so at least four
// run at once (README "Development" has the measurements); HERALD_TEST_WORKERS sets the number.
const workers = Number(process.env.HERALD_TEST_WORKERS) || Math.max(4, availableParallelism() - 1);

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'parallel', include: ['test/**/*.test.ts'], exclude: [...exclude, ...timed], maxWorkers: workers, sequence: { groupOrder: 0 } },
      },
      { extends: true, test: { name: 'timed', include: timed, exclude, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
