// `apex serve` on free loopback ports with no demo traffic and no output, for the control API suites.
import { serve, type RunningServe, type ServeOptions } from '../../server/serve.ts';

export function serveQuietly(
  options: { dataDir: string; controlToken: string } & Partial<ServeOptions>,
): Promise<RunningServe> {
  return serve({
    port: 0,
    controlPort: 0,
    host: '127.0.0.1',
    demoRate: 0,
    logRequests: false,
    logLevel: 'silent',
    print: () => undefined,
    ...options,
  });
}
