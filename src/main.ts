#!/usr/bin/env node
// The composition root: the only place that reads argv, the environment or signals, and the only one that exits.
//
//   kgate [flags]                    serve (kube-apiserver's flags; see --help)
//   kgate dev-setup <home> <port>    prepare a `make run` home: PKI, ServiceAccount key, admin token file, kubeconfig

import cluster from 'node:cluster';
import winston from 'winston';
import type { RunningServer } from './server/app.js';
import { prepareDevHome } from './server/devsetup.js';
import { loadConfig, parseOptions } from './server/options/index.js';

/** How long a graceful shutdown may take before the process gives up on it. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'dev-setup') return devSetup(argv.slice(1));

  const parsed = parseOptions(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text);
    return 0;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`Error: ${parsed.message}\n`);
    return 1;
  }

  const logger = createLogger(parsed.options.verbosity);
  if (parsed.options.workers > 1 && cluster.isPrimary) return superviseWorkers(parsed.options.workers, logger);
  const config = await loadConfig(parsed.options, logger);
  // Loaded here so --help, flag errors and dev-setup answer without loading the whole server.
  const { startServer } = await import('./server/app.js');
  const server = await startServer(config, logger);
  logger.info(`Serving securely on ${server.url}`);
  return waitForShutdown(server, logger);
}

/**
 * --workers=N: N processes share the listening port (the kernel spreads connections among them; each worker
 * follows etcd with its own cache). A worker that dies is replaced; a signal stops them all.
 */
function superviseWorkers(count: number, logger: winston.Logger): Promise<number> {
  // Let the kernel balance accepted connections instead of passing each through the primary.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  return new Promise((resolve) => {
    let stopping = false;
    const fork = (): void => {
      cluster.fork();
    };
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) resolve(0);
        return;
      }
      logger.warn(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
      fork();
    });
    for (let i = 0; i < count; i++) fork();
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) process.exit(1);
      stopping = true;
      logger.info(`Received ${signal}, stopping ${count} workers`);
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
      const forced = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS);
      forced.unref();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** Resolves with the exit code once a signal has stopped the server; a second signal forces the exit. */
function waitForShutdown(server: RunningServer, logger: winston.Logger): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        logger.warn(`Received ${signal} again, exiting immediately`);
        process.exit(1);
      }
      stopping = true;
      logger.info(`Received ${signal}, shutting down`);
      const forced = setTimeout(() => {
        logger.error(`Shutdown did not finish within ${SHUTDOWN_GRACE_MS / 1000}s, exiting`);
        process.exit(1);
      }, SHUTDOWN_GRACE_MS);
      forced.unref();
      server.close().then(
        () => resolve(0),
        (error: unknown) => {
          logger.error(`Shutdown failed: ${describe(error)}`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** `kgate dev-setup <home> <port>`: checks the arguments and leaves the work to src/server/devsetup.ts. */
async function devSetup(args: string[]): Promise<number> {
  const [home, portText] = args;
  const port = Number(portText);
  if (!home || args.length !== 2 || !Number.isInteger(port) || port < 1 || port > 65535) {
    process.stderr.write('Error: usage: kgate dev-setup <home> <port>\n');
    return 1;
  }
  for (const generated of await prepareDevHome(home, port)) process.stdout.write(`generated ${generated}\n`);
  return 0;
}

/** kube's -v scale mapped onto winston's levels: 0-1 info, 2-3 http, 4-5 verbose, 6-7 debug, 8+ silly. */
function levelForVerbosity(verbosity: number): string {
  if (verbosity >= 8) return 'silly';
  if (verbosity >= 6) return 'debug';
  if (verbosity >= 4) return 'verbose';
  if (verbosity >= 2) return 'http';
  return 'info';
}

/** klog-like lines on stderr: `I1129 19:52:01.123456 12345] message key="value"`. */
function createLogger(verbosity: number): winston.Logger {
  const line = winston.format.printf((entry) => {
    const { level, message, timestamp: _timestamp, ...fields } = entry;
    const severity = level === 'error' ? 'E' : level === 'warn' ? 'W' : 'I';
    const now = new Date();
    const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
    const stamp =
      `${pad(now.getMonth() + 1)}${pad(now.getDate())} ` +
      `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${pad(now.getMilliseconds(), 3)}000`;
    const extra = Object.entries(fields)
      .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
      .join(' ');
    return `${severity}${stamp} ${String(process.pid).padStart(7)}] ${String(message)}${extra ? ` ${extra}` : ''}`;
  });
  return winston.createLogger({
    level: levelForVerbosity(verbosity),
    format: line,
    transports: [
      new winston.transports.Console({
        stderrLevels: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'],
      }),
    ],
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`Error: ${describe(error)}\n`);
    process.exit(1);
  },
);
