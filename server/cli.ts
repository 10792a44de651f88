import { Command, InvalidArgumentError, Option } from 'commander';
import { loadConfigFile } from '../proxy/config/load.ts';
import { runImportCommand } from './import-command.ts';
import { exportUsageLog } from './usage-export.ts';
import { defaultDataDir, storeFile } from './paths.ts';
import { REPORT_FORMATS, runReportCommand, type ReportFormat } from './report-command.ts';
import { serve } from './serve.ts';
import { parseSince, usageReport } from './usage-report.ts';

import packageJson from '../package.json' with { type: 'json' };

const { version } = packageJson;

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new InvalidArgumentError('expected a port from 0 to 65535');
  return n;
}

function rate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected requests per second >= 0');
  return n;
}

const dataDirOption = (): Option =>
  new Option('--data-dir <dir>', 'where the usage store lives')
    .env('APEX_DATA_DIR')
    .default(defaultDataDir());

export function buildProgram(): Command {
  const program = new Command('apex')
    .description('Netra Apex: see and cut what your team spends on AI')
    .version(version);
  program
    .command('serve')
    .description('run the LLM proxy (demo providers when no --config is given)')
    .addOption(new Option('--port <port>', 'proxy port').env('APEX_PORT').default(4000).argParser(port))
    .addOption(new Option('--host <host>', 'address to bind').env('APEX_HOST').default('127.0.0.1'))
    .addOption(
      new Option('--control-port <port>', 'control API and dashboard port')
        .env('APEX_CONTROL_PORT')
        .default(4100)
        .argParser(port),
    )
    .addOption(dataDirOption())
    .addOption(new Option('--config <file>', 'YAML or JSON config with real providers').env('APEX_CONFIG'))
    .addOption(
      new Option('--demo-rate <rps>', 'demo traffic per second (demo mode only)').default(2).argParser(rate),
    )
    .option('--log-requests', 'print one line per request (on by default in demo mode)')
    .option('--quiet', 'do not print request lines')
    .addOption(new Option('--log-level <level>', 'log level').env('APEX_LOG_LEVEL').default('info'))
    .action(runServe);
  addUsageCommand(program);
  addWedgeCommands(program);
  program
    .command('check-config <file>')
    .description('validate a config file and exit')
    .action(async (file: string) => {
      const { config } = await loadConfigFile(file);
      console.log(
        `${file}: ok (${Object.keys(config.providers).length} providers, ${config.models.length} models)`,
      );
    });
  return program;
}

function addUsageCommand(program: Command): void {
  program
    .command('usage')
    .description('print spend by provider and model from the usage store')
    .addOption(dataDirOption())
    .option('--since <duration>', 'only the last 30m, 24h, 7d, ...')
    .option('--demo', 'read the demo store instead of the real one')
    .option('--export <file>', "write the requests as Apex's request log (JSON lines) for `apex import`")
    .action(async (opts: { dataDir: string; since?: string; demo?: boolean; export?: string }) => {
      const since = opts.since === undefined ? undefined : parseSince(opts.since);
      const dbFile = storeFile(opts.dataDir, opts.demo === true);
      if (opts.export === undefined) console.log(usageReport(dbFile, since));
      else {
        const sinceMs = since === undefined ? undefined : Date.now() - since;
        const n = await exportUsageLog(dbFile, opts.export, sinceMs);
        console.log(`wrote ${n.toLocaleString('en-US')} requests to ${opts.export}`);
      }
    });
}

function addWedgeCommands(program: Command): void {
  program
    .command('import <files...>')
    .description('import bill and usage exports (format detected from content) into the analytics store')
    .addOption(dataDirOption())
    .action(async (files: string[], opts: { dataDir: string }) => {
      const ok = await runImportCommand(files, {
        dataDir: opts.dataDir,
        progress: process.stderr.isTTY === true,
      });
      if (!ok) process.exitCode = 1;
    });
  program
    .command('report')
    .description('print the waste report: spend, findings with their savings, and ROI')
    .addOption(dataDirOption())
    .addOption(new Option('--format <format>', 'output format').choices(REPORT_FORMATS).default('text'))
    .option('--out <file>', 'write the report to a file instead of printing it')
    .action(async (opts: { dataDir: string; format: ReportFormat; out?: string }) => {
      console.log(await runReportCommand({ ...opts, color: process.stdout.isTTY === true }));
    });
}

interface ServeFlags {
  port: number;
  controlPort: number;
  host: string;
  dataDir: string;
  config?: string;
  demoRate: number;
  logRequests?: boolean;
  quiet?: boolean;
  logLevel: string;
}

async function runServe(flags: ServeFlags): Promise<void> {
  const running = await serve({
    port: flags.port,
    controlPort: flags.controlPort,
    host: flags.host,
    dataDir: flags.dataDir,
    configFile: flags.config,
    demoRate: flags.demoRate,
    logRequests: flags.quiet ? false : (flags.logRequests ?? flags.config === undefined),
    logLevel: flags.logLevel,
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(130);
    stopping = true;
    console.log('\nstopping: finishing requests in flight and committing usage...');
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    console.error(`apex: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
