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
 */
export const apiNodeFlags = ['--max-semi-space-size=4', '--optimize-for-size'];
