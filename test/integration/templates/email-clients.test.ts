import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { doIUseEmail } from '@jsx-email/doiuse-email';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everyEmail, type RenderedEmail } from './every-email.ts';

/*
 * Every e-mail Herald sends, checked the way a mail designer would: valid HTML by the W3C Nu HTML
 * Checker (the `vnu-jar` package; needs Java 11+ on PATH), and no feature that the caniemail data
 * (`@jsx-email/doiuse-email`) marks unsupported in Outlook for Windows, Windows Mail, Gmail or
 * Apple Mail, except the ones allowed below with the reason each is safe.
 */
const CLIENTS = ['outlook.windows', 'outlook.windows-mail', 'gmail.desktop-webmail', 'gmail.ios', 'gmail.android', 'apple-mail.macos', 'apple-mail.ios'];

/** Features caniemail marks unsupported in some of CLIENTS that we use anyway: each is progressive enhancement. */
const ALLOWED: Record<string, string> = {
  'border-radius': 'rounds the card and the answer buttons; Outlook draws square corners, the layout is the same',
  'role attribute': 'role="presentation" tells screen readers a table is layout; Windows Mail drops it and lays the table out the same',
  'overflow-wrap':
    "`anywhere` lets a browser's webmail break a long word inside a digest cell so the table stays in 600 px (test/e2e/digest-email.test.ts); a client without it keeps `word-wrap: break-word`, declared beside it",
  'table-layout': "fixed layout of the digest's survey bars; Outlook sizes the bar cells by their width attributes anyway",
  'white-space': 'nowrap keeps a digest date on one line; Outlook may wrap it, which changes no content',
  'word-break': 'break-all lets a long bounced address wrap; Windows Mail wraps it at the cell edge instead',
};

/** "`border-radius` is not supported by `outlook.windows`": the feature is the first quoted name. */
const featureOf = (message: string): string => /^`([^`]+)`/.exec(message)?.[1] ?? '';

const require = createRequire(import.meta.url);
/** The package's main export is the path of vnu.jar. */
const VNU_JAR = String(require('vnu-jar'));

interface VnuMessage {
  type: string;
  subType?: string;
  url?: string;
  lastLine?: number;
  message: string;
  extract?: string;
}

let emails: RenderedEmail[];
let dir: string;
/** Error messages from the Nu checker, per e-mail label. */
const vnuErrors = new Map<string, string[]>();

beforeAll(async () => {
  emails = await everyEmail();
  dir = mkdtempSync(path.join(tmpdir(), 'herald-email-html-'));
  const files = emails.map((e, i) => {
    const file = path.join(dir, `${String(i).padStart(3, '0')}.html`);
    writeFileSync(file, e.html);
    return file;
  });
  // One JVM for every file: starting the checker costs more than checking a hundred e-mails.
  let out: string;
  try {
    out = execFileSync('java', ['-jar', VNU_JAR, '--format', 'json', '--stdout', '--errors-only', '--exit-zero-always', ...files], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 180_000,
    });
  } catch (e) {
    throw new Error(
      `the W3C checker (java -jar ${VNU_JAR}) did not run; it needs Java 11+ on PATH (apt-get install openjdk-17-jre-headless): ${(e as Error).message}`,
    );
  }
  const { messages } = JSON.parse(out) as { messages: VnuMessage[] };
  for (const m of messages) {
    const index = m.url === undefined ? -1 : files.findIndex((f) => m.url?.endsWith(path.basename(f)));
    const label = emails[index]?.label ?? '(checker)';
    vnuErrors.set(label, [
      ...(vnuErrors.get(label) ?? []),
      `line ${m.lastLine ?? '?'}: ${m.message}${m.extract ? ` in ${JSON.stringify(m.extract.trim())}` : ''}`,
    ]);
  }
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('every e-mail Herald sends', () => {
  it('covers every built-in template, the digest, reminders and escalation notices', () => {
    const labels = emails.map((e) => e.label).join('\n');
    for (const name of [
      'adoption-tip',
      'announcement',
      'exec-digest',
      'exec-summary',
      'hypercare-checkin',
      'hypercare-desk-summary',
      'mfa-enrollment',
      'milestone-moved',
      'ops-impact-notice',
      'starter-message',
      'user-prep',
      'workstream-status',
    ]) {
      expect(labels).toContain(`${name} (`);
    }
    for (const what of ['with milestones and comments', 'an empty week', 'reminder', 'escalation notice', 'escalation update']) expect(labels).toContain(what);
    for (const e of emails) expect(e.html, e.label).toMatch(/^<!DOCTYPE html>/i);
  });

  it('is valid HTML by the W3C Nu HTML Checker', () => {
    expect(Object.fromEntries(vnuErrors)).toEqual({});
  });

  it('uses nothing caniemail marks unsupported in Outlook, Windows Mail, Gmail or Apple Mail, except the allowed enhancements', () => {
    const unsupported: Record<string, string[]> = {};
    for (const e of emails) {
      const result = doIUseEmail(e.html, { emailClients: CLIENTS });
      const errors = result.success ? [] : result.errors;
      const left = [...new Set(errors.filter((m) => !Object.hasOwn(ALLOWED, featureOf(m))))];
      if (left.length > 0) unsupported[e.label] = left;
    }
    expect(unsupported).toEqual({});
  });

  it('lays the page out in tables: a 600 px card held by an Outlook-only ghost table, no <div> layout', () => {
    // Notices to owners, approvers and the project manager are one full-width padded table cell (render-escalation.ts's emailPage), not the card.
    for (const e of emails.filter((x) => !x.label.startsWith('escalation') && !x.label.startsWith('approval'))) {
      expect(e.html, e.label).toMatch(/<!--\[if mso\]><table role="presentation" width="600"[^>]*><tr><td><!\[endif\]-->/);
      expect(e.html, e.label).toMatch(/<table class="card" role="presentation" width="600"[^>]*style="width:100%;max-width:600px;/);
      expect(e.html, e.label).toMatch(/<!--\[if mso\]><\/td><\/tr><\/table><!\[endif\]-->/);
    }
    for (const e of emails) expect(e.html, e.label).not.toMatch(/<div[\s>]/i);
  });
});
