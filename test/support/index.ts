/** What tests import: isolated databases and Redis prefixes (see each module). */
export {
  createEmptyTestDatabase,
  createPgliteTestDatabase,
  createPgliteTestDataDir,
  createTestDatabase,
  testDatabaseName,
  type TestDatabase,
} from './databases.ts';
export { cleanupRedisPrefix, testRedisPrefix } from './redis.ts';
export { TEST_REDIS_URL } from './run-id.ts';
