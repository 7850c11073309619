/**
 * npm run image:check — runs the Dockerfile outside Docker, so that a broken image recipe fails CI
 * (which has no Docker engine). Each stage gets a folder standing for its file system: COPY copies
 * from the build context (this checkout minus .dockerignore) or from an earlier stage, RUN runs in
 * the stage's WORKDIR with its ENV, using this machine's Node and npm (the base image itself is not
 * emulated). Then it checks the final stage: a non-root USER, no src/, no dev dependency in
 * node_modules, and its ENTRYPOINT runs `--version`, `validate` of the example plan and
 * `db migrate` on the embedded database.
 *
 * Understands the instructions the Dockerfile uses (FROM … AS, WORKDIR, COPY [--from] [--chown],
 * RUN, ENV, USER, EXPOSE, ENTRYPOINT, CMD) and fails on any other, so a new one gets support here.
 * Env: KEEP_DRY_RUN=1 keeps the folders (path printed).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const CONTEXT = fileURLToPath(new URL('..', import.meta.url));
const PLAN = 'examples/m365-migration.plan.yaml';

interface Stage {
  name: string;
  root: string;
  workdir: string;
  env: Record<string, string>;
  user?: string;
  entrypoint: string[];
  cmd: string[];
}

/** Instructions, one per logical line (continuations joined, comments dropped). */
export function parseDockerfile(text: string): Array<{ op: string; args: string; line: number }> {
  const out: Array<{ op: string; args: string; line: number }> = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let l = lines[i]!.trim();
    if (!l || l.startsWith('#')) continue;
    while (l.endsWith('\\') && i + 1 < lines.length) l = `${l.slice(0, -1).trim()} ${lines[++i]!.trim()}`;
    const m = /^(\S+)\s*(.*)$/.exec(l)!;
    out.push({ op: m[1]!.toUpperCase(), args: m[2]!, line: start });
  }
  return out;
}

/** A .dockerignore as a predicate on context-relative paths (plain paths and * ? ** globs; no `!`). */
export function dockerignore(text: string): (rel: string) => boolean {
  const res = text
    .split('\n')
    .map((p) => p.trim().replace(/^\/+|\/+$/g, ''))
    .filter((p) => p && !p.startsWith('#'))
    .map((p) => {
      if (p.startsWith('!')) throw new Error(`.dockerignore: exceptions ("${p}") are not supported by the dry run`);
      const body = p
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*/g, '\0')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]')
        .replace(/\0/g, '.*');
      return new RegExp(`^${body}(/|$)`);
    });
  return (rel) => res.some((r) => r.test(rel));
}

const words = (args: string): string[] => (args.trim().startsWith('[') ? (JSON.parse(args) as string[]) : args.trim().split(/\s+/));

