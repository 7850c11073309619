import { configDefaults, defineConfig } from 'vitest/config';

// test/security and test/chaos are long suites with their own scripts (npm run test:security,
// npm run test:chaos) and CI lines, so `npm test` leaves them out; naming one of their files or
// the folder on the command line (as those scripts do) runs it.
const named = process.argv.some((a) => /(^|\/)test\/(security|chaos)(\/|$)/.test(a));

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: named ? configDefaults.exclude : [...configDefaults.exclude, 'test/security/**', 'test/chaos/**'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
