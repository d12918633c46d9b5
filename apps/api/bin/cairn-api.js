#!/usr/bin/env node
// The API's entry point, as `npm start` and `cairn serve` run it: the compiled runtime
// (dist/api.js) while it is current, else the TypeScript sources through tsx
// (scripts/runtime.mjs says how it decides).
import { launch } from '../../../scripts/runtime.mjs';

await launch('api');
