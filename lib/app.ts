/**
 * The shapes paste sections compose: an app is an async function from
 * request to response, a filter wraps an app. Factories receive nova's
 * configuration plus paste's global and local conf.
 *
 * @module
 */

import type { ApiRequest } from "./request.ts";
import type { ApiResponse } from "./response.ts";
import type { Conf } from "./config/conf.ts";
import type { Services } from "./services.ts";

/** A WSGI application. */
export type App = (req: ApiRequest) => Promise<ApiResponse>;

/** A WSGI middleware: wraps the next app. */
export type Filter = (next: App) => App;

/** Paste's `[DEFAULT]` section (after `set` overrides). */
export type GlobalConf = Readonly<Record<string, string>>;

/** A paste section's own keys, passed to its factory. */
export type LocalConf = Readonly<Record<string, string>>;

/** What every factory gets besides paste's confs. */
export interface FactoryContext {
  /** nova's configuration (nova.conf). */
  readonly conf: Conf;
  /** Store, policy and per-area services; absent only in tests of the paste machinery. */
  readonly services?: Services;
}

/** paste.app_factory */
export type AppFactory = (ctx: FactoryContext, global: GlobalConf, local: LocalConf) => App;

/** paste.filter_factory */
export type FilterFactory = (ctx: FactoryContext, global: GlobalConf, local: LocalConf) => Filter;

/** Loads other sections for a composite factory (paste's `loader`). */
export interface SectionLoader {
  getApp(name: string, global?: GlobalConf): App;
  getFilter(name: string, global?: GlobalConf): Filter;
}

/** paste.composite_factory */
export type CompositeFactory = (
  ctx: FactoryContext,
  loader: SectionLoader,
  global: GlobalConf,
  local: LocalConf,
) => App;
