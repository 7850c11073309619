import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlanFile } from '../../../src/app/load-plan.ts';
import type { Channel, Plan } from '../../../src/domain/plan/model.ts';
import { TemplateCompiler } from '../../../src/templates/compile.ts';
import { sampleContext } from '../../../src/templates/context.ts';
import { createTemplateEngine } from '../../../src/templates/engine.ts';
import type { EscapeMode } from '../../../src/templates/helpers.ts';
import { readPrecompiled, writePrecompiled, type PrecompiledTemplates } from '../../../src/templates/precompiled.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const TEMPLATES = path.join(ROOT, 'templates');
const dir = mkdtempSync(path.join(tmpdir(), 'herald-t-precompiled-'));
const file = path.join(dir, 'templates.precompiled.json');
let plan: Plan;
let written: number;

beforeAll(async () => {
  ({ plan } = await loadPlanFile('examples/m365-migration.plan.yaml', { cwd: ROOT }));
  const compiler = new TemplateCompiler();
  written = writePrecompiled(TEMPLATES, file, {
    version: TemplateCompiler.version,
    precompile: (s, m) => compiler.precompile(s, m),
    parse: (s) => compiler.parse(s),
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The precompiled set, counting hits and misses. */
function counted(): PrecompiledTemplates & { hits: number; misses: number } {
  const inner = readPrecompiled(file, TemplateCompiler.version);
  const c = {
    hits: 0,
    misses: 0,
    ast: (source: string) => inner.ast(source),
    get(mode: EscapeMode, source: string) {
      const spec = inner.get(mode, source);
      if (spec) c.hits++;
      else c.misses++;
      return spec;
    },
  };
  return c;
}

describe('precompiled templates', () => {
  it('render exactly as compiled ones, for every comm, audience and channel of the example plan', () => {
    expect(written).toBeGreaterThan(30);
    const precompiled = counted();
    const fast = createTemplateEngine({ dir: TEMPLATES, publicUrl: 'https://h.example', precompiled });
    const slow = createTemplateEngine({ dir: TEMPLATES, publicUrl: 'https://h.example' });
    for (const comm of plan.comms) {
      expect(fast.check(comm, plan)).toEqual(slow.check(comm, plan));
      const item = comm.series?.[0] === undefined ? undefined : fast.item(comm.template, comm.series[0]);
      for (const audience of comm.audiences) {
        const channels: Channel[] = comm.channels.includes('preferred') ? ['slack', 'email'] : (comm.channels as Channel[]);
        for (const channel of channels) {
          const context = sampleContext(plan, comm, { audience, ...(item ? { item } : {}) });
          const input = { template: comm.template, channel, audience, context, messageId: 'm-1' };
          expect(fast.render(input), `${comm.key}/${audience}/${channel}`).toEqual(slow.render(input));
        }
      }
    }
    // Trial renders (check) use the files as written: those all hit. Real email renders inline CSS
    // first, so their sources differ from the files and miss (they compile as before).
    expect(precompiled.hits).toBeGreaterThan(30);
  });

  it('hold the parse trees Handlebars makes, for the static checks', () => {
    const precompiled = readPrecompiled(file, TemplateCompiler.version);
    const plain = new TemplateCompiler();
    for (const f of ['_layout/email.hbs', 'announcement/default.slack.hbs', 'exec-digest/default.email.hbs']) {
      const source = readFileSync(path.join(TEMPLATES, f), 'utf8');
      expect(precompiled.ast(source), f).toEqual(plain.parse(source));
    }
    expect(precompiled.ast('{{edited}}')).toBeUndefined();
  });

  it('a source that changed since the build misses and is compiled', () => {
    const precompiled = readPrecompiled(file, TemplateCompiler.version);
    expect(precompiled.get('plain', '{{project.name}} edited')).toBeUndefined();
    const compiler = new TemplateCompiler(precompiled);
    expect(compiler.compile('{{name}} & co', 'html')({ name: '<b>' })).toBe('&lt;b&gt; & co');
  });

  it('is ignored for another Handlebars version, or when the file is missing', () => {
    expect(readPrecompiled(file, '0.0.0-other').get('plain', 'x')).toBeUndefined();
    expect(readPrecompiled(path.join(dir, 'none.json'), TemplateCompiler.version).get('plain', 'x')).toBeUndefined();
  });
});
