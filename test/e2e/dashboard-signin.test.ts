/**
 * Dashboard sign-in in Chromium: a token signs in, a bad one is told why, sign-out and revocation
 * end the session, a viewer cannot change anything, and a POST without its CSRF proof is refused.
 */
import { describe, expect, it } from 'vitest';
import { hashToken, revokeApiToken } from '../../src/app/api-tokens.ts';
import { NotFoundError } from '../../src/domain/errors.ts';
import type { DashboardPage } from '../../src/http/dashboard/pages/index.ts';
import { NOW, useDashboard } from '../support/dashboard.ts';

/** An editor action no built-in page has yet, to test the checks every POST goes through. */
const probe: DashboardPage = {
  name: 'projects',
  register(app) {
    app.post('/test/act', async (_request, reply) => reply.type('text/plain').send('done'));
    app.get('/test/fail', async () => {
      throw new NotFoundError('comm "nope" in project digest-test', 'see the comms on the Plan page');
    });
  },
};

const dash = useDashboard({ pages: [probe] });

describe('dashboard sign-in', () => {
  it('sends a signed-out visitor to /signin and back to the page asked for after signing in', async () => {
    const page = await dash.newPage();
    await dash.browser.context.clearCookies();
    await page.goto(`${dash.url}/projects/${dash.project}`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    expect(await dash.checkPage(page)).toEqual([]);
    await page.getByLabel('API token').fill(dash.tokens.viewer);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${dash.url}/projects/${dash.project}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Digest test project');
    const cookie = (await dash.browser.context.cookies()).find((c) => c.name === 'herald_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(cookie.value).not.toContain(dash.tokens.viewer);
  });

  it('says why a bad token or a feed token cannot sign in', async () => {
    await dash.browser.context.clearCookies();
    const page = await dash.newPage();
    await page.goto(`${dash.url}/signin`);
    await page.getByLabel('API token').fill('hrld_not-a-real-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('unknown or revoked');
    await page.getByLabel('API token').fill(dash.tokens.feed);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('feed token');
    expect(await dash.checkPage(page)).toEqual([]);
    expect((await dash.browser.context.cookies()).some((c) => c.name === 'herald_session')).toBe(false);
  });

  it('does not redirect off the site after sign-in', async () => {
    const page = await dash.signedIn('viewer', '//evil.example/x');
    expect(new URL(page.url()).origin).toBe(dash.url);
    expect(new URL(page.url()).pathname).toBe('/');
  });

  it('signs out, after which pages ask to sign in again', async () => {
    const page = await dash.signedIn('viewer');
    expect(await page.getByRole('heading', { name: 'Projects' }).count()).toBe(1);
    expect(await dash.checkPage(page)).toEqual([]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signin$/);
    await page.goto(`${dash.url}/`);
    expect(new URL(page.url()).pathname).toBe('/signin');
  });

  it('a revoked token is signed out on its next request', async () => {
    const token = await dash.createToken('viewer');
    const page = await dash.signedIn(token);
    expect(await page.getByRole('heading', { name: 'Projects' }).count()).toBe(1);
    const row = await dash.db.prisma.apiToken.findUniqueOrThrow({ where: { hash: hashToken(token) } });
    await revokeApiToken(dash.db, row.id, NOW);
    await page.goto(`${dash.url}/projects/${dash.project}`);
    expect(new URL(page.url()).pathname).toBe('/signin');
  });

  it('an error from a use case is a readable HTML page, not JSON', async () => {
    const page = await dash.signedIn('viewer');
    const r = await page.goto(`${dash.url}/test/fail`);
    expect(r?.status()).toBe(404);
    expect(r?.headers()['content-type']).toContain('text/html');
    expect(await page.textContent('body')).toContain('see the comms on the Plan page');
    expect(await dash.checkPage(page)).toEqual([]);
  });

  it('a token limited to a project sees only that project', async () => {
    await dash.db.prisma.project.create({ data: { key: 'other-project', name: 'Other project', timezone: 'UTC', plan: {}, planHash: 'x' } });
    const limited = await dash.createToken('viewer', dash.project);
    const page = await dash.signedIn(limited);
    expect(await page.getByRole('link', { name: 'Digest test project' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Other project' }).count()).toBe(0);
    const r = await page.goto(`${dash.url}/projects/other-project`);
    expect(r?.status()).toBe(403);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Not allowed');
    expect(await dash.checkPage(page)).toEqual([]);
  });

  it('a viewer POST is refused with a readable 403 page, and so is an editor POST without its CSRF proof', async () => {
    const viewer = await dash.signedIn('viewer');
    const csrf = await viewer.locator('input[name=_csrf]').first().getAttribute('value');
    // A POST as the page's own form would make it, with a valid proof: still a viewer, so 403.
    const asViewer = await viewer.request.post(`${dash.url}/test/act`, { form: { _csrf: csrf! } });
    expect(asViewer.status()).toBe(403);
    expect(await asViewer.text()).toContain('can look but not change anything');

    const editor = await dash.signedIn('editor');
    const noProof = await editor.request.post(`${dash.url}/test/act`, { form: { note: 'x' } });
    expect(noProof.status()).toBe(403);
    expect(await noProof.text()).toContain('missing form field');
    // The viewer's proof belongs to the viewer's session, not this one.
    const foreign = await editor.request.post(`${dash.url}/test/act`, { form: { _csrf: csrf! } });
    expect(foreign.status()).toBe(403);
    expect(await foreign.text()).toContain('does not belong');
    const own = await editor.locator('input[name=_csrf]').first().getAttribute('value');
    const good = await editor.request.post(`${dash.url}/test/act`, { form: { _csrf: own! } });
    expect(await good.text()).toBe('done');
    // Signing out needs the proof too: without it the session stays.
    expect((await editor.request.post(`${dash.url}/signout`, { form: {} })).status()).toBe(403);
    await editor.goto(`${dash.url}/`);
    expect(await editor.getByRole('heading', { name: 'Projects' }).count()).toBe(1);
  });
});
