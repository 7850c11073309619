import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';
import { ESCAPE_HELPER, HELPER_NAMES, registerHelpers, type EscapeMode } from './helpers.ts';
import { NO_PRECOMPILED, type PrecompiledTemplates } from './precompiled.ts';

type Program = hbs.AST.Program;
type Mustache = hbs.AST.MustacheStatement;
type Block = hbs.AST.BlockStatement;

export type RenderFn = (context: object) => string;

// The same for compile and precompile, so a precompiled template is the compiled one.
const OPTIONS = { noEscape: true, strict: false } as const;

type HB = typeof Handlebars;
const requireHere = createRequire(import.meta.url);
// Templates run on Handlebars' runtime (template(), helpers, SafeString), which is all a template
// precompiled by the build needs. The compiler (parser, code generator with source-map) loads on
// the first source the build did not precompile: `herald validate` of the shipped templates never
// needs it (~20 ms of its start-up, bench:cli).
const runtime = requireHere('handlebars/runtime') as HB;
let compiler: HB | undefined;
const handlebarsCompiler = (): HB => (compiler ??= requireHere('handlebars') as HB);

/** Handlebars' HTML escaping, from the runtime (for text built outside a template). */
export const escapeHtml = (s: string): string => runtime.Utils.escapeExpression(s);

/**
 * One private Handlebars instance per escape mode. Handlebars' own escaping is global and only
 * knows HTML, and `{{{x}}}` skips it; so before compiling, every output expression is rewritten to
 * go through the mode's `__esc` helper and templates compile with `noEscape`. Triple-stash is then
 * escaped like double-stash, and only helpers that return a SafeString can emit markup.
 */
export class TemplateCompiler {
  private readonly instances: Record<EscapeMode, typeof Handlebars>;

  /** Handlebars' version, part of every precompiled template's key. */
  static readonly version: string = runtime.VERSION;

  constructor(private readonly precompiled: PrecompiledTemplates = NO_PRECOMPILED) {
    const make = (mode: EscapeMode): typeof Handlebars => {
      const hb = runtime.create();
      registerHelpers(hb, mode);
      return hb;
    };
    this.instances = { html: make('html'), slack: make('slack'), plain: make('plain') };
  }

  /** Parses without compiling, for static checks. Throws Handlebars' parse error with its line. */
  parse(source: string): Program {
    return this.precompiled.ast(source) ?? handlebarsCompiler().parse(source);
  }

  compile(source: string, mode: EscapeMode): RenderFn {
    const hb = this.instances[mode];
    // Not precompiled: compiled here the same way (what Handlebars.compile does, eagerly).
    const spec = this.precompiled.get(mode, source) ?? (new Function(`return ${this.precompile(source, mode)}`)() as object);
    const fn = hb.template(spec);
    return (context: object) => fn(context);
  }

  /** The JavaScript Handlebars would compile this source to (for dist/templates.precompiled.json). */
  precompile(source: string, mode: EscapeMode): string {
    return handlebarsCompiler().precompile(this.routed(source), OPTIONS) as string;
  }

  private routed(source: string): Program {
    const ast = handlebarsCompiler().parse(source);
    routeOutput(ast);
    return ast;
  }

  /** A string marked as already safe for the instance (a rendered body inside the layout). */
  safe(mode: EscapeMode, html: string): unknown {
    return new this.instances[mode].SafeString(html);
  }
}

function routeOutput(program: Program): void {
  for (const st of program.body) {
    if (st.type === 'MustacheStatement') wrap(st as Mustache);
    else if (st.type === 'BlockStatement') {
      const b = st as Block;
      if (b.program) routeOutput(b.program);
      if (b.inverse) routeOutput(b.inverse);
    }
  }
}

function wrap(m: Mustache): void {
  const path = m.path;
  const isHelperName = path.type === 'PathExpression' && HELPER_NAMES.has((path as hbs.AST.PathExpression).original);
  const isCall = m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0 || isHelperName;
  const inner = isCall ? { type: 'SubExpression', path, params: m.params, hash: m.hash, loc: m.loc } : path;
  Object.assign(m, {
    path: { type: 'PathExpression', data: false, depth: 0, parts: [ESCAPE_HELPER], original: ESCAPE_HELPER, loc: path.loc },
    params: [inner],
    hash: undefined,
    escaped: true,
  });
}
