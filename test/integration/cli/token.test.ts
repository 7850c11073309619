import { describe, expect, it } from 'vitest';
import { hashToken } from '../../../src/app/api-tokens.ts';
import { runCli } from '../../support/cli.ts';
import { ok, useAppliedDatabase } from './cli-fixtures.ts';

const t = useAppliedDatabase('test/fixtures/plans/delivery.plan.yaml');

describe('herald token', () => {
  it('create prints the secret once and stores only its sha256; list never shows it; revoke by name', async () => {
    const r = await ok(['token', 'create', '--role', 'editor', '--project', 'delivery-test', '--name', 'ci'], t.env);
    const secret = r.stdout.split('\n')[1]!;
    expect(secret).toMatch(/^hrld_[A-Za-z0-9_-]{43}$/);
    const row = await t.db.prisma.apiToken.findUniqueOrThrow({ where: { name: 'ci' } });
    expect(row).toMatchObject({ role: 'editor', projectKey: 'delivery-test', hash: hashToken(secret), revokedAt: null });
    const list = await ok(['token', 'list'], t.env);
    expect(list.stdout).toContain('ci  editor  delivery-test');
    expect(list.stdout).not.toContain(secret);
    await ok(['token', 'revoke', 'ci'], t.env);
    expect((await t.db.prisma.apiToken.findUniqueOrThrow({ where: { name: 'ci' } })).revokedAt).not.toBeNull();
  });

  it('refuses an unknown role, an unknown project and a taken name, saying how to fix it', async () => {
    const role = await runCli(['token', 'create', '--role', 'owner'], t.env);
    expect(role.code).not.toBe(0);
    expect(role.stderr).toContain('unknown role "owner"');
    const project = await runCli(['token', 'create', '--role', 'viewer', '--project', 'nope'], t.env);
    expect(project.stderr).toContain('project nope not found');
    await ok(['token', 'create', '--role', 'viewer', '--name', 'twice'], t.env);
    const twice = await runCli(['token', 'create', '--role', 'viewer', '--name', 'twice'], t.env);
    expect(twice.stderr).toContain('a token named "twice" already exists');
  });

  it('--role feed makes a calendar-feed token for one project or one person and prints its feed address', async () => {
    const project = await ok(['token', 'create', '--role', 'feed', '--project', 'delivery-test', '--name', 'pm-feed'], t.env);
    const secret = project.stdout.split('\n')[1]!;
    expect(project.stdout).toContain(`feed: http://localhost:3000/calendar/delivery-test.ics?token=${secret}`);
    const person = await ok(['token', 'create', '--role', 'feed', '--project', 'delivery-test', '--person', 'ana', '--name', 'ana-feed'], t.env);
    expect(person.stdout).toMatch(/feed: http:\/\/localhost:3000\/calendar\/delivery-test\/ana\.ics\?token=hrld_/);
    expect(await t.db.prisma.apiToken.findUniqueOrThrow({ where: { name: 'ana-feed' } })).toMatchObject({
      role: 'feed',
      projectKey: 'delivery-test',
      personKey: 'ana',
    });
    expect((await ok(['token', 'list'], t.env)).stdout).toContain('ana-feed  feed  delivery-test/ana');
  });

  it.each([
    [['--role', 'feed'], 'a feed token is for one project: add --project KEY'],
    [['--role', 'viewer', '--project', 'delivery-test', '--person', 'ana'], 'a viewer token cannot be limited to a person'],
    [['--role', 'feed', '--project', 'delivery-test', '--person', 'nobody'], 'person nobody in project delivery-test not found'],
  ])('token create %j exits 1: %s', async (args, message) => {
    const r = await runCli(['token', 'create', ...args], t.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });
});
