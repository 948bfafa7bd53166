/**
 * POSIX path helpers (node:path's, without loading node:path).
 *
 * @module
 */

/** The directory part of a path (`.` for a bare name, `/` for the root). */
export function dirname(path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  const i = trimmed.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : trimmed.slice(0, i);
}

/** Joins parts with `/`, collapsing repeated slashes. */
export function joinPath(...parts: string[]): string {
  return parts.filter((p) => p !== "").join("/").replace(/\/{2,}/g, "/");
}

export function isAbsolute(path: string): boolean {
  return path.startsWith("/");
}
