import { defineConfig } from 'vitest/config';

// npm run test:chaos: the fault and soak scenarios under test/chaos, one file at a time (they
// start their own worker and server processes and measure them), printing their tables.
// Not merged with vitest.config.ts: mergeConfig concatenates `include`/`exclude`, and that one excludes test/chaos.
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 300_000,
    hookTimeout: 180_000,
  },
});
