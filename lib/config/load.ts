/**
 * Command-line handling the way oslo.config does it for nova-api:
 * `--config-file PATH` (repeatable) and `--config-dir DIR` (every `*.conf`
 * in it, sorted) apply in the order given, after novalet's embedded
 * defaults (etc/nova.conf).
 *
 * @module
 */

import { listDir, readText as readFile } from "../runtime.ts";
import { Conf, type ConfSource } from "./conf.ts";
import embeddedDefaults from "../../etc/nova.conf" with { type: "text" };

/** What the command line asked for. */
export interface CommandLine {
  /** Config files and dirs in the order given. */
  readonly sources: readonly { kind: "file" | "dir"; path: string }[];
  readonly help: boolean;
  readonly version: boolean;
}

/** Thrown for a malformed command line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export const USAGE =
  `usage: novalet [--config-file PATH]... [--config-dir DIR]... [--help] [--version]

  --config-file PATH  nova.conf-style file applied on top of the embedded defaults
                      (repeatable; later files override earlier ones)
  --config-dir DIR    every *.conf file in DIR, in name order (repeatable)`;

/** Parses `--config-file X`, `--config-file=X`, `--config-dir ...`. */
export function parseCommandLine(args: readonly string[]): CommandLine {
  const sources: { kind: "file" | "dir"; path: string }[] = [];
  let help = false;
  let version = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith("--") && arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, null];
    if (flag === "--help" || flag === "-h") help = true;
    else if (flag === "--version") version = true;
    else if (flag === "--config-file" || flag === "--config-dir") {
      const value = inline ?? args[++i];
      if (value === undefined || value === "") throw new UsageError(`${flag} needs a path`);
      sources.push({ kind: flag === "--config-file" ? "file" : "dir", path: value });
    } else throw new UsageError(`unrecognized argument: ${arg}`);
  }
  return { sources, help, version };
}

/** Reads the sources a command line names, embedded defaults first. */
export function readSources(cmd: CommandLine): ConfSource[] {
  const out: ConfSource[] = [{ name: "<embedded etc/nova.conf>", text: embeddedDefaults }];
  for (const { kind, path } of cmd.sources) {
    if (kind === "file") out.push({ name: path, text: readText(path, "--config-file") });
    else {
      for (const name of listConfFiles(path)) {
        out.push({ name: `${path}/${name}`, text: readText(`${path}/${name}`, "--config-dir") });
      }
    }
  }
  return out;
}

/** Loads the configuration a command line names. */
export function loadConf(cmd: CommandLine): Conf {
  return Conf.load(readSources(cmd));
}

/** Directories where relative file names (api_paste_config, policy_file) are looked up. */
export function configDirs(cmd: CommandLine): string[] {
  return cmd.sources.map(({ kind, path }) => (kind === "dir" ? path : dirOf(path)));
}

function listConfFiles(dir: string): string[] {
  try {
    return listDir(dir).filter((n) => n.endsWith(".conf")).sort();
  } catch (err) {
    throw new UsageError(`--config-dir ${dir}: ${(err as Error).message}`);
  }
}

function readText(path: string, flag: string): string {
  try {
    return readFile(path);
  } catch (err) {
    throw new UsageError(`${flag} ${path}: ${(err as Error).message}`);
  }
}

function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : path.slice(0, i);
}
