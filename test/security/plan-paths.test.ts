/**
 * Issue 15 §1.1: files readable through a plan. A plan names files in three places: the people
 * CSV, template names and `series:` item keys. Each attack below tried to read a file outside the
 * folder it may read (absolute, `..`, encoded, backslash, drive letter, NUL, symlink) and to get its
 * contents back in the API's 400, a check message or a rendered item.
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/app/api-tokens.ts';
import { loadPlanFile, loadPlanText } from '../../src/app/load-plan.ts';
import { PlanInvalidError } from '../../src/domain/errors.ts';
import { buildHttpServer } from '../../src/main/http.ts';
import { createHttpReads } from '../../src/db/repo/http-reads.ts';
import { BUILTIN_TEMPLATES } from '../../src/templates/builtin.ts';
import { createTemplateEngine, type TemplateEngine } from '../../src/templates/engine.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { TEST_REDIS_URL } from '../support/run-id.ts';
import { confinedFile } from '../../src/fs/confined-path.ts';

const MARKER = 'TOP-SECRET-7f3a9c';
// Invalid YAML whose parser message would quote the line holding the marker.
const SECRET = `password: ${MARKER}\n  : : [unclosed ${MARKER}\n`;

const PLAN = (series: string, template = 'adoption-tip') => `project:
  key: paths-test
  name: Paths test
  timezone: UTC
milestones:
  go-live: { at: 2030-01-18T08:00, label: Go-live }
audiences:
  end-users: { description: Everyone }
people:
  inline:
    - { id: ana, name: Ana Silva, email: ana@herald.example, audiences: [end-users] }
comms:
  - key: tips
    kind: adoption-tip
    audience: end-users
    channels: [email]
    template: ${JSON.stringify(template)}
    series: [${series}]
    schedule: { at: go-live, offset: "+1 business day", every: "business day", time: "10:30" }
`;

// Made when the file loads: the attack tables below name paths inside it.
const root = mkdtempSync(path.join(tmpdir(), 'herald-paths-'));
const templates = path.join(root, 'templates');
let engine: TemplateEngine;

/** Item keys that name a file outside templates/adoption-tip/items/ (root/secret.yaml is three levels up). */
function itemAttacks(): string[] {
  return [
    '../../../secret',
    '../../../../../../../../..' + path.join(root, 'secret'),
    path.join(root, 'secret'),
    '..%2f..%2f..%2fsecret',
    '%2e%2e/%2e%2e/%2e%2e/secret',
    '..\\..\\..\\secret',
    'C:\\secret',
    'C:secret',
    'teams-chat/../../../../secret',
    './../../../secret',
    'secret\u0000',
    'file:///' + path.join(root, 'secret'),
    '~/secret',
    '.hidden',
    'link-out', // a symlink inside items/ pointing at root/secret.yaml
    'linked-dir/secret', // a symlinked folder inside items/
  ];
}

beforeAll(() => {
  cpSync(BUILTIN_TEMPLATES, templates, { recursive: true });
  writeFileSync(path.join(root, 'secret.yaml'), SECRET);
  writeFileSync(path.join(root, 'secret.md'), `---\ntitle: ${MARKER}\n---\n${MARKER}\n`);
  writeFileSync(path.join(root, 'secret.csv'), `id,name,email\n${MARKER},x,x@example.com\nroot:x:0:0,${MARKER}\n`);
  const items = path.join(templates, 'adoption-tip', 'items');
  symlinkSync(path.join(root, 'secret.yaml'), path.join(items, 'link-out.yaml'));
  symlinkSync(root, path.join(items, 'linked-dir'));
  // A template folder that is a symlink to a folder outside, and a template source that is one.
  mkdirSync(path.join(root, 'outside-template'));
  writeFileSync(path.join(root, 'outside-template', 'default.email.hbs'), MARKER);
  symlinkSync(path.join(root, 'outside-template'), path.join(templates, 'linked-template'));
  symlinkSync(path.join(root, 'secret.yaml'), path.join(templates, 'announcement', 'ops.email.hbs'));
  engine = createTemplateEngine({ dir: templates });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function issuesOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PlanInvalidError);
    return (e as PlanInvalidError).message;
  }
  throw new Error('expected the plan to be refused');
}

describe('series item keys and template names', () => {
  it('the real items still load', () => {
    expect(engine.item('adoption-tip', 'teams-chat')?.title).toBeTruthy();
    expect(() => loadPlanText(PLAN('teams-chat, outlook-mobile'), { checkTemplate: (c, p) => engine.check(c, p) })).not.toThrow();
  });

  it.each(itemAttacks())('item key %j is a line-numbered validation error that quotes no file', (key) => {
    const message = issuesOf(() => loadPlanText(PLAN(JSON.stringify(key)), { checkTemplate: (c, p) => engine.check(c, p) }));
    expect(message).not.toContain(MARKER);
    // At the item's line, or (a symlink: the name is fine, the file is not) at the template line.
    expect(message).toMatch(/plan\.yaml:\d+: comms\[0\]\.(series\[0\]|template): /);
  });

  it.each(['..', '../secret', '../../secret', 'linked-template', '_layout', '.', 'a/b', path.join(root, 'outside-template')])(
    'template name %j is refused and quotes no file',
    (name) => {
      const message = issuesOf(() => loadPlanText(PLAN('teams-chat', name), { checkTemplate: (c, p) => engine.check(c, p) }));
      expect(message).not.toContain(MARKER);
      expect(message).toMatch(/plan\.yaml:17: comms\[0\]\.template: /);
    },
  );

  it('the store itself never reads outside the folder, whatever key reaches it (plans stored before keys were checked)', () => {
    for (const key of itemAttacks()) {
      let got: unknown;
      try {
        got = engine.item('adoption-tip', key);
      } catch (e) {
        got = (e as Error).message;
      }
      expect(JSON.stringify(got ?? null)).not.toContain(MARKER);
    }
    expect(engine.has('linked-template')).toBe(false);
  });

  it('a template source that is a symlink out of the folder is not read, in check or render', () => {
    const plan = loadPlanText(PLAN('teams-chat')).plan;
    const comm = { ...plan.comms[0]!, template: 'announcement', audiences: ['ops'], series: undefined } as never;
    expect(engine.check(comm, plan).join('\n')).not.toContain(MARKER);
  });
});

