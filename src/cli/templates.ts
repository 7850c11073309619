import { fileURLToPath } from 'node:url';
import type { CommSpec, Plan } from '../domain/plan/model.ts';
import { createTemplateEngine, type TemplateEngine } from '../templates/engine.ts';

/** The built-in templates shipped in the package's top-level templates/ folder. */
export const BUILTIN_TEMPLATES = fileURLToPath(new URL('../../templates', import.meta.url));

let engine: TemplateEngine | undefined;
export function builtinEngine(publicUrl?: string): TemplateEngine {
  return (engine ??= createTemplateEngine(publicUrl === undefined ? { dir: BUILTIN_TEMPLATES } : { dir: BUILTIN_TEMPLATES, publicUrl }));
}

/** The plan validator's hook: each message becomes an issue at the comm's `template` line. */
export function planTemplateCheck(): (comm: CommSpec, plan?: Plan) => string[] {
  const e = builtinEngine();
  return (comm, plan) => e.check(comm, plan);
}
