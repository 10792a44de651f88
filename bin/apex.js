#!/usr/bin/env -S node --max-semi-space-size=2 --max-old-space-size=128
// The heap flags keep a busy proxy's memory small and flat: a small young
// generation and a modest old-space ceiling make V8 collect garbage early
// instead of growing the heap under load (the live heap is ~20 MB).
//
// Runs the bundle built by `npm run build` (npm ci runs it through `prepare`);
// without one, runs the TypeScript sources directly (Node 22.18+ strips types).
import { existsSync } from 'node:fs';

const bundle = new URL('../out/cli/apex.js', import.meta.url);
await import(existsSync(bundle) ? bundle.href : '../server/main.ts');
