/**
 * `nova.api.metadata.handler:MetadataRequestHandler.factory` as the paste
 * registry names it: the options are checked at load (an unknown vendor
 * data provider stops start-up), and the handler's modules load right
 * after the listeners are up, or on the first request if that comes
 * sooner, so that they do not delay start-up.
 *
 * @module
 */

import type { App, AppFactory } from "../app.ts";
import { onWarmup } from "../warmup.ts";
import { vendordataProviders } from "./vendordata.ts";

/** The metadata app factory, its handler loaded after start-up. */
export const lazyMetadataAppFactory: AppFactory = (ctx, global, local) => {
  vendordataProviders(ctx.conf);
  let app: Promise<App> | null = null;
  const build = () =>
    app ??= import("./handler.ts").then((m) => m.metadataAppFactory(ctx, global, local));
  onWarmup(build);
  return async function metadataApp(req) {
    return await (await build())(req);
  };
};
