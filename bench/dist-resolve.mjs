// The resolve hook of bench/dist-hooks.mjs: <root>/src|jobs/<path>.ts → <root>/dist/src|jobs/<path>.js.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('..', import.meta.url).href;

export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  const m = r.url.startsWith(root) ? /^(src|jobs)\/(.*)\.ts$/.exec(r.url.slice(root.length)) : null;
  if (!m) return r;
  const compiled = `${root}dist/${m[1]}/${m[2]}.js`;
  if (!existsSync(fileURLToPath(compiled))) throw new Error(`BENCH_WORKER_BUILD=dist: ${compiled} is missing; run npm run build`);
  return { ...r, url: compiled, format: 'module' };
}
