// `npm run build` (also run by `npm ci` through "prepare", and by `npm test`): compiles src/ and
// jobs/ into dist/ (tsconfig.build.json), then writes dist/.build-stamp, by which bin/herald.js
// tells a current build from a stale one. `--if-stale` compiles only when the build is not current.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildIsCurrent, STAMP } from '../bin/build-state.js';

const rootUrl = new URL('..', import.meta.url);
const root = fileURLToPath(rootUrl);
const tsc = `${root}node_modules/typescript/bin/tsc`;
if (process.argv.includes('--if-stale') && buildIsCurrent(rootUrl)) process.exit(0);
if (!existsSync(tsc)) {
  console.log('typescript is not installed (production install?): skipping the build');
  process.exit(0);
}
// The stamp carries the time the compile started: a source saved during it counts as newer.
const startedAt = new Date();
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
mkdirSync(`${root}dist`, { recursive: true });
// The built-in templates, precompiled for the compiled build (src/templates/precompiled.ts).
// The Docker build stage has no templates/ folder; its image then compiles them on first use.
if (existsSync(`${root}templates`)) {
  const { TemplateCompiler } = await import('../dist/src/templates/compile.js');
  const { writePrecompiled } = await import('../dist/src/templates/precompiled.js');
  const compiler = new TemplateCompiler();
  writePrecompiled(`${root}templates`, `${root}dist/templates.precompiled.json`, {
    version: TemplateCompiler.version,
    precompile: (s, m) => compiler.precompile(s, m),
    parse: (s) => compiler.parse(s),
  });
}
writeFileSync(`${root}${STAMP}`, `${startedAt.toISOString()}\n`);
utimesSync(`${root}${STAMP}`, startedAt, startedAt);
