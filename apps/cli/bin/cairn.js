#!/usr/bin/env node
// The `cairn` command: the compiled runtime (dist/cairn.js) while it is current, else the
// TypeScript sources through tsx (scripts/runtime.mjs says how it decides).
import { launch } from '../../../scripts/runtime.mjs';

await launch('cairn');
