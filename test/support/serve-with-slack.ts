/**
 * `herald serve` in-process with Slack interactivity over HTTP, pointed at a harness's Slack
 * sandbox, Redis prefix and database: for tests that click Slack buttons and open link pages.
 */
import { loadConfig } from '../../src/config/config.ts';
import { startServer, type ServerRuntime } from '../../src/main/server.ts';
import type { TestDatabase } from './databases.ts';
import { TEST_SECRET, type Harness } from './delivery.ts';

export async function serveWithSlack(db: TestDatabase, h: Harness, signingSecret: string, env: Record<string, string> = {}): Promise<ServerRuntime> {
  const config = loadConfig({
    DATABASE_URL: db.url,
    REDIS_URL: h.config.REDIS_URL,
    REDIS_PREFIX: h.prefix,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: h.slack.url,
    HERALD_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startServer(config, { db, port: 0, host: '127.0.0.1' });
}
