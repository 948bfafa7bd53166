/**
 * The auth_token middleware's settings: `[keystone_authtoken]` of nova.conf,
 * overridden by the keys of its paste section (`[filter:authtoken]`) and of
 * paste's `[DEFAULT]`, as keystonemiddleware accepts them.
 *
 * Mirrors `keystonemiddleware._common.config.Config` (`paste_overrides`
 * first, then the oslo.config group; paste strings converted to the
 * option's type) and the `password` plugin's use of `default_domain_*`.
 *
 * @module
 */

import { type Conf, ConfigError } from "../config/conf.ts";
import { OPTION_GROUPS } from "../config/opts.ts";
import type { Opt } from "../config/types.ts";
import type { Logger } from "../log.ts";
import type { PasswordAuthOptions } from "./identity.ts";

type AuthTokenValues = Conf["keystone_authtoken"];

/** Everything the auth_token middleware reads from its configuration. */
export interface AuthTokenSettings {
  /** The URI for `WWW-Authenticate: Keystone uri="..."`. */
  wwwAuthenticateUri: string;
  auth: PasswordAuthOptions;
  interface: string;
  regionName: string | null;
  delayAuthDecision: boolean;
  /** Per-request timeout towards Keystone, in milliseconds. */
  timeoutMs: number;
  maxRetries: number;
  tokenCacheTime: number;
  tokenCacheMaxEntries: number;
  includeServiceCatalog: boolean;
  enforceTokenBind: string;
  serviceTokenRoles: readonly string[];
  serviceTokenRolesRequired: boolean;
  serviceType: string | null;
  /** Accepted and unused: the cache is in-process. */
  memcachedServers: readonly string[] | null;
}

/** Timeout used when `http_connect_timeout` is unset (keystoneauth waits forever). */
export const DEFAULT_TIMEOUT_SECONDS = 60;

/** Paste keys that are not options (paste.deploy's, panko's and gnocchi's). */
const IGNORED_KEYS = new Set([
  "here",
  "__file__",
  "configkey",
  "oslo_config_config",
  "oslo_config_project",
  "oslo_config_file",
]);

/** Deprecated names accepted in paste sections, and the option they set. */
const PASTE_ALIASES: Record<string, string> = {
  memcache_servers: "memcached_servers",
  auth_plugin: "auth_type",
  "user-name": "username",
  user_name: "username",
};

/**
 * Resolves the settings.
 *
 * @param conf nova's configuration
 * @param pasteConf paste's global conf merged with the section's local conf
 * @param log where unknown paste keys are reported
 * @throws {ConfigError} for a paste value of the wrong type or a missing `auth_url`
 */
export function resolveAuthTokenSettings(
  conf: Conf,
  pasteConf: Readonly<Record<string, string>>,
  log: Logger,
): AuthTokenSettings {
  const overrides = pasteOverrides(pasteConf, log);
  const get = <K extends keyof AuthTokenValues>(name: K): AuthTokenValues[K] =>
    (name in overrides ? overrides[name] : conf.keystone_authtoken[name]) as AuthTokenValues[K];
  const authUrl = get("auth_url");
  if (!authUrl) {
    throw new ConfigError("Auth plugin requires parameters which were not given: auth_url");
  }
  let wwwAuthenticateUri = get("www_authenticate_uri") || get("auth_uri");
  if (!wwwAuthenticateUri) {
    log.warning(
      "Configuring www_authenticate_uri to point to the public identity endpoint is required; " +
        "clients may not be able to authenticate against an admin endpoint",
    );
    // keystoneauth's endpoint for AUTH_INTERFACE is the auth_url itself.
    wwwAuthenticateUri = authUrl;
  }
  return {
    wwwAuthenticateUri,
    auth: passwordOptions(get, authUrl),
    interface: get("interface"),
    regionName: get("region_name"),
    delayAuthDecision: get("delay_auth_decision"),
    timeoutMs: (get("http_connect_timeout") ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    maxRetries: Math.max(0, get("http_request_max_retries")),
    tokenCacheTime: get("token_cache_time"),
    tokenCacheMaxEntries: get("token_cache_max_entries"),
    includeServiceCatalog: get("include_service_catalog"),
    enforceTokenBind: get("enforce_token_bind"),
    serviceTokenRoles: get("service_token_roles"),
    serviceTokenRolesRequired: get("service_token_roles_required"),
    serviceType: get("service_type"),
    memcachedServers: get("memcached_servers"),
  };
}

type Getter = <K extends keyof AuthTokenValues>(name: K) => AuthTokenValues[K];

function passwordOptions(get: Getter, authUrl: string): PasswordAuthOptions {
  // keystoneauth1.loading._plugins.identity.generic.Password: default_domain_*
  // stand in for unset user and project domains.
  return {
    authUrl,
    userId: get("user_id"),
    username: get("username"),
    userDomainId: get("user_domain_id") ?? get("default_domain_id"),
    userDomainName: get("user_domain_name") ?? get("default_domain_name"),
    password: get("password"),
    projectId: get("project_id"),
    projectName: get("project_name"),
    projectDomainId: get("project_domain_id") ?? get("default_domain_id"),
    projectDomainName: get("project_domain_name") ?? get("default_domain_name"),
    domainId: get("domain_id"),
    domainName: get("domain_name"),
    systemScope: get("system_scope"),
  };
}

/** `_conf_values_type_convert`: known keys converted to their option's type, the rest warned about. */
function pasteOverrides(
  pasteConf: Readonly<Record<string, string>>,
  log: Logger,
): Record<string, unknown> {
  const opts = OPTION_GROUPS.keystone_authtoken as unknown as Record<string, Opt>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pasteConf)) {
    if (IGNORED_KEYS.has(key)) continue;
    const name = PASTE_ALIASES[key] ?? key;
    const opt = opts[name] as Opt | undefined;
    if (!opt) {
      log.warning(`The option "${key}" is not known to keystonemiddleware`);
      continue;
    }
    out[name] = convertPasteValue(key, opt, value);
  }
  return out;
}

function convertPasteValue(key: string, opt: Opt, text: string): unknown {
  const fail = (why: string) =>
    new ConfigError(`Unable to convert the value of option "${key}" into correct type: ${why}`);
  switch (opt.kind) {
    case "int":
    case "port": {
      if (!/^\s*[+-]?\d+\s*$/.test(text)) throw fail(`invalid literal for int(): '${text}'`);
      return Number(text.trim());
    }
    case "bool": {
      const v = text.trim().toLowerCase();
      if (["true", "1", "on", "yes"].includes(v)) return true;
      if (["false", "0", "off", "no"].includes(v)) return false;
      throw fail(`Unexpected boolean value '${text}'`);
    }
    case "list":
      return text.trim() === "" ? [] : text.split(",").map((s) => s.trim());
    case "str":
      if (opt.choices && !opt.choices.includes(text)) {
        throw fail(`Valid values are [${opt.choices.join(", ")}], but found '${text}'`);
      }
      return text;
    default:
      return text;
  }
}
