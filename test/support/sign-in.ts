/**
 * Signs in as the dashboard's own form does (GET /signin for its proof and nonce cookie, then a
 * same-origin POST), for tests that need a session cookie without a browser.
 */
export interface FormTransport {
  /** Sends one request to the server under test; `path` starts with `/`. */
  send(req: {
    method: 'GET' | 'POST';
    path: string;
    headers: Record<string, string>;
    body?: string;
  }): Promise<{ status: number; body: string; setCookie: string[] }>;
  /** The origin the server sees itself at (sent as `Origin`). */
  origin: string;
}

const pairs = (setCookie: string[]): string[] => setCookie.map((c) => c.split(';')[0]!);

/** Returns the `Cookie` header of a signed-in session for `token`. */
export async function signInCookie(t: FormTransport, token: string): Promise<string> {
  const form = await t.send({ method: 'GET', path: '/signin', headers: {} });
  const proof = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  if (!proof) throw new Error(`sign-in form without a proof (${form.status})`);
  const body = new URLSearchParams({ token, next: '/', _csrf: proof }).toString();
  const r = await t.send({
    method: 'POST',
    path: '/signin',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: t.origin, cookie: pairs(form.setCookie).join('; ') },
    body,
  });
  const session = pairs(r.setCookie).filter((c) => c.startsWith('herald_session='));
  if (r.status !== 303 || session.length === 0) throw new Error(`sign-in failed: ${r.status}`);
  return session.join('; ');
}
