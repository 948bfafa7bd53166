/**
 * nova's policy enforcement: may this request context perform this action
 * on this target?
 *
 * Mirrors nova/policy.py (`init`, `authorize`, `check_is_admin`,
 * `default_target`) on top of oslo_policy.policy.Enforcer (`load_rules`,
 * `enforce`, `_enforce_scope`, `authorize`), with nova 26's defaults
 * (nova/policies/) and the `[oslo_policy]` options.
 *
 * @module
 */

import type { Conf } from "../config/conf.ts";
import { HttpError } from "../errors.ts";
import { getLogger, identityOf, isEnabledFor, type LogContext } from "../log.ts";
import type { AuthContext } from "../request.ts";
import { type Check, evaluate } from "./checks.ts";
import { credentialsOf, type PolicyCredentials, tokenScope } from "./credentials.ts";
import { NOVA_DEFAULT_RULES, type RuleDefault } from "./defaults.ts";
import {
  defaultSearchDirs,
  type FileRule,
  fingerprint,
  locatePolicyFile,
  policyDirFiles,
  readPolicyFiles,
} from "./files.ts";
import { checkToString } from "./parser.ts";
import { buildRuleSet, type RuleSet } from "./rule_set.ts";

const LOG = getLogger("nova.policy");

/**
 * nova.exception.PolicyNotAuthorized: a 403 whose message names the action.
 */
export class PolicyNotAuthorized extends HttpError {
  constructor(readonly action: string) {
    super(403, `Policy doesn't allow ${action} to be performed.`);
    this.name = "PolicyNotAuthorized";
  }
}

/** oslo_policy.policy.PolicyNotRegistered: authorizing a rule nova never registered (a bug: 500). */
export class PolicyNotRegistered extends Error {
  constructor(readonly action: string) {
    super(`Policy ${action} has not been registered`);
    this.name = "PolicyNotRegistered";
  }
}

/** A policy file that must exist but does not, or cannot be read. */
export class PolicyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyFileError";
  }
}

/** How to build an {@link Enforcer} beyond what `Conf` says. */
export interface EnforcerOptions {
  /** A policy file to use instead of `[oslo_policy] policy_file` (`nova.policy.init(policy_file=)`). */
  readonly policyFile?: string;
  /**
   * Directories relative policy file names are looked up in, in order.
   * Default: oslo.config's `find_file` order for the config files named by
   * `conf.sources` (their directories, last file first), then ~/.nova, ~,
   * /etc/nova, /etc.
   */
  readonly searchDirs?: readonly string[];
  /** Rules applied over the files, as a file would set them (tests; nova's `set_rules`). */
  readonly overrides?: Readonly<Record<string, string>>;
  /** The registered defaults; nova 26's by default. */
  readonly defaults?: readonly RuleDefault[];
  /** How often (ms) to look for edited policy files; oslo looks on every check. Default 1000. */
  readonly reloadIntervalMs?: number;
}

/** What {@link Enforcer.authorize} does when the check fails. */
export interface AuthorizeOptions {
  /** nova's `context.can(fatal=)`: throw (true, the default) or return false. */
  readonly fatal?: boolean;
}

interface Settings {
  readonly enforceScope: boolean;
  readonly enforceNewDefaults: boolean;
  readonly defaultRule: string;
  readonly policyFile: string;
  readonly explicitFile: boolean;
  readonly policyDirs: readonly string[];
  readonly searchDirs: readonly string[];
  readonly defaults: readonly RuleDefault[];
  readonly overrides: ReadonlyMap<string, FileRule>;
  readonly reloadIntervalMs: number;
}

/**
 * nova's policy enforcer (`nova.policy._ENFORCER`): the registered defaults,
 * the operator's policy files, and the `[oslo_policy]` switches.
 */
export class Enforcer {
  readonly #settings: Settings;
  #ruleSet: RuleSet;
  #located: Located;
  #fingerprint: string;
  #lastCheck = 0;
  readonly #scopeWarnings = new Set<string>();

  /**
   * Loads the rules (`nova.policy.init()` + `load_rules()`).
   *
   * @throws {PolicyFileError} when an explicitly configured policy file does not exist
   * @throws {SyntaxError} when a policy file or one of its rules cannot be parsed
   */
  constructor(conf: Conf, options: EnforcerOptions = {}) {
    this.#settings = settingsFrom(conf, options);
    this.#located = locate(this.#settings, { quiet: false });
    this.#fingerprint = fingerprint(this.#located.files);
    this.#ruleSet = loadRuleSet(this.#settings, this.#located.files);
  }

