/**
 * Finding and reading policy files the way oslo.policy and oslo.config do.
 *
 * Mirrors oslo_config.cfg.ConfigOpts.find_file (config directories, then
 * the directories of the config files, last file first, then ~/.nova, ~,
 * /etc/nova, /etc), oslo_policy.policy.pick_default_policy_file (the
 * policy.json fallback) and Enforcer._walk_through_policy_directory
 * (policy.d: plain files, sorted, dot-files skipped).
 *
 * @module
 */

import { dirname, isAbsolute, joinPath as join } from "../paths.ts";
import { fileInfo, homeDir, listDir, readText } from "../runtime.ts";
import { parsePolicyFile } from "./policy_file.ts";

/** A rule read from a policy file, with where it came from. */
export interface FileRule {
  readonly check: string;
  readonly source: string;
}

/** The directories oslo.config's `find_file` searches for `nova`, given the config files. */
export function defaultSearchDirs(configFiles: readonly string[]): string[] {
  const dirs = [...configFiles].reverse().map((file) => dirname(file));
  const home = homeDir();
  return [...dirs, ...(home ? [join(home, ".nova"), home] : []), "/etc/nova", "/etc"];
}

/**
 * oslo.config's `find_file`: the first `dir/name` that exists, or null.
 * An absolute name is returned if it exists.
 */
export function findFile(name: string, dirs: readonly string[]): string | null {
  // A path that may not be read (Deno permissions) counts as absent, as a missing one.
  if (isAbsolute(name)) return fileInfo(name) ? name : null;
  for (const dir of dirs) {
    const path = join(dir, name);
    if (fileInfo(path)) return path;
  }
  return null;
}

/**
 * The policy file in use (`pick_default_policy_file` + `_get_policy_path`):
 * for the default name `policy.yaml` not set by the operator, a
 * `policy.json` found instead is used; null when there is none.
 */
export function locatePolicyFile(
  name: string,
  dirs: readonly string[],
  options: { explicit: boolean },
): string | null {
  const path = findFile(name, dirs);
  if (path !== null || options.explicit || name !== "policy.yaml") return path;
  return findFile("policy.json", dirs);
}

/**
 * The files of each existing policy directory, in load order.
 *
 * @throws {Error} when a name resolves to something that is not a directory
 */
export function policyDirFiles(names: readonly string[], dirs: readonly string[]): string[] {
  const files: string[] = [];
  for (const name of names) {
    const dir = findFile(name, dirs);
    if (dir === null) continue;
    if (!fileInfo(dir)?.isDirectory) throw new Error(`${dir} is not a directory`);
    const entries = listDir(dir)
      .filter((name) => !name.startsWith(".") && isFile(join(dir, name)))
      .sort();
    files.push(...entries.map((e) => join(dir, e)));
  }
  return files;
}

function isFile(path: string): boolean {
  return fileInfo(path)?.isFile ?? false;
}

/**
 * Reads the policy files in order, later files overriding earlier ones
 * (the policy file, then policy.d files, as oslo's `load_rules` merges them).
 *
 * @throws {SyntaxError} for a file that cannot be parsed
 */
export function readPolicyFiles(paths: readonly string[]): Map<string, FileRule> {
  const rules = new Map<string, FileRule>();
  for (const path of paths) {
    for (const [name, check] of parsePolicyFile(readText(path), path)) {
      rules.set(name, { check, source: path });
    }
  }
  return rules;
}

/** A cheap fingerprint of the files (path, mtime, size) to notice edits, as oslo's file cache does. */
export function fingerprint(paths: readonly string[]): string {
  return paths.map((path) => {
    const st = fileInfo(path);
    return st ? `${path}:${st.mtimeMs}:${st.size}` : `${path}:missing`;
  }).join("\n");
}
