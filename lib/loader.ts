/**
 * nova.api.wsgi.Loader: finds api-paste.ini (`[wsgi] api_paste_config`; a
 * relative name is looked up in the directories of the config files, then
 * the working directory) and loads a named app from it. When the default
 * name is not found anywhere, novalet's embedded etc/api-paste.ini is used.
 *
 * @module
 */

import { cwd, pathExists, readText } from "./runtime.ts";
import type { App } from "./app.ts";
import type { Conf } from "./config/conf.ts";
import type { Services } from "./services.ts";
import { PasteConfig } from "./paste.ts";
import { pasteRegistry } from "./paste_registry.ts";
import embeddedPaste from "../etc/api-paste.ini" with { type: "text" };

const DEFAULT_NAME = "api-paste.ini";
const EMBEDDED_PATH = "<embedded etc/api-paste.ini>";

/** Thrown when the paste file cannot be found (nova's ConfigNotFound). */
export class PasteConfigNotFound extends Error {
  constructor(path: string) {
    super(`Could not find config at ${path}`);
    this.name = "PasteConfigNotFound";
  }
}

/** Where the paste file is and its text. */
export function findPasteConfig(
  conf: Conf,
  configDirs: readonly string[],
): { path: string; text: string } {
  const name = conf.wsgi.api_paste_config;
  const candidates = name.startsWith("/")
    ? [name]
    : [...configDirs.map((d) => `${d}/${name}`), name];
  for (const path of candidates) {
    if (pathExists(path)) return { path: absolute(path), text: readText(path) };
  }
  if (name === DEFAULT_NAME) return { path: EMBEDDED_PATH, text: embeddedPaste };
  throw new PasteConfigNotFound(name);
}

/** Loads the app `name` (`osapi_compute`, `metadata`) from the paste file. */
export function loadApp(
  services: Services,
  configDirs: readonly string[],
  name: string,
): { app: App; path: string } {
  const { conf } = services;
  const { path, text } = findPasteConfig(conf, configDirs);
  const paste = new PasteConfig(text, path, pasteRegistry(), (p) => readText(p));
  return { app: paste.loadApp(name, { conf, services }), path };
}

function absolute(path: string): string {
  if (path.startsWith("/")) return path;
  return `${cwd()}/${path.replace(/^\.\//, "")}`;
}
