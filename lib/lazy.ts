/**
 * Paste factories whose modules load after start-up: the factory is
 * registered under its paste name at once, its code is imported right
 * after the listeners are up (`onWarmup`), or by the first request that
 * needs it if that comes sooner. Keeps the image service, the metadata
 * API and the compute controllers out of the time to the first answer.
 *
 * @module
 */

import type { App, AppFactory, Filter, FilterFactory } from "./app.ts";
import { onWarmup } from "./warmup.ts";

/** An app factory whose module is imported after start-up. */
export function lazyAppFactory(load: () => Promise<AppFactory>): AppFactory {
  return (ctx, global, local) => {
    let app: Promise<App> | null = null;
    const build = () => app ??= load().then((factory) => factory(ctx, global, local));
    onWarmup(build);
    return async function lazyApp(req) {
      return await (await build())(req);
    };
  };
}

/** A filter factory whose module is imported after start-up. */
export function lazyFilterFactory(load: () => Promise<FilterFactory>): FilterFactory {
  return (ctx, global, local) => {
    let filter: Promise<Filter> | null = null;
    const build = () => filter ??= load().then((factory) => factory(ctx, global, local));
    onWarmup(build);
    return (next) => {
      let wrapped: Promise<App> | null = null;
      return async function lazyFilter(req) {
        wrapped ??= build().then((f) => f(next));
        return await (await wrapped)(req);
      };
    };
  };
}
