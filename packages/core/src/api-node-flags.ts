/**
 * Node's flags for the API's process (npm start, cairn serve, the Docker image, the benches).
 * V8 flags of the heap's set-up: they must be on the command line.
 *
 * - `--max-semi-space-size=4`: a young generation of 4 MB per semi-space (Node's default is
 *   16). The API allocates in short bursts per request; with the default, each of its threads
 *   (the API's, PGlite's, the extraction's) kept up to 32 MB of young-generation pages
 *   resident. Measured: 340-346 -> 290 MB resident after start, 362-389 -> 308 MB after 300
 *   answers, no slower per answer.
 * - `--optimize-for-size`: V8 grows the old generation less before it collects. Without it
 *   the API's heap held up to 150 MB of garbage after a few thousand answers (its live heap
 *   stays about 50 MB: a full collection brought it back), so resident memory kept rising by
 *   30-90 MB a thousand answers. Measured over 1,000 / 2,000 / 3,000 answers on PGlite:
 *   341 / 362 / 416 MB -> 286 / 290 / 294 MB, at 43-48 answers a second against 52-55
 *   (docs/benchmarks.md).
 * - `--wasm-tiering-budget=300000000` (V8's default is 1,800,000): how much of a WebAssembly
 *   function runs on V8's baseline code (Liftoff) before it is compiled again with TurboFan.
 *   At the default, PGlite's start (Postgres in a 9 MB module) sent so many functions to
 *   TurboFan that V8's compiler threads took 2 – 3 s of CPU in the first 4 s, on a 2-core
 *   machine, against the API's and PGlite's own threads: warm start to first answer 3.7 – 4.1 s,
 *   2.9 – 3.0 s with this budget (1.8 s of CPU less), 2.7 – 2.8 s with no TurboFan at all
 *   (`--liftoff-only`, which made retrieval on PGlite 30% slower for good). The functions
 *   that stay hot under load still reach TurboFan: retrieval's p50 on PGlite did not move
 *   (docs/benchmarks.md, session 22).
 *   The `cairn` command sets this one flag itself (apps/cli/bin/cairn.js, through
 *   v8.setFlagsFromString before anything is compiled), as V8 takes it once running: its
 *   commands that open the embedded database took about 1 – 2 s of CPU less (session 23).
 */
export const apiNodeFlags = ['--max-semi-space-size=4', '--optimize-for-size', '--wasm-tiering-budget=300000000'];

/**
 * glibc allocator settings for the API's process (npm start, cairn serve, the Docker image,
 * the benches), read by glibc as the process starts, so they must be in its environment.
 *
 * glibc raises its mmap threshold to the size of each large block freed (up to 32 MB), after
 * which blocks of that size come from the heap and each thread's arena instead of their own
 * mappings; what is freed there stays resident while a live block sits above it. The API
 * moves many such blocks (PGlite's results and statements between its thread and the API's,
 * extraction's pages, the starter snapshot as it is unpacked), so after start its allocator
 * held 130 MB of the process's 310 MB resident (the main heap 79 MB, four thread arenas 54 MB).
 * Setting both thresholds fixes them at their defaults (128 KB): larger blocks get mappings
 * of their own, returned when freed, and the heap's free top is given back. Measured with
 * the embedded bench's memory part (docs/benchmarks.md, session 18): after 1,000 answers
 * 329 / 330 / 347 / 324 MiB -> 301 / 266 / 301 / 316 MiB, the peak through a 1,000-page
 * ingest 432 / 440 / 459 / 417 -> 409 / 346 / 396 / 412 MiB. Two arenas instead
 * (`MALLOC_ARENA_MAX=2`, the Docker image's setting before) measured 350 MiB. Other
 * allocators (musl, macOS) ignore these variables.
 */
export const apiMallocSettings: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: '131072',
  MALLOC_TRIM_THRESHOLD_: '131072',
};

/** `environment` with apiMallocSettings added, each where it does not set that variable already (an empty value counts as unset, as in npm start's `${NAME:-value}`). */
export function withApiMallocSettings<T extends Record<string, string | undefined>>(environment: T): T & Record<string, string> {
  const added = Object.fromEntries(Object.entries(apiMallocSettings).filter(([name]) => !environment[name]));
  return { ...environment, ...added } as T & Record<string, string>;
}