function run(cmd: string[], cwd: string, env: Record<string, string>, what: string): string {
  const [bin, ...rest] = cmd;
  const r = spawnSync(bin === 'node' ? process.execPath : bin!, rest, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

export function dryRun(dockerfile: string, work: string): Stage {
  const ignored = dockerignore(existsSync(join(CONTEXT, '.dockerignore')) ? readFileSync(join(CONTEXT, '.dockerignore'), 'utf8') : '');
  const stages: Stage[] = [];
  let st: Stage | undefined;
  const inStage = (s: Stage, p: string): string => join(s.root, posix.resolve(s.workdir, p));
  for (const { op, args, line } of parseDockerfile(readFileSync(dockerfile, 'utf8'))) {
    const at = `Dockerfile:${line}: ${op} ${args}`;
    if (op === 'FROM') {
      const [image, as, name] = words(args);
      const base = stages.find((s) => s.name === image);
      st = {
        name: as?.toUpperCase() === 'AS' ? name! : String(stages.length),
        root: join(work, `stage-${stages.length}`),
        workdir: '/',
        env: { ...base?.env },
        entrypoint: [],
        cmd: [],
      };
      mkdirSync(st.root, { recursive: true });
      if (base) cpSync(base.root, st.root, { recursive: true });
      stages.push(st);
      console.log(`— stage ${st.name} (${image})`);
      continue;
    }
    if (!st) throw new Error(`${at}: before any FROM`);
    if (op === 'WORKDIR') {
      st.workdir = posix.resolve(st.workdir, args.trim());
      mkdirSync(join(st.root, st.workdir), { recursive: true });
    } else if (op === 'ENV') {
      const m = /^(\S+?)(?:=|\s+)(.*)$/.exec(args.trim());
      if (!m) throw new Error(`${at}: cannot read`);
      st.env[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
    } else if (op === 'COPY') {
      const parts = words(args);
      const flags = parts.filter((p) => p.startsWith('--'));
      const paths = parts.filter((p) => !p.startsWith('--'));
      const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
      const unknown = flags.filter((f) => !/^--(from|chown)=/.test(f));
      if (unknown.length || paths.length < 2) throw new Error(`${at}: unsupported form`);
      const dest = paths.pop()!;
      const source = from === undefined ? undefined : stages.find((s) => s.name === from);
      if (from !== undefined && !source) throw new Error(`${at}: no stage "${from}"`);
      for (const p of paths) {
        const src = source ? join(source.root, p) : join(CONTEXT, p);
        if (!source && (isAbsolute(p) || relative(CONTEXT, src).startsWith('..'))) throw new Error(`${at}: ${p} is outside the build context`);
        if (!existsSync(src) || (!source && ignored(relative(CONTEXT, src))))
          throw new Error(`${at}: ${p} not found${source ? ` in stage ${from}` : ' in the build context'}`);
        // Docker copies a folder's contents into dest, and a file into dest/ when dest ends in / or there are several sources.
        const target = statSync(src).isDirectory() || !(dest.endsWith('/') || paths.length > 1) ? inStage(st, dest) : join(inStage(st, dest), basename(p));
        mkdirSync(statSync(src).isDirectory() ? target : dirname(target), { recursive: true });
        cpSync(src, target, { recursive: true, filter: (f) => source !== undefined || !ignored(relative(CONTEXT, f)) });
      }
    } else if (op === 'RUN') {
      console.log(`  ${at}`);
      const t = performance.now();
      run(args.trim().startsWith('[') ? words(args) : ['sh', '-c', args], join(st.root, st.workdir), st.env, at);
      console.log(`    done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    } else if (op === 'USER') st.user = args.trim();
    else if (op === 'ENTRYPOINT') st.entrypoint = words(args);
    else if (op === 'CMD') st.cmd = words(args);
    else if (op !== 'EXPOSE') throw new Error(`${at}: instruction not supported by the dry run (add it to scripts/dockerfile-dry-run.ts)`);
  }
  if (!st) throw new Error('Dockerfile has no FROM');
  return st;
}

/** The final stage is the image: check what it holds and that it runs. */
function checkImage(image: Stage): void {
  const app = join(image.root, image.workdir);
  if (!image.user || image.user === 'root' || image.user.startsWith('0'))
    throw new Error(`the image runs as ${image.user ?? 'root'}; set USER to an unprivileged user`);
  if (existsSync(join(app, 'src'))) throw new Error('the image holds src/: it should hold compiled code only');
  // devOptional: a dev dependency that a production one names as an optional peer (prisma, typescript).
  const lock = JSON.parse(readFileSync(join(CONTEXT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };
  const dev = Object.entries(lock.packages).filter(([path, p]) => (p.dev || p.devOptional) && path.startsWith('node_modules/') && existsSync(join(app, path)));
  if (dev.length)
    throw new Error(
      `the image holds dev dependencies: ${dev
        .slice(0, 5)
        .map(([p]) => p.slice('node_modules/'.length))
        .join(', ')}${dev.length > 5 ? ', …' : ''}`,
    );
  const herald = (...args: string[]): string => run([...image.entrypoint, ...args], app, image.env, `the image's ENTRYPOINT ${args.join(' ')}`);
  console.log(`  herald --version: ${herald('--version').trim()}`);
  const valid = herald('validate', PLAN);
  if (!valid.includes('is valid')) throw new Error(`validate printed: ${valid}`);
  console.log(`  herald validate: ${valid.trim()}`);
  console.log(`  herald db migrate (embedded database): ${herald('db', 'migrate').trim().split('\n').join('; ')}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const work = mkdtempSync(join(tmpdir(), 'herald-image-'));
  const t = performance.now();
  try {
    checkImage(dryRun(join(CONTEXT, 'Dockerfile'), work));
    console.log(`image recipe ok (${((performance.now() - t) / 1000).toFixed(0)} s)`);
  } finally {
    if (process.env.KEEP_DRY_RUN === '1') console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}
