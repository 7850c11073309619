import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EscapeMode } from './helpers.ts';

/**
 * Templates compiled ahead of time, by `npm run build`, into dist/templates.precompiled.json.
 *
 * Handlebars' compile (parse, opcodes, JavaScript generation with source maps) costs ~4 ms a
 * template; `herald validate` of the example plan trial-renders ~40 of them, which was ~0.15 s of
 * its 0.7 s (bench:cli). A precompiled one only needs `new Function` over the stored code.
 *
 * Each entry is keyed by a hash of the Handlebars version, the escape mode and the exact source
 * the compiler is given, so an edited template, or another Handlebars, simply misses and is
 * compiled as before: the file is a cache, never a second source of truth.
 */
export interface PrecompiledTemplates {
  /** The template spec for this source and mode, or undefined (then compile it). */
  get(mode: EscapeMode, source: string): object | undefined;
  /** Handlebars' parse tree of this source (a fresh copy), or undefined (then parse it). */
  ast(source: string): hbs.AST.Program | undefined;
}

interface PrecompiledFile {
  handlebars: string;
  /** key (see keyOf) → the JavaScript object literal Handlebars.precompile returned. */
  templates: Record<string, string>;
  /**
   * key (mode "ast") → Handlebars.parse's tree as JSON, for validate's static checks: lexing is
   * ~45% of a warm template check. Kept as strings so only the trees used are parsed.
   */
  asts: Record<string, string>;
}

export const NO_PRECOMPILED: PrecompiledTemplates = { get: () => undefined, ast: () => undefined };

export function keyOf(handlebarsVersion: string, mode: EscapeMode | 'ast', source: string): string {
  return createHash('sha256').update(`${handlebarsVersion}\0${mode}\0${source}`).digest('base64url');
}

/**
 * A precompiled file, read on first use (a worker may render nothing for hours, and the file is
 * ~1 MB); a missing or unreadable one, or one for another Handlebars, is no cache at all.
 */
export function readPrecompiled(file: string | URL, handlebarsVersion: string): PrecompiledTemplates {
  let parsed: PrecompiledFile | null | undefined;
  const load = (): PrecompiledFile | null => {
    if (parsed !== undefined) return parsed;
    try {
      parsed = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PrecompiledFile) : null;
    } catch {
      parsed = null;
    }
    if (parsed?.handlebars !== handlebarsVersion) parsed = null;
    return parsed;
  };
  return {
    get(mode, source) {
      const code = load()?.templates[keyOf(handlebarsVersion, mode, source)];
      // The code is Handlebars' own output, written by our build: evaluating it is what
      // Handlebars.compile does with the same code.
      return code === undefined ? undefined : (new Function(`return ${code}`)() as object);
    },
    ast(source) {
      const json = load()?.asts?.[keyOf(handlebarsVersion, 'ast', source)];
      return json === undefined ? undefined : (JSON.parse(json) as hbs.AST.Program);
    },
  };
}

/** The escape mode a template file is compiled in, from its name (as the engine renders it). */
export function modeOfFile(relative: string): EscapeMode {
  if (relative.endsWith('.slack.hbs')) return 'slack';
  if (relative.endsWith('.email.hbs') || relative === '_layout/email.hbs') return 'html';
  return 'plain';
}

function hbsFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const relative = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) return hbsFiles(dir, relative);
    return e.name.endsWith('.hbs') ? [relative] : [];
  });
}

/**
 * Precompiles every `.hbs` file under `dir` as written, in the mode its name implies, into `out`.
 * (Email sources whose CSS is inlined at render time differ from the files, so they miss and
 * compile on first use in the worker, once per process.)
 */
export function writePrecompiled(
  dir: string,
  out: string,
  compiler: { version: string; precompile(source: string, mode: EscapeMode): string; parse(source: string): hbs.AST.Program },
): number {
  const templates: Record<string, string> = {};
  const asts: Record<string, string> = {};
  for (const relative of hbsFiles(dir).sort()) {
    const mode = modeOfFile(relative);
    const source = readFileSync(join(dir, relative), 'utf8');
    try {
      templates[keyOf(compiler.version, mode, source)] = compiler.precompile(source, mode);
      asts[keyOf(compiler.version, 'ast', source)] = JSON.stringify(compiler.parse(source));
    } catch {
      // A template with a syntax error is left out: it fails, with its message, where it is used.
    }
  }
  const file: PrecompiledFile = { handlebars: compiler.version, templates, asts };
  writeFileSync(out, `${JSON.stringify(file)}\n`);
  return Object.keys(templates).length;
}
