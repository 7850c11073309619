import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's root folder, which holds package.json, templates/ and prisma/migrations. Found
 * from this file: it runs as src/package-root.ts (tsx, tests) or as dist/src/package-root.js (the
 * compiled build), so a fixed `../..` in each caller would be wrong for one of the two.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL(/\/dist\/src\/[^/]*$/.test(import.meta.url) ? '../..' : '..', import.meta.url));

/** A path inside the package, e.g. `packagePath('templates')`. */
export const packagePath = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);
