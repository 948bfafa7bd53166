/**
 * Shared pieces of the policy tests: personas as auth contexts, decision
 * rows in the recorded format, config directories on disk.
 *
 * @module
 */

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Conf } from "../../lib/config/conf.ts";
import { Enforcer, type EnforcerOptions } from "../../lib/policy/enforcer.ts";
import type { AuthContext } from "../../lib/request.ts";

/** A request context as the recording script built it (nova.context.RequestContext kwargs). */
export interface Persona {
  userId: string | null;
  projectId: string | null;
  roles: string[];
  systemScope?: string;
  domainId?: string;
  /** Set for noauth2-style contexts; absent: nova computes it from the policy (keystone). */
  isAdmin?: boolean;
}

/** The auth context of `persona`, with is_admin computed as keystonecontext would. */
export function contextOf(persona: Persona, enforcer: Enforcer): AuthContext {
  const ctx: AuthContext = {
    userId: persona.userId,
    projectId: persona.projectId,
    roles: [...persona.roles],
    systemScope: persona.systemScope ?? null,
    domainId: persona.domainId ?? null,
    isAdmin: false,
    remoteAddress: "127.0.0.1",
  };
  ctx.isAdmin = persona.isAdmin ?? enforcer.isAdmin(ctx);
  return ctx;
}

/** An enforcer over nova.conf text, searching only the given directories (none by default). */
export function enforcerFor(confText: string, options: EnforcerOptions = {}): Enforcer {
  const conf = Conf.load([{ name: "nova.conf", text: confText }]);
  return new Enforcer(conf, { searchDirs: [], ...options });
}

/** One decision row: per persona, one digit per target (1 allowed, 0 refused). */
export function decisionRow(
  enforcer: Enforcer,
  contexts: ReadonlyMap<string, AuthContext>,
  rule: string,
  targets: Record<string, Record<string, unknown> | null>,
): string {
  const groups: string[] = [];
  for (const ctx of contexts.values()) {
    const digits = Object.values(targets).map((t) => enforcer.check(ctx, rule, t) ? "1" : "0");
    groups.push(digits.join(""));
  }
  return groups.join(" ");
}

/** Writes `files` (relative path -> text) under a fresh temporary directory. */
export function writeTree(
  files: Record<string, string>,
): { dir: string; [Symbol.dispose](): void } {
  const dir = mkdtempSync(join(tmpdir(), "novalet-policy-"));
  for (const [rel, text] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return { dir, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Loads `nova.conf` from `dir` the way main.ts does (the source named by its path). */
export function enforcerIn(dir: string, confText: string, options: EnforcerOptions = {}): Enforcer {
  const conf = Conf.load([{ name: join(dir, "nova.conf"), text: confText }]);
  // Only the test's directory: a machine with nova installed has /etc/nova/policy.d.
  return new Enforcer(conf, { searchDirs: [dir], ...options });
}
