import type { Config } from '../config/config.ts';
import { packagePath } from '../package-root.ts';
import { createTemplateEngine, type TemplateEngine } from './engine.ts';

/** The built-in templates shipped in the package's top-level templates/ folder. */
export const BUILTIN_TEMPLATES = packagePath('templates');

/**
 * The engine over the built-in templates. Apart from src/main.ts (which re-exports it) so that
 * `herald validate` can check templates without loading the queue, channels and database.
 */
export function buildEngine(config: Pick<Config, 'PUBLIC_URL'>): TemplateEngine {
  return createTemplateEngine({ dir: BUILTIN_TEMPLATES, publicUrl: config.PUBLIC_URL });
}
