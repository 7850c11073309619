import { HeraldError } from '../domain/errors.ts';
import type { RenderFn, TemplateCompiler } from './compile.ts';
import { inlineBody, inlineLayout, styleOf } from './email-html.ts';
import type { EscapeMode } from './helpers.ts';
import { firstLine, type TemplateStore } from './store.ts';

/** The email layout every HTML body is rendered into. */
export const LAYOUT = '_layout/email.hbs';

/**
 * Compiles a template file once per escape mode and keeps it. A real compile serves a trial too;
 * a trial one never serves a real render. Throws HeraldError TEMPLATE_INVALID naming the file.
 */
export function compiledCache(store: TemplateStore, compiler: TemplateCompiler): (relative: string, mode: EscapeMode, trial?: boolean) => RenderFn {
  const cache = new Map<string, RenderFn>();

  // CSS is inlined into the email sources once, when they are compiled. A trial render (`check`)
  // compiles the sources as written: juice leaves `{{…}}` alone, so the Handlebars code, and what it
  // can throw, is the same either way.
  const prepare = (relative: string, mode: EscapeMode, trial: boolean): string => {
    const source = store.source(relative);
    if (mode !== 'html' || trial) return source;
    return relative === LAYOUT ? inlineLayout(source) : inlineBody(source, styleOf(store.source(LAYOUT)));
  };

  return (relative, mode, trial = false) => {
    const id = `${mode}:${relative}`;
    let fn = cache.get(id) ?? (trial ? cache.get(`trial:${id}`) : undefined);
    if (!fn) {
      try {
        fn = compiler.compile(prepare(relative, mode, trial), mode);
      } catch (e) {
        throw new HeraldError('TEMPLATE_INVALID', `${store.display(relative)}: ${firstLine((e as Error).message)}`, { cause: e });
      }
      cache.set(trial ? `trial:${id}` : id, fn);
    }
    return fn;
  };
}
