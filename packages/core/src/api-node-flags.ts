/**
 * Node's flags for the API's process (npm start, cairn serve, the Docker image, the benches):
 * a young generation of 4 MB per semi-space (Node's default is 16). The API allocates in
 * short bursts per request; with the default, each of its threads (the API's, PGlite's, the
 * extraction's) kept up to 32 MB of young-generation pages resident. Measured: 340-346 -> 290
 * MB resident after start, 362-389 -> 308 MB after 300 answers, no slower per answer
 * (docs/benchmarks.md). A V8 flag of the heap's set-up: it must be on the command line.
 */
export const apiNodeFlags = ['--max-semi-space-size=4'];
