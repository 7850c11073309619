FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
# Dev dependencies included: `prisma generate` (postinstall) writes the client at install time.
RUN npm ci --include=dev --no-audit --no-fund
ENV NODE_ENV=production
COPY . .
USER node
EXPOSE 3000
ENTRYPOINT ["node", "bin/herald.js"]
CMD ["serve"]
