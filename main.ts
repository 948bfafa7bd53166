/**
 * novalet: nova-api in one program. Mirrors nova.cmd.api.main: read the
 * configuration, then for each enabled API load its paste app and serve it
 * on its own listener (`osapi_compute` on 8774, `metadata` on 8775, and
 * novalet's image service `image` on 9292).
 * SIGTERM/SIGINT stop gracefully; SIGHUP re-reads the mutable options.
 *
 * @module
 */

import type { Conf } from "./lib/config/conf.ts";
import {
  configDirs,
  loadConf,
  parseCommandLine,
  readSources,
  USAGE,
  UsageError,
} from "./lib/config/load.ts";
import { startIdleGc } from "./lib/idle_gc.ts";
import { configureLogging, flushLogs, getLogger } from "./lib/log.ts";
import { loadApp } from "./lib/loader.ts";
import { args, exit, makeDirs, onSignal, runtimeVersion, survivePanics } from "./lib/runtime.ts";
import { serve, type Server } from "./lib/server.ts";
import { openServices, type Services } from "./lib/services.ts";
import { after } from "./lib/timers.ts";
import { runWarmups } from "./lib/warmup.ts";

const LOG = getLogger("nova.service");
export const VERSION = "26.2.2";

/** The address each API listens on: `[DEFAULT] <api>_listen` and `_listen_port`. */
function listenAddress(conf: Conf, api: string): { hostname: string; port: number } {
  if (api === "osapi_compute") {
    return {
      hostname: conf.DEFAULT.osapi_compute_listen,
      port: conf.DEFAULT.osapi_compute_listen_port,
    };
  }
  if (api === "metadata") {
    return { hostname: conf.DEFAULT.metadata_listen, port: conf.DEFAULT.metadata_listen_port };
  }
  if (api === "image") {
    return { hostname: conf.DEFAULT.image_listen, port: conf.DEFAULT.image_listen_port };
  }
  throw new UsageError(
    `Unknown API "${api}" in [DEFAULT] enabled_apis (known: osapi_compute, metadata, image)`,
  );
}

function setUpLogging(conf: Conf): void {
  const { log_file: file, log_dir: dir } = conf.DEFAULT;
  const path = file ? (dir && !file.startsWith("/") ? `${dir}/${file}` : file) : null;
  configureLogging({
    debug: conf.DEFAULT.debug,
    logFile: path,
    useStderr: conf.DEFAULT.use_stderr,
  });
}

async function start(argv: string[]): Promise<void> {
  const cmd = parseCommandLine(argv);
  if (cmd.help) {
    console.log(USAGE);
    return;
  }
  if (cmd.version) {
    console.log(`novalet ${VERSION} (${runtimeVersion()})`);
    return;
  }
  const conf = loadConf(cmd);
  setUpLogging(conf);
  makeDirs(conf.DEFAULT.state_path!);
  const services = openServices(conf);
  const dirs = configDirs(cmd);
  const servers: Server[] = [];
  for (const api of conf.DEFAULT.enabled_apis) {
    const { hostname, port } = listenAddress(conf, api);
    const { app, path } = loadApp(services, dirs, api);
    LOG.info(`Loaded app ${api} from ${path}`);
    // TLS when both [wsgi] ssl_cert_file and ssl_key_file are set.
    const useSsl = Boolean(conf.wsgi.ssl_cert_file && conf.wsgi.ssl_key_file);
    const server = await serve({ name: api, app, hostname, port, conf, useSsl });
    servers.push(server);
  }
  handleSignals(servers, services, () => reload(conf, cmd));
  // A bug in background work is logged; the listeners keep serving.
  survivePanics((err) => LOG.exception("Unhandled error outside any request", err));
  // Controllers and nova-compute's recovery load once the listeners answer,
  // a moment later so that a client waiting for the first answer gets it
  // first (an API request that comes sooner loads them itself).
  await new Promise<void>((resolve) => after(200, resolve));
  // Returns the heap a burst of requests grew once it is over (started here: it loads ≈ 10 ms).
  const idleGc = startIdleGc();
  services.onStop(() => idleGc.stop());
  await runWarmups();
}

function reload(conf: Conf, cmd: ReturnType<typeof parseCommandLine>): void {
  try {
    const { changed, ignored } = conf.reload(readSources(cmd));
    setUpLogging(conf);
    for (const name of ignored) LOG.warning(`Ignoring change to immutable option ${name}`);
    LOG.info(`Configuration reloaded; changed: ${changed.join(", ") || "nothing"}`);
  } catch (err) {
    LOG.error(`Configuration not reloaded: ${(err as Error).message}`);
  }
}

function handleSignals(servers: Server[], services: Services, onHangup: () => void): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    LOG.info(`Caught ${signal}, stopping children`);
    await Promise.all(servers.map((s) => s.stop()));
    await services.stop();
    LOG.info("Stopped");
    flushLogs();
    exit(0);
  };
  onSignal("SIGTERM", () => void stop("SIGTERM"));
  onSignal("SIGINT", () => void stop("SIGINT"));
  onSignal("SIGHUP", onHangup);
}

if (import.meta.main) {
  try {
    await start(args());
  } catch (err) {
    // One line naming what is wrong: a bad option value, a missing file, a paste error.
    const message = err instanceof Error ? err.message : String(err);
    console.error(`novalet: ${message.split("\n")[0]}`);
    flushLogs();
    exit(2);
  }
}
