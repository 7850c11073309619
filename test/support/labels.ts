/**
 * "Labels, not keys" for the browser tests: what a page shows a person must never be a key where
 * the plan gives a label. keysShown(page, rules) reads the page's visible text (and the
 * aria-label, title and alt a screen reader reads) and reports:
 *
 * - a person's key (`bea.meyer`, `raj`) where the name exists; an e-mail address or a URL that
 *   contains the key is fine;
 * - a survey option's value (`minor`) where its label ("Some issues") exists;
 * - a comm's key (`hypercare-checkin`) where its title ("Hypercare check-in") exists;
 * - an occurrence index (`#0`);
 * - a UTC ISO instant (`2030-02-11T14:00`);
 * - a time of day (`14:00`, `8:48 PM`) with no zone after it (`CST`, `GMT+5:30`, `UTC`, `America/Chicago`,
 *   or `local`: a comm sent at each recipient's own 08:00).
 *
 * Text inside code, pre, kbd and samp (a CLI command to type, a YAML excerpt) is exempt: there
 * keys are what the reader types. So are the colour words of a workstream's RAG status
 * (green, amber, red), which the plan's weekly status survey also uses as option values.
 *
 * labelRulesOf(prisma, projectKey) builds the rules from what `herald apply` stored;
 * labelRulesOfPlan(plan) from a parsed plan.
 */
import type { Page } from 'playwright-core';
import type { Plan } from '../../src/domain/plan/model.ts';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';

export interface LabelRules {
  personKeys: readonly string[];
  optionValues: readonly string[];
  /** The options' labels: a value inside one ("good" in "All good") is the label, not the value. */
  optionLabels: readonly string[];
  commKeys: readonly string[];
}

/** RAG colour words: a workstream's status, shown as such (and styled by colour). */
const RAG = new Set(['green', 'amber', 'red']);

function rulesOf(personKeys: string[], comms: Array<{ key: string; options: Array<{ value: string; label: string }> }>): LabelRules {
  const options = comms.flatMap((c) => c.options);
  return {
    personKeys,
    optionValues: [...new Set(options.map((o) => o.value).filter((v) => !RAG.has(v)))],
    optionLabels: [...new Set(options.map((o) => o.label))],
    // A one-word key (`tips`) reads as the word it is, so the page's own prose may use it; keys with
    // a hyphen, dot or digit (`hypercare-checkin`) do not occur in prose.
    commKeys: comms.map((c) => c.key).filter((k) => !/^[a-z]+$/.test(k)),
  };
}

/** The rules for a project as `herald apply` stored it. */
export async function labelRulesOf(prisma: PrismaClient, projectKey: string): Promise<LabelRules> {
  const project = await prisma.project.findUniqueOrThrow({
    where: { key: projectKey },
    include: { people: { select: { key: true } }, comms: { select: { key: true, survey: { select: { options: true } } } } },
  });
  return rulesOf(
    project.people.map((p) => p.key),
    project.comms.map((c) => ({ key: c.key, options: (c.survey?.options ?? []) as Array<{ value: string; label: string }> })),
  );
}

/** The rules for a parsed plan (a server in another process, such as `herald demo`). */
export function labelRulesOfPlan(plan: Plan): LabelRules {
  return rulesOf(
    plan.people.map((p) => p.id),
    plan.comms.map((c) => ({ key: c.key, options: [...(c.survey?.options ?? [])] })),
  );
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A key standing alone: not inside an address, a path, a longer key or a longer word. */
const alone = (key: string): RegExp => new RegExp(`(?<![\\w@./:-])${escapeRe(key)}(?![\\w@/-]|\\.\\w)`, 'g');

/** What follows a time when it names its zone ("14:00 in Asia/Kolkata", as a schedule explanation says it, too). */
const ZONE =
  /^(?:\s*[–-]\s*(?:[A-Z][a-z]{2} )?\d{1,2}:\d\d)?\s*(?:[AaPp]\.?[Mm]\.?\s*)?(?:local\b|(?:for them\s*|in\s+(?=[A-Z][a-z]+\/))?\(?(?:[A-Z]{2,5}\b|GMT|UTC|[A-Z][a-z]+\/[A-Za-z_]+))/;

function context(text: string, at: number, length: number): string {
  return text
    .slice(Math.max(0, at - 30), at + length + 30)
    .replace(/\s+/g, ' ')
    .trim();
}

/** The problems in `text` under `rules`; [] when it shows labels only. */
export function keysIn(text: string, rules: LabelRules): string[] {
  const problems: string[] = [];
  const find = (what: string, re: RegExp, ok: (m: RegExpExecArray) => boolean = () => false): void => {
    for (const m of text.matchAll(re)) {
      if (!ok(m)) problems.push(`shows ${what} "${m[0]}" in "${context(text, m.index, m[0].length)}"`);
    }
  };
  for (const k of rules.personKeys) find('a person key', alone(k));
  const labelled = rules.optionLabels.reduce((t, l) => t.split(l).join(' '.repeat(l.length)), text);
  for (const v of rules.optionValues) {
    for (const m of labelled.matchAll(alone(v))) problems.push(`shows an option value "${m[0]}" in "${context(text, m.index, m[0].length)}"`);
  }
  for (const k of rules.commKeys) find('a comm key', alone(k));
  find('an occurrence index', /(?<![\w&])#\d+\b/g);
  find('an ISO instant', /\b\d{4}-\d\d-\d\dT\d\d:\d\d/g);
  // A time of day, not a zone's offset (GMT+5:30), not a duration's parts and not inside an ISO instant.
  find('a time with no zone', /(?<![\d:+\-−T])\d{1,2}:\d\d(?::\d\d)?(?![\d:])/g, (m) => ZONE.test(text.slice(m.index + m[0].length)));
  return problems;
}

/** The page's text as a person meets it: visible text, then aria-label, title and alt values; code excerpts left out. */
async function shownText(page: Page): Promise<string> {
  return page.evaluate(() => {
    let text = document.body.innerText;
    // Longest first, so a command that another one starts with does not leave the rest of the longer one behind.
    const excerpts = Array.from(document.querySelectorAll<HTMLElement>('code, pre, kbd, samp'))
      .map((el) => el.innerText)
      .filter((t) => t.trim() !== '')
      .sort((a, b) => b.length - a.length);
    for (const t of excerpts) text = text.split(t).join(' ');
    const attrs: string[] = [];
    for (const el of Array.from(document.querySelectorAll('[aria-label], [title], img[alt]'))) {
      if (el.closest('code, pre, kbd, samp, head')) continue;
      for (const a of ['aria-label', 'title', 'alt']) {
        const v = el.getAttribute(a);
        if (v) attrs.push(v);
      }
    }
    return [text, ...attrs].join('\n');
  });
}

/** Keys where labels exist, on the page as it is now; [] when clean. */
export async function keysShown(page: Page, rules: LabelRules): Promise<string[]> {
  return keysIn(await shownText(page), rules);
}
