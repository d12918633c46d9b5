#!/usr/bin/env node
// The `cairn` command: the compiled runtime (dist/cairn.js) while it is current, else the
// TypeScript sources through tsx (scripts/runtime.mjs says how it decides).
import { setFlagsFromString } from 'node:v8';
import { launch } from '../../../scripts/runtime.mjs';

// The one flag of the API's (apiNodeFlags in @cairn/core) that V8 still takes once running,
// before any WebAssembly is compiled: commands that open the embedded database (search, ask,
// ingest, eval) would otherwise spend about 1 – 2 s more CPU tiering PGlite's Postgres up to
// TurboFan as it starts (`cairn search`: 3.6 – 3.9 s of CPU without it, 1.9 – 2.6 s with it).
setFlagsFromString('--wasm-tiering-budget=300000000');

await launch('cairn');
