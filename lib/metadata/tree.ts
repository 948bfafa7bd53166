/**
 * The metadata tree and how the EC2 format prints it: nested dicts of
 * strings, numbers, lists and bytes, walked by path tokens and listed one
 * key a line (a sub-tree with a trailing slash, public keys by their
 * `_name`), plus Python's `posixpath.normpath`, which every lookup starts
 * with.
 *
 * Mirrors nova/api/metadata/base.py (`ec2_md_print`, `find_path_in_tree`)
 * and Python's posixpath.normpath.
 *
 * @module
 */

/** A value of the metadata tree (a Python dict, list, str, bytes, int or None). */
export type TreeValue = string | number | boolean | null | Uint8Array | TreeValue[] | TreeDict;

/** A dict of the tree (insertion-ordered, as Python's). */
export interface TreeDict {
  [key: string]: TreeValue;
}

/** A lookup that found no such path (nova's KeyError, a 404). */
export class MetadataKeyError extends Error {
  constructor(key: string) {
    super(key);
    this.name = "KeyError";
  }
}

/** Whether a tree value is a dict (not a list, bytes or a scalar). */
export function isTreeDict(value: TreeValue): value is TreeDict {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Uint8Array);
}

/** Python's `posixpath.normpath`. */
export function normpath(path: string): string {
  if (path === "") return ".";
  let initial = path.startsWith("/") ? 1 : 0;
  // POSIX allows one implementation-defined meaning for exactly two leading slashes.
  if (initial && path.startsWith("//") && !path.startsWith("///")) initial = 2;
  const comps: string[] = [];
  for (const comp of path.split("/")) {
    if (comp === "" || comp === ".") continue;
    if (comp !== ".." || (!initial && !comps.length) || (comps.length && comps.at(-1) === "..")) {
      comps.push(comp);
    } else if (comps.length) {
      comps.pop();
    }
  }
  const out = "/".repeat(initial) + comps.join("/");
  return out || ".";
}

/** Python's `str()` of a leaf. */
function pyStr(value: TreeValue): string {
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  return String(value);
}

/**
 * `ec2_md_print`: a dict as its sorted keys one a line (`key/` for a
 * sub-dict, the sub-dict's `_name` when it has one, `_name` itself
 * skipped), a list as its items one a line, bytes and strings as they are,
 * anything else as Python's `str()`.
 */
export function ec2MdPrint(data: TreeValue): string | Uint8Array {
  if (isTreeDict(data)) {
    const lines: string[] = [];
    for (const key of Object.keys(data).sort(byCodePoint)) {
      if (key === "_name") continue;
      const value = data[key];
      if (isTreeDict(value)) {
        lines.push("_name" in value ? pyStr(value._name) : `${key}/`);
      } else {
        lines.push(key);
      }
    }
    return lines.join("\n");
  }
  if (Array.isArray(data)) return data.map(pyStr).join("\n");
  if (data instanceof Uint8Array || typeof data === "string") return data;
  return pyStr(data);
}

/** Python's string order (code points, not UTF-16 units). */
export function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  const x = [...a], y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d) return d;
  }
  return x.length - y.length;
}

/**
 * `find_path_in_tree`: follows `tokens` down the tree.
 *
 * @throws {MetadataKeyError} for a token that is not there, or one past a
 *   leaf or a list item (nova fails there with an uncaught TypeError, a 500;
 *   novalet answers the 404 of a path that does not exist)
 */
export function findPathInTree(data: TreeValue, tokens: readonly string[]): TreeValue {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (isTreeDict(data)) {
      if (!Object.hasOwn(data, token)) throw new MetadataKeyError(tokens.slice(0, i).join("/"));
      data = data[token];
    } else if (Array.isArray(data)) {
      // nova indexes the list with the string (a TypeError, a 500): not found.
      throw new MetadataKeyError(tokens.slice(0, i).join("/"));
    } else {
      // nova indexes the leaf with the token (a TypeError, a 500): not found.
      throw new MetadataKeyError(tokens.slice(0, i).join("/"));
    }
  }
  return data;
}
