# Herald's image, in three stages. CI has no Docker engine, so `npm run image:check`
# (scripts/dockerfile-dry-run.ts) runs these same steps outside Docker: keep RUN lines relative
# to WORKDIR and COPY sources inside the build context.

# 1. Build: every dependency, the Prisma client generated (postinstall) and TypeScript compiled to
#    dist/ (prepare), as `npm ci` does in a checkout.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json prisma.config.ts ./
COPY bin ./bin
COPY scripts ./scripts
COPY prisma ./prisma
COPY src ./src
COPY jobs ./jobs
# For the build's precompiled templates (dist/templates.precompiled.json); the image copies its own.
COPY templates ./templates
RUN npm ci --no-audit --no-fund && test -f dist/.build-stamp && mkdir -p .herald

# 2. Production dependencies only, installed apart so that no dev dependency reaches the image.
#    --omit=optional too: @prisma/client names the prisma CLI and typescript as optional peers,
#    which npm would otherwise keep (~100 MB); the prod optionals (msgpackr's native speed-up,
#    pg-cloudflare, uglify-js) all have pure-JS paths or are unused on Node.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund

# 3. The image: production dependencies and compiled code, run as the unprivileged `node` user.
#    No src/: bin/herald.js then runs dist/ without checking it against the sources.
FROM node:20-bookworm-slim
# HOST: inside a container the server must listen on every interface (Herald's own default is 127.0.0.1).
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY templates ./templates
COPY prisma/migrations ./prisma/migrations
COPY examples ./examples
COPY starters ./starters
COPY plan.schema.json ./
# The embedded database's folder (used when DATABASE_URL is not set), writable by `node`.
COPY --from=build --chown=node:node /app/.herald ./.herald
USER node
EXPOSE 3000
ENTRYPOINT ["node", "bin/herald.js"]
CMD ["serve"]
