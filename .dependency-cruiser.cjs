// Herald's layering, checked by `npm run lint:deps` (part of `npm run lint`); docs/architecture.md
// explains the layers. Paths are resolved files, so `../db/x.ts` and `src/db/x.ts` are the same.

/** Node built-ins that do I/O (sockets, files, processes, threads): never in the pure core. */
const IO_BUILTINS = '^(node:)?(fs|fs/promises|net|http|https|http2|tls|dgram|dns|dns/promises|child_process|cluster|worker_threads|readline|repl|inspector)$';

/** npm packages that talk to the outside: database, queue, Redis, Slack, mail, HTTP server, metrics, logs. */
const IO_PACKAGES = [
  'pg',
  'pg-copy-streams',
  'ioredis',
  'bullmq',
  '@prisma',
  '@electric-sql',
  'pglite-prisma-adapter',
  '@slack',
  'nodemailer',
  'imapflow',
  'mailparser',
  'smtp-server',
  'fastify',
  '@fastify',
  'fastify-type-provider-zod',
  '@bull-board',
  'ws',
  'pino',
  'prom-client',
].map((name) => `node_modules/${name}/`);

/** The Prisma client and every database driver or adapter: only src/db may import them. */
const DATABASE_CLIENT = [
  '^src/generated/',
  'node_modules/@prisma/client/',
  'node_modules/@prisma/adapter-pg/',
  'node_modules/@prisma/driver-adapter-utils/',
  'node_modules/pg/',
  'node_modules/pg-copy-streams/',
  'node_modules/@electric-sql/pglite/',
  'node_modules/pglite-prisma-adapter/',
];

/** Production code: what the layering rules are about (tests, benches and scripts may seed and inspect). */
const PRODUCTION = '^(src|jobs|bin)/';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'src/domain is the pure core: it takes `now` and data and returns data. No I/O module, no database, queue, ' +
        'Slack, mail or HTTP package, and no other layer of Herald (those depend on the domain, not the other way).',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        path: [
          IO_BUILTINS,
          ...IO_PACKAGES,
          '^src/(app|db|http|channels|cli|main|sandbox|demo|templates|config|metrics|net|fs|generated)/',
          '^src/(main|logger|close-in-order)\\.ts$',
          '^jobs/',
        ],
      },
    },
    {
      name: 'prisma-only-in-db',
      comment:
        'Only src/db talks to the database: the Prisma client (src/generated/prisma, @prisma/client), its adapters and ' +
        'the pg/PGlite drivers are imported there and nowhere else in production code. Use cases get stores through ports.',
      severity: 'error',
      from: { path: PRODUCTION, pathNot: ['^src/db/', '^src/generated/'] },
      to: { path: DATABASE_CLIENT },
    },
    {
      name: 'http-not-to-jobs',
      comment: 'Routes call use cases (src/app) and enqueue through the delivery-queue port; they never import jobs/.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^jobs/' },
    },
    {
      name: 'http-not-to-db',
      comment:
        'Routes and pages call use cases (src/app) and the stores src/main hands them; they never open, query or wire the ' +
        'database themselves. Naming a store type from src/db (a type-only import) is fine. A busy database is told ' +
        'from a bug by what src/main passes in: the classifier HttpDeps.isDatabaseBusy, and stores.retrying for the Slack listeners.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/db/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'http-no-database-handle',
      comment:
        'Not even the type of a connection: a route that holds a Database, a transaction or a SQL client can query ' +
        'around the stores. Routes get use cases and stores, which src/main builds.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/db/(database|transaction|repo/sql-client)\\.ts$' },
    },
    {
      name: 'app-not-to-adapters',
      comment:
        'Use cases (src/app) declare ports and receive their implementations; they import the domain, templates and ' +
        'their own ports, never a store, a route, a command, a processor or the composition root.',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: ['^src/(db|http|cli|main|sandbox|demo|generated)/', '^src/main\\.ts$', '^jobs/'] },
    },
    {
      name: 'db-not-to-outer-layers',
      comment: 'Stores implement the ports of src/app; they do not call routes, commands, channels, processors or the composition root.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: ['^src/(http|cli|main|channels|sandbox|demo)/', '^src/main\\.ts$', '^jobs/'] },
    },
    {
      name: 'channels-not-to-outer-layers',
      comment: 'A channel is an adapter behind src/channels/channel.ts: it renders and sends, and knows no use case, store or route.',
      severity: 'error',
      from: { path: '^src/channels/' },
      to: { path: ['^src/(app|db|http|cli|main|generated)/', '^src/main\\.ts$', '^jobs/'] },
    },
    {
      name: 'jobs-not-to-http-or-cli',
      comment: 'Processors parse a payload and call a use case; they do not import routes or commands.',
      severity: 'error',
      from: { path: '^jobs/' },
      to: { path: ['^src/(http|cli)/'] },
    },
    {
      name: 'composition-root-at-the-edge',
      comment: 'src/main builds every adapter, cache, queue and closer. Only the command line (src/cli) starts it; nothing it ' + 'wires may import it back.',
      severity: 'error',
      from: { path: PRODUCTION, pathNot: ['^src/cli/', '^src/main/', '^src/main\\.ts$', '^bin/'] },
      to: { path: ['^src/main/', '^src/main\\.ts$'] },
    },
    {
      name: 'cli-actions-get-adapters-from-context',
      comment:
        'A one-shot command receives the database, the queues and the template engine in its context (src/cli/context.ts), ' +
        'which src/main/cli.ts builds; it never imports src/main/cli.ts itself.',
      severity: 'error',
      from: { path: '^src/cli/actions/' },
      to: { path: '^src/main/cli\\.ts$' },
    },
    {
      name: 'production-not-to-tests',
      comment: 'Nothing that ships imports test/, bench/ or scripts/.',
      severity: 'error',
      from: { path: PRODUCTION },
      to: { path: '^(test|bench|scripts)/' },
    },
    {
      name: 'production-not-to-dev-dependencies',
      comment: 'The image installs production dependencies only (npm ci --omit=dev); a type-only import is fine.',
      severity: 'error',
      // Two deliberate exceptions: bin/herald.js falls back to tsx (a dev dependency) only in a checkout whose
      // build is stale, and src/db/schema-engine.ts is developer tooling (see the rule below).
      from: { path: PRODUCTION, pathNot: ['^src/generated/', '^src/db/schema-engine\\.ts$', '^bin/herald\\.js$'] },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'schema-engine-is-dev-tooling',
      comment:
        "src/db/schema-engine.ts runs Prisma's WebAssembly schema engine for `npm run db:diff` and the migration test; " +
        'it needs dev dependencies, so nothing that ships may import it.',
      severity: 'error',
      from: { path: PRODUCTION, pathNot: '^src/db/schema-engine\\.ts$' },
      to: { path: '^src/db/schema-engine\\.ts$' },
    },
    {
      name: 'no-circular',
      comment:
        'Import cycles make load order matter and hide layering mistakes. A type two modules share belongs to the one ' +
        'that owns it (a port, a page list, a processor), imported by the other.',
      severity: 'error',
      from: { pathNot: '^src/generated/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '^src/generated/'] },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mjs', '.js', '.cjs', '.d.ts', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
