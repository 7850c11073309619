import type { Config } from '../config/config.ts';
import { packagePath } from '../package-root.ts';
import { TemplateCompiler } from './compile.ts';
import { createTemplateEngine, type TemplateEngine } from './engine.ts';
import { readPrecompiled, type PrecompiledTemplates } from './precompiled.ts';

/** The built-in templates shipped in the package's top-level templates/ folder. */
export const BUILTIN_TEMPLATES = packagePath('templates');

/**
 * Where `npm run build` precompiles them (scripts/build.mjs). Read only by the compiled build
 * (this file as dist/src/templates/builtin.js): it was written beside that same code, while from
 * the sources (tsx, tests) `../../` is the repository root, which holds no such file.
 */
export const PRECOMPILED_FILE = new URL('../../templates.precompiled.json', import.meta.url);

let precompiled: PrecompiledTemplates | undefined;

/**
 * The engine over the built-in templates. Apart from src/main/adapters.ts (which re-exports it) so that
 * `herald validate` can check templates without loading the queue, channels and database.
 */
export function buildEngine(config: Pick<Config, 'PUBLIC_URL'>): TemplateEngine {
  precompiled ??= readPrecompiled(PRECOMPILED_FILE, TemplateCompiler.version);
  return createTemplateEngine({ dir: BUILTIN_TEMPLATES, publicUrl: config.PUBLIC_URL, precompiled });
}
