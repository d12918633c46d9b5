# The image for the API and the worker (docker-compose.yml runs both from it).

# The admin UI is built with Vite in a stage of its own (its packages are all build-time
# devDependencies); only its static files reach the image. `npm ci` builds it (the root
# `prepare` script); the runtime stage's `npm ci --omit=dev` has no Vite and skips that.
FROM node:20-bookworm-slim AS admin
WORKDIR /build
COPY . .
RUN npm ci --no-audit --no-fund && test -f apps/admin/dist/index.html && node scripts/runtime.mjs --check

FROM node:20-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production \
    TURBO_TELEMETRY_DISABLED=1 \
    DO_NOT_TRACK=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    CAIRN_DATA_DIR=/data

# Manifests first, so that the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json .npmrc ./
COPY apps/api/package.json apps/api/
COPY apps/admin/package.json apps/admin/
COPY apps/cli/package.json apps/cli/
COPY ingest/package.json ingest/
COPY packages/core/package.json packages/core/
COPY packages/store/package.json packages/store/
COPY packages/embed/package.json packages/embed/
COPY packages/retrieve/package.json packages/retrieve/
COPY packages/answer/package.json packages/answer/
COPY packages/runtime/package.json packages/runtime/
COPY packages/mcp/package.json packages/mcp/
COPY packages/text/package.json packages/text/
COPY packages/testing/package.json packages/testing/
COPY packages/starter-corpus/package.json packages/starter-corpus/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY . .
COPY --from=admin /build/apps/admin/dist apps/admin/dist
# The compiled runtime (scripts/runtime.mjs), built by the same `npm ci` from the same sources,
# and the installation cache it made: the word-vector table and the starter snapshot.
COPY --from=admin /build/dist dist
COPY --from=admin /build/node_modules/.cache/cairn node_modules/.cache/cairn
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# The API's launcher (what `npm start` and `cairn serve` run): dist/api.js, compiled JavaScript.
# glibc's allocator with its thresholds fixed (apiMallocSettings in packages/core): large
# blocks in mappings of their own, given back when freed, instead of kept in the heap and
# the threads' arenas: 329 -> 301 MiB after 1,000 answers (docs/benchmarks.md, session 18).
ENV MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072
CMD ["node", "--max-semi-space-size=4", "--optimize-for-size", "--wasm-tiering-budget=300000000", "apps/api/bin/cairn-api.js"]
