/**
 * Issue 15 §1.6: config errors never echo a secret; published placeholder secrets are refused at
 * start; docker-compose has no public HERALD_SECRET default; /readyz tells the public only which
 * component failed (the error text, with hosts and users, goes to the log); servers bind loopback unless HOST says otherwise.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KNOWN_PLACEHOLDER_SECRETS, loadConfig } from '../../src/config/config.ts';
import { startHttpServer } from '../../src/main/http.ts';
import { createHttpReads } from '../../src/db/repo/http-reads.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase } from '../support/databases.ts';
import { captureLog } from '../support/log-capture.ts';

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`loadConfig accepted ${Object.keys(env).join(', ')}`);
}

describe('secrets in configuration', () => {
  it('a config error names the variable and what is wrong, never the secret value', () => {
    const cases: Record<string, string> = {
      HERALD_SECRET: 'Sh0rtS3cret',
      ADMIN_TOKEN: 'adm1nT0k3n',
      INBOUND_WEBHOOK_SECRET: 'w3bh00kS3c',
      DATABASE_URL: 'mysql://herald:Pa55w0rdXYZ@db.internal/herald',
      REDIS_URL: 'http://default:R3disPa55@cache.internal:6379',
      SMTP_URL: 'smtps//mailer:Sm7pPa55@smtp.internal',
      IMAP_URL: 'pop3://pmo:1mapPa55@imap.internal',
      SLACK_API_URL: 'ftp://x:Sl4ckPa55@slack.internal',
    };
    for (const [name, value] of Object.entries(cases)) {
      const message = configError({ [name]: value });
      expect(message, name).toMatch(new RegExp(`^${name}: `));
      expect(message, name).toContain('value not shown');
      const secretPart = /:([^:@/]+)@/.exec(value)?.[1] ?? value;
      expect(message, name).not.toContain(secretPart);
    }
    // Harmless values are still quoted, so a typo is easy to see.
    expect(configError({ LOG_LEVEL: 'verbose' })).toContain('got "verbose"');
  });

  it('published placeholders and low-variety HERALD_SECRETs are refused with one clear line', () => {
    const compose = readFileSync('docker-compose.yml', 'utf8');
    expect(compose, 'compose requires HERALD_SECRET instead of a default').toMatch(/HERALD_SECRET: \$\{HERALD_SECRET:\?[^}]+\}/);
    for (const placeholder of [
      ...KNOWN_PLACEHOLDER_SECRETS.filter((p) => p.length >= 16),
      'CHANGE-ME-please-0123456789',
      'your-long-random-secret-here',
      'aaaaaaaaaaaaaaaaaaaaaaaa',
      'abababababababababababab',
    ]) {
      const message = configError({ HERALD_SECRET: placeholder });
      expect(message, placeholder).toMatch(/^HERALD_SECRET: (is a published placeholder|has fewer than 8 different characters)/);
      expect(message.split('\n')).toHaveLength(1);
      expect(message).not.toContain(placeholder);
    }
    expect(loadConfig({ HERALD_SECRET: '3f9a1c7e5b2d8046af13c9e7' }).HERALD_SECRET).toBe('3f9a1c7e5b2d8046af13c9e7');
  });

  it('servers bind loopback unless HOST is set', () => {
    expect(loadConfig({}).HOST).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
    expect(configError({ HOST: '0.0.0.0; rm -rf /' })).toMatch(/^HOST: /);
  });
});

describe('/readyz in public', () => {
  it('names the failing component without its error text, which goes to the log', async () => {
    const gone = await createTestDatabase();
    const { lines, stream } = captureLog();
    const srv = await startHttpServer(
      { db: gone, reads: createHttpReads(gone), redisUrl: 'redis://127.0.0.1:1', log: createLogger('info', 'herald-test', stream) },
      0,
      '127.0.0.1',
    );
    try {
      await gone.close();
      const res = await fetch(`${srv.url}/readyz`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toEqual({ status: 'unavailable', failed: ['database', 'redis'], database: 'unreachable', redis: 'unreachable' });
      const logged = lines.map((l) => JSON.parse(l) as { component?: string; err?: { message?: string } });
      expect(logged.map((l) => l.component).sort()).toEqual(['database', 'redis']);
      expect(logged.every((l) => (l.err?.message ?? '').length > 0)).toBe(true);
    } finally {
      await srv.close();
      await gone.drop().catch(() => {});
    }
  });
});
