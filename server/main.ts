// Entry point of the apex CLI, bundled into out/cli/apex.js by scripts/build-cli.ts.
import { main } from './cli.ts';

await main();
