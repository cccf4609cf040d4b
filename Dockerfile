# syntax=docker/dockerfile:1
# Production image: Next.js standalone output on Node 24 LTS, run as a non-root user.
# Build: docker build -t credits-ai-studio .   Run: see docker-compose.yml and docs/deploy.md.
# The COPY --from=build lines of the last stage are what tests/http/standalone.test.ts
# copies into a fresh folder and starts, so keep them in that form.

FROM node:24.22.3-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM node:24.22.3-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 NEXT_OUTPUT=standalone
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build

FROM node:24.22.3-bookworm-slim AS runner
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    PGLITE_DATA_DIR=/app/data/pglite
RUN groupadd --system --gid 1001 app \
 && useradd --system --uid 1001 --gid app --no-create-home app \
 && mkdir -p /app/data \
 && chown app:app /app/data
# server.js and the traced node_modules (PGlite's wasm and data files included).
COPY --from=build --chown=app:app /app/.next/standalone ./
COPY --from=build --chown=app:app /app/.next/static ./.next/static
COPY --from=build --chown=app:app /app/public ./public
# Migrations: applied at start (DB_MIGRATE_ON_START=true, advisory-locked) or checked (false).
COPY --from=build --chown=app:app /app/drizzle ./drizzle
USER app
EXPOSE 3000
# PGlite's data folder (only used without DATABASE_URL; one container at a time).
VOLUME ["/app/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "server.js"]
