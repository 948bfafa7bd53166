/**
 * QuotaClassSetsController: `/os-quota-class-sets/{id}` show and update.
 * A class's limits fall back on the `[quota]` options; the "default" class
 * replaces those options as every project's defaults. Before 2.50 the
 * server group quotas are not shown; from 2.50 the network quotas are not,
 * from 2.57 the injected file quotas are not.
 *
 * Mirrors nova/api/openstack/compute/quota_classes.py.
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { Services } from "../../services.ts";
import { validateBodyFor } from "../../validation/mod.ts";
import type { ControllerSpec, Handler, HandlerArgs } from "../wsgi.ts";
import { type QuotaEngine, quotaEngine } from "./engine.ts";
import { RESOURCE_NAMES } from "./resources.ts";
import * as schemas from "./schemas.ts";

const POLICY = "os_compute_api:os-quota-class-sets";

/** EXTENDED_QUOTAS: not shown before 2.50. */
const EXTENDED = ["server_groups", "server_group_members"];
const FILTERED_2_50 = ["fixed_ips", "floating_ips", "security_group_rules", "security_groups"];
const FILTERED_2_57 = [
  ...FILTERED_2_50,
  "injected_files",
  "injected_file_content_bytes",
  "injected_file_path_bytes",
];

/** What one microversion range shows and accepts. */
interface Variant {
  readonly hidden: readonly string[];
  readonly schema: Record<string, unknown>;
}

const V21: Variant = { hidden: EXTENDED, schema: schemas.quotaClassUpdate };
const V250: Variant = { hidden: FILTERED_2_50, schema: schemas.quotaClassUpdateV250 };
const V257: Variant = { hidden: FILTERED_2_57, schema: schemas.quotaClassUpdateV257 };

/** `_format_quota_set`. */
function formatQuotaClassSet(
  id: string | null,
  quotaSet: Readonly<Record<string, number>>,
  hidden: readonly string[],
) {
  const result: Record<string, unknown> = id ? { id } : {};
  for (const name of RESOURCE_NAMES) {
    if (!hidden.includes(name) && name in quotaSet) result[name] = quotaSet[name];
  }
  return { quota_class_set: result };
}

function show(services: Services, engine: QuotaEngine) {
  return (v: Variant): Handler => ({ req, params }: HandlerArgs) => {
    services.policy.authorize(req.context!, `${POLICY}:show`, {});
    return formatQuotaClassSet(params.id, engine.driver.getClassQuotas(params.id), v.hidden);
  };
}

/** `utils.check_string_length(id, 'quota_class_name', min_length=1, max_length=255)`. */
function checkClassName(id: string): void {
  const length = [...id].length;
  if (length < 1) {
    throw new HttpError(400, `quota_class_name has ${length} characters, less than 1.`);
  }
  if (length > 255) {
    throw new HttpError(400, `quota_class_name has ${length} characters, more than 255.`);
  }
}

function update(services: Services, engine: QuotaEngine) {
  return (v: Variant): Handler => ({ req, params, body }: HandlerArgs) => {
    validateBodyFor(req, body, [{ schema: v.schema }]);
    services.policy.authorize(req.context!, `${POLICY}:update`, {});
    checkClassName(params.id);
    const updates = (body as { quota_class_set: Record<string, unknown> }).quota_class_set;
    engine.db.transaction(() => {
      for (const [key, value] of Object.entries(updates)) {
        engine.store.setClassLimit(params.id, key, Number.parseInt(String(value), 10));
      }
    });
    return formatQuotaClassSet(null, engine.driver.getClassQuotas(params.id), v.hidden);
  };
}

function versioned(make: (v: Variant) => Handler) {
  return [
    { min: "2.57", handler: make(V257) },
    { min: "2.50", max: "2.56", handler: make(V250) },
    { min: "2.1", max: "2.49", handler: make(V21) },
  ];
}

/** The QuotaClassSetsController spec. */
export function quotaClassSetsController(services: Services): ControllerSpec {
  const engine = quotaEngine(services);
  return {
    name: "QuotaClassSetsController",
    methods: {
      show: { handler: versioned(show(services, engine)), expectedErrors: [] },
      update: { handler: versioned(update(services, engine)), expectedErrors: [400] },
    },
  };
}
