import { defineConfig } from 'prisma/config';

// Prisma 7 reads the connection URL here, not from schema.prisma. Herald applies its own
// migrations (src/db/migrate.ts), so this is only used by `prisma generate` and tooling.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald' },
});
