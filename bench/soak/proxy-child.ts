// The proxy under soak, alone in its own process (run with --expose-gc) so that the load generator
// does not distort its memory. Started with the config file's path; prints "ready <port>", then
// answers the parent's IPC messages: "sample" (heap after a forced GC, RSS, open sockets),
// "outcomes" (usage events counted by status and error class) and "stop".
import diagnostics from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import type { Agent, ClientRequest, Server } from 'node:http';
import type { UsageEvent } from '../../contracts/usage.ts';
import { parseConfigText } from '../../proxy/config/load.ts';
import { startProxy } from '../../proxy/index.ts';
import type { ProxySample } from './samples.ts';

/** startProxy keeps its server and upstream agents to itself: diagnostics channels show them. */
let server: Server | null = null;
const agents = new Set<Agent>();
diagnostics.subscribe('http.server.request.start', (message) => {
  server ??= (message as { server: Server }).server;
});
diagnostics.subscribe('http.client.request.start', (message) => {
  const agent = (message as { request: ClientRequest & { agent?: Agent } }).request.agent;
  if (agent) agents.add(agent);
});

const outcomes = new Map<string, number>();
let recorded = 0;

function count(event: UsageEvent): void {
  recorded++;
  const key = `${event.status} ${event.errorClass ?? '-'}`;
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
}

function sockets(pool: Record<string, unknown[] | undefined>): number {
  return Object.values(pool).reduce((sum, list) => sum + (list?.length ?? 0), 0);
}

async function sample(): Promise<ProxySample> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the proxy child with --expose-gc');
  gc();
  const memory = process.memoryUsage();
  const resources = process.getActiveResourcesInfo();
  const connections = await new Promise<number>((resolve) =>
    server ? server.getConnections((_error, open) => resolve(open)) : resolve(0),
  );
  let active = 0;
  let free = 0;
  let queued = 0;
  for (const agent of agents) {
    active += sockets(agent.sockets);
    free += sockets(agent.freeSockets);
    queued += sockets(agent.requests);
  }
  return {
    heapUsedMb: memory.heapUsed / 2 ** 20,
    rssMb: memory.rss / 2 ** 20,
    tcpSockets: resources.filter((name) => name === 'TCPSocketWrap' || name === 'TCPWRAP').length,
    timers: resources.filter((name) => name === 'Timeout').length,
    serverConnections: connections,
    agentActive: active,
    agentFree: free,
    agentQueued: queued,
    eventsRecorded: recorded,
  };
}

async function main(): Promise<void> {
  const configFile = process.argv[2];
  if (!configFile) throw new Error('usage: proxy-child.ts <config.json>');
  const config = parseConfigText(readFileSync(configFile, 'utf8'), configFile);
  const proxy = await startProxy({
    config,
    port: 0,
    sink: { record: count },
    logger: { warn: () => undefined, error: (details, message) => console.error(message, details) },
  });
  process.on('message', (message: { type: string; id: number }) => {
    const reply = (body: object) => process.send?.({ id: message.id, ...body });
    if (message.type === 'sample') void sample().then((taken) => reply({ sample: taken }));
    else if (message.type === 'outcomes') reply({ outcomes: Object.fromEntries(outcomes), recorded });
    else if (message.type === 'stop') void proxy.close(1_000).then(() => process.exit(0));
  });
  process.stdout.write(`ready ${proxy.port}\n`);
}

await main();
