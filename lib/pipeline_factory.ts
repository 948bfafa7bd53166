/**
 * nova.api.auth:pipeline_factory_v21: a composite section whose keys are
 * auth strategies (`keystone = ...`, `noauth2 = ...`), each a pipeline; the
 * one named by `[api] auth_strategy` is built.
 *
 * @module
 */

import type { CompositeFactory } from "./app.ts";
import { getLogger } from "./log.ts";
import { PasteLookupError } from "./paste.ts";

const LOG = getLogger("nova.api.auth");

/** `call:nova.api.auth:pipeline_factory_v21` */
export const pipelineFactoryV21: CompositeFactory = (ctx, loader, global, local) => {
  const strategy = ctx.conf.api.auth_strategy;
  const pipeline = local[strategy];
  if (pipeline === undefined) {
    throw new PasteLookupError(
      `No "${strategy}" pipeline (from [api] auth_strategy) in the composite section`,
    );
  }
  if (strategy === "noauth2") {
    LOG.warning(
      "'[api]auth_strategy=noauth2' is deprecated as of the 21.0.0 Ussuri release and will be removed " +
        "in a future release. Please remove any 'noauth2' entries from api-paste.ini; only the " +
        "'keystone' pipeline is supported.",
    );
  }
  const names = pipeline.split(/\s+/).filter(Boolean);
  if (names.length === 0) throw new PasteLookupError(`The "${strategy}" pipeline is empty`);
  const filters = names.slice(0, -1).map((name) => loader.getFilter(name, global));
  let app = loader.getApp(names.at(-1)!, global);
  for (const filter of filters.reverse()) app = filter(app);
  return app;
};
