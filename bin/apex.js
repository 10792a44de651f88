#!/usr/bin/env node
// Node 22.18+ runs the TypeScript sources directly (type stripping), so the CLI needs no build step.
import { main } from '../server/cli.ts';

await main();
