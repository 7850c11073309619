import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The chaos and security suites run on their own (npm run test:chaos, npm run test:security).
    exclude: ['**/node_modules/**', 'test/chaos/**', 'test/security/**'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