describe('the people CSV (CLI)', () => {
  const planWithCsv = (csv: string) => PLAN('teams-chat').replace('people:\n  inline:', `people:\n  csv: ${JSON.stringify(csv)}\n  inline:`);

  it.each([
    '../secret.csv',
    path.join(root, 'secret.csv'),
    '/etc/passwd',
    '..\\secret.csv',
    '%2e%2e/secret.csv',
    'C:/secret.csv',
    'people\u0000.csv',
    'link.csv',
    'dir-link/secret.csv',
  ])('csv %j is refused at the csv: line and quotes no file', async (csv) => {
    const dir = mkdtempSync(path.join(root, 'plan-'));
    symlinkSync(path.join(root, 'secret.csv'), path.join(dir, 'link.csv'));
    symlinkSync(root, path.join(dir, 'dir-link'));
    const file = path.join(dir, 'plan.yaml');
    writeFileSync(file, planWithCsv(csv));
    const err = await loadPlanFile(file, { cwd: dir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PlanInvalidError);
    const message = (err as PlanInvalidError).message;
    expect(message).not.toContain(MARKER);
    expect(message).not.toContain('root:x');
    expect(message).toMatch(/plan\.yaml:10: people\.csv: /);
  });

  it('a CSV in the plan folder or below it is still read', async () => {
    const dir = mkdtempSync(path.join(root, 'plan-'));
    mkdirSync(path.join(dir, 'people'));
    writeFileSync(path.join(dir, 'people', 'team.csv'), 'id,name,email,audiences\nbo,Bo,bo@example.com,end-users\n');
    writeFileSync(path.join(dir, 'plan.yaml'), planWithCsv('people/team.csv'));
    const loaded = await loadPlanFile(path.join(dir, 'plan.yaml'), { cwd: dir });
    expect(loaded.plan.people.map((p) => p.id).sort()).toEqual(['ana', 'bo']);
  });

  it('confinedFile: a FIFO-like non-file and the folder itself are refused', () => {
    expect(confinedFile(root, '.').ok).toBe(false);
    expect(confinedFile(root, 'templates').ok).toBe(false);
    expect(confinedFile(root, 'secret.yaml').ok).toBe(true);
  });
});

describe('POST /api/v1/plans with a project-scoped editor token', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let closeExtras: () => Promise<void>;
  let token = '';

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ app, closeExtras } = await buildHttpServer({ db, reads: createHttpReads(db), redisUrl: TEST_REDIS_URL, templates: engine }));
    await db.prisma.project.create({ data: { key: 'paths-test', name: 'Paths test', timezone: 'UTC', plan: {}, planHash: 'before' } });
    token = (await createApiToken(db, { role: 'editor', projectKey: 'paths-test', name: 'scoped-editor', now: new Date() })).token;
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await closeExtras?.();
    await db?.drop();
  });

  const post = (body: string, dryRun: boolean) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/plans?dryRun=${dryRun}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/yaml' },
      payload: body,
    });

  it.each(itemAttacks())('series item %j: 400 PLAN_INVALID without the file, nothing stored', async (key) => {
    for (const dryRun of [true, false]) {
      const r = await post(PLAN(JSON.stringify(key)), dryRun);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().code).toBe('PLAN_INVALID');
      expect(r.body).not.toContain(MARKER);
    }
    expect((await db.prisma.project.findUniqueOrThrow({ where: { key: 'paths-test' } })).planHash).toBe('before');
  });

  it('a people CSV named in a posted plan is never read from the server', async () => {
    const r = await post(PLAN('teams-chat').replace('people:\n  inline:', `people:\n  csv: ${path.join(root, 'secret.csv')}\n  inline:`), true);
    expect(r.statusCode).toBe(400);
    expect(r.body).not.toContain(MARKER);
  });

  // §1.6: an alias bomb in data: (and its cousins) answered 500; now a 400 at its line, quickly.
  it.each([
    [
      'alias bomb',
      `\n    data:\n${Array.from(
        { length: 10 },
        (_, i) =>
          `      l${i}: &l${i} [${Array(10)
            .fill(i === 0 ? '"lol"' : `*l${i - 1}`)
            .join(', ')}]`,
      ).join('\n')}`,
    ],
    ['self-referencing alias', '\n    data: &d { x: *d }'],
    ['100,000 nested brackets', `\n    data: { x: ${'['.repeat(100_000)}${']'.repeat(100_000)} }`],
  ])('%s in data: is a 400 PLAN_INVALID', async (_what, data) => {
    const started = Date.now();
    const r = await post(PLAN('teams-chat').replace('    series:', `${data.slice(1)}\n    series:`), true);
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().code).toBe('PLAN_INVALID');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('the valid plan applies (the fix refuses attacks, not plans)', async () => {
    const r = await post(PLAN('teams-chat, outlook-mobile'), false);
    expect(r.statusCode, r.body).toBe(200);
  });
});
