import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';
import { EXAMPLE, PROJECT } from './cli-fixtures.ts';

// Config is checked before any database or Redis is opened, so none is needed here.
describe('a bad configuration value', () => {
  it.each([
    ['REDIS_URL', 'notaurl', ['apply', EXAMPLE]],
    ['REDIS_URL', 'http://127.0.0.1:6379', ['calendar', PROJECT]],
    ['DATABASE_URL', 'mysql://root@localhost/herald', ['messages', PROJECT]],
    ['PUBLIC_URL', 'herald.example.org', ['validate', EXAMPLE]],
    ['EMAIL_RATE_PER_MINUTE', 'lots', ['retry', PROJECT]],
    ['LOG_LEVEL', 'loud', ['db', 'migrate']],
  ])('%s=%s fails `herald %s` with one line naming it', async (name, value, args) => {
    const r = await runCli(args, { [name]: value });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^error: ${name}: .*\\(got "${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\); see \\.env\\.example$`));
  });
});
