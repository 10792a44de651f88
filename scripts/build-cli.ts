// Bundles the apex CLI and the usage writer's worker into out/cli/. Running the
// bundle instead of the TypeScript sources keeps Node's type-stripping compiler
// (about 15 MB per thread) and some 300 module records out of a long-running
// proxy's memory. Dependencies stay external: they load from node_modules as usual.
import { build } from 'esbuild';

const started = performance.now();
await build({
  entryPoints: {
    apex: 'server/main.ts',
    'usage-writer-worker': 'analytics/writer/worker.ts',
    'import-worker': 'analytics/import/import-worker.ts',
    'import-parse-worker': 'analytics/import/parse-worker.ts',
    'savings-report-worker': 'analytics/proof/report-worker.ts',
    'embedder-worker': 'proxy/optimizers/semantic/embedder-worker.ts',
    'desktop-entry': 'server/desktop-entry.ts',
  },
  outdir: 'out/cli',
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node22',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
console.log(`built out/cli in ${Math.round(performance.now() - started)} ms`);
