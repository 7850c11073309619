/**
 * Issue 15 §1.6/§2.2: the plan parser and validator under hostile input. A fast-check property over
 * random YAML-ish text, mutated valid plans, deep nesting, huge scalars and alias bombs: each case
 * ends in a plan or in PlanInvalidError (nothing else is thrown), within a time bound, and the heap
 * stays bounded. Runs for HERALD_FUZZ_SECONDS (default 60).
 */
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadPlanText } from '../../src/app/load-plan.ts';
import { PlanInvalidError } from '../../src/domain/errors.ts';
import { buildEngine } from '../../src/templates/builtin.ts';

const SECONDS = Number(process.env.HERALD_FUZZ_SECONDS ?? 60);
/** One case may take this long at most (a 1 MiB body is the API's limit; cases stay below it). */
const CASE_MS = 3_000;
/** Retained heap growth allowed over the whole run (after a GC; the engine caches compiled templates). */
const HEAP_MB = 256;
// A full GC before each heap reading, so the bound is on what the parser keeps, not on garbage.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const VALID = readFileSync('test/fixtures/plans/delivery.plan.yaml', 'utf8');
const EXAMPLE = readFileSync('examples/m365-migration.plan.yaml', 'utf8');
const engine = buildEngine({ PUBLIC_URL: 'http://127.0.0.1' });

const YAML_BITS = [
  '\n',
  '  ',
  '- ',
  ': ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '&a ',
  '*a',
  '&b ',
  '*b',
  '!!str ',
  '!!binary ',
  '!!map ',
  '? ',
  '|',
  '>-',
  '#',
  '"',
  "'",
  '%YAML 1.2\n',
  '---\n',
  '...\n',
  '<<: *a',
  'key',
  'comms',
  'people',
  'data',
  'series',
  'template',
  '..',
  '/',
  '\\',
  '\u0000',
  '\r',
  '\u2028',
  '\t',
  '\uFEFF',
  '1e999',
  '0x1F',
  '~',
  'null',
  'true',
  '2030-01-15T18:00',
];

const yamlish = fc
  .array(fc.oneof(fc.constantFrom(...YAML_BITS), fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 200 })
  .map((a) => a.join(''));

const mutated = fc
  .tuple(
    fc.constantFrom(VALID, EXAMPLE),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.oneof(fc.constantFrom(...YAML_BITS), fc.string({ maxLength: 12 }), fc.constant(''))), {
      minLength: 1,
      maxLength: 8,
    }),
  )
  .map(([text, edits]) => {
    let t = text;
    for (const [at, del, ins] of edits) {
      const i = at % (t.length + 1);
      t = t.slice(0, i) + ins + t.slice(i + del);
    }
    return t;
  });

const deep = fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{ a: ', '- ', '  k:\n'), fc.boolean()).map(([n, open, closeIt]) => {
  if (open === '  k:\n') return `data:\n${Array.from({ length: Math.min(n, 3000) }, (_, i) => `${' '.repeat(i + 1)}k:`).join('\n')}\n`;
  if (open === '- ') return `comms:\n${'- '.repeat(Math.min(n, 5000))}x\n`;
  const close = open === '[' ? ']' : '}';
  return VALID.replace('    trigger: manual\n', `    data: { x: ${open.repeat(n)}1${closeIt ? close.repeat(n) : ''} }\n    trigger: manual\n`);
});

const huge = fc
  .tuple(
    fc.integer({ min: 10_000, max: 600_000 }),
    fc.constantFrom('name: Ana Silva', 'key: prep-preferred', 'title: "Mailbox move: what to do"', 'template: announcement'),
  )
  .map(([n, field]) => {
    const [k] = field.split(':');
    return VALID.replace(field, `${k}: "${'A'.repeat(n)}"`);
  });

