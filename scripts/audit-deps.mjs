#!/usr/bin/env node
// `npm run audit:deps`: the production dependencies against the registry's advisories
// (`npm audit --omit=dev`) when the registry answers the audit endpoint; otherwise, and always,
// a check of the lockfile itself. Exits 1 on a high or critical advisory without a written
// exception below, or on a lockfile that could install something other than the reviewed,
// hashed registry tarballs. Each exception is explained in README "Dependencies".
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Advisories accepted on purpose: GitHub advisory id (GHSA-…) → why it does not apply to Herald. */
const ADVISORY_EXCEPTIONS = {};

/** Packages allowed to run an install script: name → why. A new one fails the check until reviewed. */
const INSTALL_SCRIPT_EXCEPTIONS = {
  '@prisma/engines': 'downloads the Prisma schema/query engine binaries for this platform (Prisma 7, our ORM)',
  prisma: 'the Prisma CLI checks its engines on install',
  esbuild: "installs the platform's esbuild binary (dev only: tsx runs tests and scripts)",
  'msgpackr-extract': "builds or picks msgpackr's optional native extension (BullMQ's serializer); it falls back to JavaScript",
  'vnu-jar': 'dev only (the W3C HTML checker of the e-mail tests): fetches a Java runtime into node_modules/.cache when no java is installed',
};

const REGISTRY = 'https://registry.npmjs.org/';
const problems = [];

function runAudit() {
  const r = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', timeout: 120_000 });
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    return { available: false, why: (r.stderr || r.error?.message || 'no answer').trim().split('\n')[0] };
  }
  if (!report.vulnerabilities) return { available: false, why: report.error?.summary || report.message || 'the registry did not answer the audit request' };
  for (const [name, v] of Object.entries(report.vulnerabilities)) {
    if (v.severity !== 'high' && v.severity !== 'critical') continue;
    for (const via of v.via) {
      if (typeof via !== 'object') continue; // reached through another vulnerable package, reported there
      const id = /GHSA-[\w-]+/.exec(via.url ?? '')?.[0] ?? String(via.source);
      if (ADVISORY_EXCEPTIONS[id]) console.log(`audit: ${name} ${id} (${v.severity}) accepted: ${ADVISORY_EXCEPTIONS[id]}`);
      else
        problems.push(
          `${name}: ${v.severity} advisory ${id} "${via.title}" (${via.url}); upgrade it, or add a written exception to scripts/audit-deps.mjs and README "Dependencies"`,
        );
    }
  }
  const m = report.metadata?.vulnerabilities ?? {};
  console.log(`audit: npm audit --omit=dev: ${m.critical ?? 0} critical, ${m.high ?? 0} high, ${m.moderate ?? 0} moderate, ${m.low ?? 0} low`);
  return { available: true };
}

function checkManifest() {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    for (const [name, spec] of Object.entries(pkg[field] ?? {})) {
      // A semver range or exact version from the registry; not git, a URL, a path or a GitHub shorthand.
      if (!/^[\^~]?\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec))
        problems.push(`package.json ${field}.${name}: "${spec}" is not a registry version range (^x.y.z, ~x.y.z or x.y.z)`);
    }
  }
}

function checkLockfile() {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
  if (lock.lockfileVersion < 2) problems.push(`package-lock.json: lockfileVersion ${lock.lockfileVersion}; regenerate it with npm 9 or later`);
  let count = 0;
  for (const [path, p] of Object.entries(lock.packages ?? {})) {
    if (path === '') continue;
    count++;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    if (p.link) problems.push(`${path}: a link to ${p.resolved}, not a registry package`);
    // `resolved` is omitted for the default registry (omit-lockfile-registry-resolved); when present it must be that registry.
    if (p.resolved && !p.resolved.startsWith(REGISTRY)) problems.push(`${path}: resolved from ${p.resolved}, not ${REGISTRY}`);
    if (!/^sha512-[A-Za-z0-9+/]+=*$/.test(p.integrity ?? '')) problems.push(`${path}: no sha512 integrity hash, so npm ci cannot verify the tarball`);
    if (p.hasInstallScript && !INSTALL_SCRIPT_EXCEPTIONS[name])
      problems.push(`${path}: runs an install script; review it and add it to INSTALL_SCRIPT_EXCEPTIONS in scripts/audit-deps.mjs and README "Dependencies"`);
  }
  console.log(`audit: lockfile: ${count} packages checked (registry tarball, sha512 hash, install scripts only where excepted)`);
}

const audit = runAudit();
if (!audit.available) console.log(`audit: npm audit unavailable (${audit.why}); the lockfile check below stands in for it`);
checkManifest();
checkLockfile();
if (problems.length) {
  for (const p of problems) console.error(`audit: ${p}`);
  process.exit(1);
}
console.log('audit: ok');
