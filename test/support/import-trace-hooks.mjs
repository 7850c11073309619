// Module-loader hooks for import-trace.mjs (they run on Node's loader thread).
import { appendFileSync } from 'node:fs';

const file = process.env.HERALD_IMPORT_TRACE;

export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (file) appendFileSync(file, `${r.url}\n`);
  return r;
}
