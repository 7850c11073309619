/// <reference lib="dom" />
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlanFile } from '../../src/app/load-plan.ts';
import { computeDigest } from '../../src/domain/digest/compute-digest.ts';
import type { Digest } from '../../src/domain/digest/model.ts';
import type { CommSpec, Plan } from '../../src/domain/plan/model.ts';
import { sampleContext } from '../../src/templates/context.ts';
import { createTemplateEngine, type TemplateEngine } from '../../src/templates/engine.ts';
import { launchChromium, type Browser } from '../support/chromium.ts';
import { NOW, SECTIONS, hugeDigest, snapshot } from '../unit/digest/fixture.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
let plan: Plan;
let engine: TemplateEngine;
let comm: CommSpec;
let browser: Browser;

beforeAll(async () => {
  ({ plan } = await loadPlanFile('examples/m365-migration.plan.yaml', { cwd: ROOT }));
  engine = createTemplateEngine({ dir: path.join(ROOT, 'templates'), publicUrl: 'https://herald.example.com' });
  comm = plan.comms.find((c) => c.kind === 'digest') as CommSpec;
  browser = await launchChromium();
}, 900_000);

afterAll(async () => {
  await browser?.close();
});

function html(digest: Digest): string {
  const context = sampleContext(plan, comm, { audience: 'executives', personId: 'maria', now: NOW.toISOString(), digest });
  return engine.render({ template: comm.template, channel: 'email', audience: 'executives', context, messageId: 'm1' }).html ?? '';
}

interface Measured {
  viewport: number;
  scrollWidth: number;
  widest: { tag: string; right: number; text: string };
  sections: Record<string, { height: number; text: string }>;
  proseWords: number;
}

/** Renders the email at a 600 px wide window and measures it in the page. */
async function measure(source: string): Promise<Measured> {
  const page = await browser.context.newPage();
  try {
    await page.setViewportSize({ width: 600, height: 900 });
    await page.setContent(source, { waitUntil: 'load' });
    return await page.evaluate((names: readonly string[]) => {
      let widest = { tag: '', right: 0, text: '' };
      for (const el of Array.from(document.body.querySelectorAll('*'))) {
        const r = el.getBoundingClientRect();
        if (r.right > widest.right) widest = { tag: el.tagName, right: Math.round(r.right), text: (el.textContent ?? '').slice(0, 60) };
      }
      const sections: Record<string, { height: number; text: string }> = {};
      for (const n of names) {
        const el = document.querySelector(`[data-section="${n}"]`) as HTMLElement | null;
        if (el) sections[n] = { height: el.getBoundingClientRect().height, text: el.innerText };
      }
      // Prose: what is read as sentences, i.e. everything but the fact tables.
      const clone = document.body.cloneNode(true) as HTMLElement;
      for (const t of Array.from(
        clone.querySelectorAll(
          '[data-section="workstreams"], [data-section="escalations"], [data-section="milestones"], [data-section="surveys"], [data-section="delivery"]',
        ),
      ))
        t.remove();
      document.body.appendChild(clone);
      const words = clone.innerText.split(/\s+/).filter((w) => w !== '').length;
      clone.remove();
      return { viewport: window.innerWidth, scrollWidth: document.documentElement.scrollWidth, widest, sections, proseWords: words };
    }, SECTIONS);
  } finally {
    await page.close();
  }
}

describe('digest email in headless Chromium at 600 px', () => {
  for (const [name, make] of [
    ['a typical week', () => computeDigest(snapshot(), NOW)],
    ['a week with far too much news', hugeDigest],
  ] as const) {
    it(`${name}: no horizontal overflow, every section present and visible, prose within ~250 words`, async () => {
      const m = await measure(html(make()));
      expect(m.viewport).toBe(600);
      expect(m.scrollWidth, `widest element: ${JSON.stringify(m.widest)}`).toBeLessThanOrEqual(600);
      expect(Object.keys(m.sections)).toEqual([...SECTIONS]);
      for (const s of SECTIONS) {
        expect(m.sections[s]?.height, s).toBeGreaterThan(0);
        expect(m.sections[s]?.text.trim(), s).not.toBe('');
      }
      expect(m.proseWords).toBeLessThanOrEqual(250);
    }, 120_000);
  }

  it('bars are drawn: the answered share of a survey is a coloured cell of the right width', async () => {
    const page = await browser.context.newPage();
    try {
      await page.setViewportSize({ width: 600, height: 900 });
      await page.setContent(html(computeDigest(snapshot(), NOW)), { waitUntil: 'load' });
      const bar = await page.evaluate(() => {
        const cells = Array.from(document.querySelectorAll('[data-section="surveys"] td[bgcolor="#0b5cad"]')) as HTMLElement[];
        const first = cells[0] as HTMLElement;
        const row = first.parentElement as HTMLElement;
        return { filled: first.getBoundingClientRect().width, row: row.getBoundingClientRect().width, colour: getComputedStyle(first).backgroundColor };
      });
      expect(bar.colour).toBe('rgb(11, 92, 173)');
      expect(bar.filled / bar.row).toBeGreaterThan(0.7);
      expect(bar.filled / bar.row).toBeLessThan(0.8);
    } finally {
      await page.close();
    }
  }, 120_000);
});
