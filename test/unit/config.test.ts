import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { ConfigError } from '../../src/domain/errors.ts';

describe('configuration from the environment', () => {
  it('has working defaults for a zero-setup start', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ REDIS_URL: 'redis://127.0.0.1:6379', HERALD_DATA_DIR: './.herald', PORT: 3000, EMAIL_RATE_PER_MINUTE: 30 });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('treats blank values as unset (a copied .env.example works)', () => {
    expect(loadConfig({ DATABASE_URL: '', SLACK_BOT_TOKEN: '  ' }).DATABASE_URL).toBeUndefined();
  });

  it.each([
    ['REDIS_URL', 'localhost:6379', /^REDIS_URL: must be a URL starting with redis:\/\/ or rediss:\/\//],
    ['DATABASE_URL', 'mysql://x', /^DATABASE_URL: must be a URL starting with postgres:\/\//],
    ['PORT', '99999', /^PORT: /],
    ['EMAIL_RATE_PER_MINUTE', 'lots', /^EMAIL_RATE_PER_MINUTE: /],
    ['HERALD_SECRET', 'short', /^HERALD_SECRET: must be at least 16 characters/],
  ])('a bad %s fails with one line naming it', (name, value, message) => {
    let err: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });
});
