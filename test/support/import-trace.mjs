// `node --import ./test/support/import-trace.mjs …` writes to the file named by
// HERALD_IMPORT_TRACE every module the process loaded, one URL or path a line: ES modules as a
// loader hook resolves them, CommonJS ones (also those required inside packages, which no ESM
// hook sees) from the require cache at exit. Tests use it to prove a command does not load what
// it does not need.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const file = process.env.HERALD_IMPORT_TRACE;
if (file) {
  register('./import-trace-hooks.mjs', import.meta.url);
  const cache = createRequire(import.meta.url).cache;
  process.on('exit', () =>
    appendFileSync(
      file,
      Object.keys(cache)
        .map((p) => `${p}\n`)
        .join(''),
    ),
  );
}