  /** The policy files in use, in load order (the policy file, then policy.d files). */
  get files(): readonly string[] {
    return this.#located.files;
  }

  /** The policy file found for `policy_file` (oslo's `policy_path`), or null. */
  get policyPath(): string | null {
    return this.#located.policyPath;
  }

  /** The effective check string of a rule (oslo's `str(enforcer.rules[name])`), or null. */
  ruleText(name: string): string | null {
    const check = this.#ruleSet.rules.get(name);
    return check === undefined ? null : checkToString(check);
  }

  /** Whether nova registers `action` (oslo's `registered_rules`). */
  isRegistered(action: string): boolean {
    return this.#ruleSet.registered.has(action);
  }

  /**
   * nova's `policy.authorize(context, action, target)` / `context.can()`.
   *
   * @param ctx the request's auth context
   * @param action a registered rule name, e.g. `os_compute_api:os-hypervisors:list`
   * @param target the object acted on; absent (or null) means nova's default
   *   target `{project_id: ctx.projectId, user_id: ctx.userId}`
   * @returns true when allowed; false when refused and `fatal` is false
   * @throws {PolicyNotAuthorized} (403) when refused, including a scope
   *   mismatch under `enforce_scope`, unless `fatal` is false
   * @throws {PolicyNotRegistered} for an action nova does not register, even when not fatal
   */
  authorize(
    ctx: AuthContext,
    action: string,
    target?: Readonly<Record<string, unknown>> | null,
    options: AuthorizeOptions = {},
  ): boolean {
    const creds = credentialsOf(ctx);
    if (this.#enforce(action, target ?? defaultTarget(ctx), creds)) return true;
    if (isEnabledFor("DEBUG")) {
      LOG.debug(
        `Policy check for ${action} failed with credentials ${JSON.stringify(creds)}`,
        logContextOf(ctx),
      );
    }
    if (options.fatal ?? true) throw new PolicyNotAuthorized(action);
    return false;
  }

  /**
   * `authorize` that returns false instead of throwing (`context.can(..., fatal=False)`).
   *
   * @throws {PolicyNotRegistered} for an action nova does not register
   */
  check(
    ctx: AuthContext,
    action: string,
    target?: Readonly<Record<string, unknown>> | null,
  ): boolean {
    return this.authorize(ctx, action, target, { fatal: false });
  }

  /**
   * nova's `policy.check_is_admin(context)`: the `context_is_admin` rule on
   * the default target, with the context's own is_admin still undecided —
   * how nova sets `RequestContext.is_admin` for a keystone token.
   */
  isAdmin(ctx: Omit<AuthContext, "isAdmin"> | AuthContext): boolean {
    // credentialsOf reads no isAdmin when given one: no copy of ctx needed.
    const creds = credentialsOf(ctx as AuthContext, { isAdmin: null });
    return this.#enforce("context_is_admin", defaultTarget(ctx as AuthContext), creds);
  }

  /**
   * Re-reads the policy files now (oslo's `load_rules(force_reload=True)`).
   *
   * @throws {SyntaxError} when a file cannot be parsed (the old rules stay)
   * @throws {PolicyFileError} when the explicitly configured policy file is gone
   */
  reload(): void {
    const located = locate(this.#settings, { quiet: true });
    const ruleSet = loadRuleSet(this.#settings, located.files);
    this.#located = located;
    this.#fingerprint = fingerprint(located.files);
    this.#ruleSet = ruleSet;
  }

  /** oslo's `Enforcer.authorize` + `enforce` with `do_raise` (InvalidScope is a refusal). */
  #enforce(action: string, target: Readonly<Record<string, unknown>>, creds: PolicyCredentials) {
    this.#reloadIfChanged();
    const registered = this.#ruleSet.registered.get(action);
    if (registered === undefined) {
      LOG.error(`Policy not registered: ${action}`);
      throw new PolicyNotRegistered(action);
    }
    const check = this.#ruleSet.rules.get(action)!;
    if (!this.#scopeAllows(registered, creds)) return false;
    return evaluate(check, { target, creds, rules: (name) => this.#lookup(name) });
  }

  /** oslo's `Rules.__missing__`: an unknown name falls back to `policy_default_rule`. */
  #lookup(name: string): Check | undefined {
    const rules = this.#ruleSet.rules;
    const found = rules.get(name);
    if (found !== undefined) return found;
    const fallback = this.#settings.defaultRule;
    return fallback === "" ? undefined : rules.get(fallback);
  }

  /** oslo's `_enforce_scope`: a mismatch warns, and refuses only under enforce_scope. */
  #scopeAllows(rule: RuleDefault, creds: PolicyCredentials): boolean {
    if (!rule.scopeTypes || rule.scopeTypes.length === 0) return true;
    const scope = tokenScope(creds);
    if (rule.scopeTypes.includes(scope)) return true;
    const key = `${rule.name} ${scope}`;
    if (!this.#scopeWarnings.has(key)) {
      this.#scopeWarnings.add(key);
      LOG.warning(
        `Policy ${JSON.stringify(rule.name)} failed scope check. The token used to make the ` +
          `request was ${scope} scoped but the policy requires ${
            JSON.stringify(rule.scopeTypes)
          } ` +
          `scope. This behavior may change in the future where using the intended scope is required`,
      );
    }
    return !this.#settings.enforceScope;
  }

  /** oslo re-reads an edited policy file on the next check; we look at most every interval. */
  #reloadIfChanged(): void {
    const now = Date.now();
    if (now - this.#lastCheck < this.#settings.reloadIntervalMs) return;
    this.#lastCheck = now;
    try {
      const { files } = locate(this.#settings, { quiet: true });
      const current = fingerprint(files);
      if (current === this.#fingerprint) return;
      // A broken edit is reported once, not on every check until it is fixed.
      this.#fingerprint = current;
      this.reload();
      LOG.info(`Reloaded policy files: ${files.join(", ") || "(none)"}`);
    } catch (err) {
      // NOTE(parity): oslo would fail every request on a broken file; we keep the last good rules.
      LOG.error(`Policy files not reloaded, keeping the previous rules: ${err}`);
    }
  }
}

/** nova's `policy.default_target(context)`. */
export function defaultTarget(ctx: AuthContext): Record<string, unknown> {
  return { project_id: ctx.projectId ?? null, user_id: ctx.userId ?? null };
}

function settingsFrom(conf: Conf, options: EnforcerOptions): Settings {
  const opts = conf.oslo_policy;
  const overrides = new Map<string, FileRule>();
  for (const [name, check] of Object.entries(options.overrides ?? {})) {
    overrides.set(name, { check, source: "overrides" });
  }
  return {
    enforceScope: opts.enforce_scope,
    enforceNewDefaults: opts.enforce_new_defaults,
    defaultRule: opts.policy_default_rule,
    policyFile: options.policyFile ?? opts.policy_file,
    explicitFile: options.policyFile !== undefined ||
      conf.raw("oslo_policy", "policy_file") !== null,
    policyDirs: opts.policy_dirs,
    searchDirs: options.searchDirs ?? defaultSearchDirs(conf.sources.map((s) => s.name)),
    defaults: options.defaults ?? NOVA_DEFAULT_RULES,
    overrides,
    reloadIntervalMs: options.reloadIntervalMs ?? 1000,
  };
}

interface Located {
  readonly policyPath: string | null;
  /** The policy file (if found) then the policy.d files. */
  readonly files: string[];
}

/**
 * Finds the policy file and the policy.d files.
 *
 * @throws {PolicyFileError} when an explicitly configured policy file is missing
 */
function locate(settings: Settings, options: { quiet: boolean }): Located {
  const { policyFile, searchDirs, explicitFile } = settings;
  const path = locatePolicyFile(policyFile, searchDirs, { explicit: explicitFile });
  if (path === null && explicitFile) {
    // NOTE(parity): oslo only logs "The policy file ... could not be found" at DEBUG and
    // runs on the defaults; a policy_file the operator named must exist here.
    throw new PolicyFileError(`The policy file ${policyFile} could not be found`);
  }
  if (path === null && !options.quiet) {
    LOG.debug(`The policy file ${policyFile} could not be found.`);
  }
  const dirFiles = policyDirFiles(settings.policyDirs, searchDirs);
  return { policyPath: path, files: [...(path === null ? [] : [path]), ...dirFiles] };
}

function loadRuleSet(settings: Settings, files: readonly string[]): RuleSet {
  const fileRules = readPolicyFiles(files);
  for (const [name, rule] of settings.overrides) fileRules.set(name, rule);
  return buildRuleSet(settings.defaults, fileRules, settings);
}

/**
 * The request fields oslo.log shows for a policy denial (nova logs it with
 * the request's context): the ids the auth filter keeps in `extra`.
 */
function logContextOf(ctx: AuthContext): LogContext {
  const extra = ctx.extra ?? {};
  const text = (v: unknown) => (typeof v === "string" ? v : null);
  return {
    requestId: text(extra.requestId),
    globalRequestId: text(extra.globalRequestId),
    ...identityOf(ctx),
  };
}