const aliasBomb = fc
  .tuple(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 12 }), fc.constantFrom('data', 'audience', 'people', 'milestones', 'series', 'channels'))
  .map(([width, depth, where]) => {
    const lines = [`x0: &a0 ["lol"${', "lol"'.repeat(width - 1)}]`];
    for (let i = 1; i < depth; i++)
      lines.push(
        `x${i}: &a${i} [${Array(width)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const anchors = `    data:\n${lines.map((l) => `      ${l}`).join('\n')}\n`;
    const last = `*a${depth - 1}`;
    const withAnchors = VALID.replace('    trigger: manual\n', `${anchors}    trigger: manual\n`);
    if (where === 'data') return withAnchors;
    if (where === 'series') return withAnchors.replace('    trigger: manual\n', `    series: ${last}\n    trigger: manual\n`);
    if (where === 'channels') return withAnchors.replace('channels: [preferred]', `channels: ${last}`);
    if (where === 'audience') return withAnchors.replace('audience: ops\n', `audience: ${last}\n`);
    // Aliases used before their anchor, or pointing into themselves.
    return `${where}: &self [*self, *self]\n${VALID}`;
  });

function runCase(text: string): void {
  const started = performance.now();
  try {
    loadPlanText(text, { checkTemplate: (c, p) => engine.check(c, p) });
  } catch (e) {
    if (!(e instanceof PlanInvalidError)) {
      throw new Error(
        `threw ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)} for input of ${text.length} chars:\n${text.slice(0, 600)}`,
      );
    }
    expect(e.issues.length).toBeGreaterThan(0);
    for (const i of e.issues) expect(i.line).toBeGreaterThanOrEqual(1);
  }
  const took = performance.now() - started;
  if (took > CASE_MS) throw new Error(`took ${Math.round(took)} ms (> ${CASE_MS}) for input of ${text.length} chars:\n${text.slice(0, 300)}`);
}

describe(`plan parser fuzz (${SECONDS} s; HERALD_FUZZ_SECONDS)`, () => {
  it('ends every case in a plan or PlanInvalidError, in time, with a bounded heap', { timeout: (SECONDS + 60) * 1000 }, () => {
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let peak = heapBefore;
    let cases = 0;
    const property = fc.property(
      fc.oneof(
        { arbitrary: yamlish, weight: 3 },
        { arbitrary: mutated, weight: 4 },
        { arbitrary: deep, weight: 1 },
        { arbitrary: huge, weight: 1 },
        { arbitrary: aliasBomb, weight: 2 },
      ),
      (text) => {
        runCase(text);
        cases++;
        if (cases % 100 === 0) {
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        }
      },
    );
    fc.assert(property, { numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: SECONDS * 1000, markInterruptAsFailure: false });
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    console.log(`fuzz: ${cases} cases in ${SECONDS} s, retained heap peak +${Math.round((peak - heapBefore) / 2 ** 20)} MiB`);
    expect(cases).toBeGreaterThan(10);
    expect(peak - heapBefore).toBeLessThan(HEAP_MB * 2 ** 20);
  });

  it.each([
    ['a billion laughs in data:', aliasBombText(9, 10)],
    ['a self-referencing alias in data:', VALID.replace('    trigger: manual\n', '    data: &d { x: *d }\n    trigger: manual\n')],
    ['100,000 nested brackets', VALID.replace('    trigger: manual\n', `    data: { x: ${'['.repeat(100_000)}${']'.repeat(100_000)} }\n    trigger: manual\n`)],
  ])('%s is a validation error at its line, quickly', (_what, text) => {
    const started = performance.now();
    let err: unknown;
    try {
      loadPlanText(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PlanInvalidError);
    expect(performance.now() - started).toBeLessThan(CASE_MS);
  });
});

function aliasBombText(width: number, depth: number): string {
  const lines = [`l0: &l0 [${Array(width).fill('"lol"').join(', ')}]`];
  for (let i = 1; i < depth; i++)
    lines.push(
      `l${i}: &l${i} [${Array(width)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  return VALID.replace('    trigger: manual\n', `    data:\n${lines.map((l) => `      ${l}`).join('\n')}\n    trigger: manual\n`);
}
