/**
 * LimitsController: `GET /limits`, the project's absolute limits with
 * what it uses, and the empty list of rate limits. Admins may ask for
 * another project's (`tenant_id`). The network limits leave at 2.36,
 * maxImageMeta at 2.39, the personality limits at 2.57.
 *
 * Mirrors nova/api/openstack/compute/limits.py and views/limits.py.
 *
 * @module
 */

import type { Services } from "../../services.ts";
import { validateQueryFor } from "../../validation/mod.ts";
import { lastParam } from "../common.ts";
import type { ControllerSpec, Handler, HandlerArgs } from "../wsgi.ts";
import type { QuotaValues } from "./driver.ts";
import { quotaEngine } from "./engine.ts";
import * as schemas from "./schemas.ts";

/** `limit_names`: each quota's absolute limit names. */
const LIMIT_NAMES: Readonly<Record<string, readonly string[]>> = {
  ram: ["maxTotalRAMSize"],
  instances: ["maxTotalInstances"],
  cores: ["maxTotalCores"],
  key_pairs: ["maxTotalKeypairs"],
  floating_ips: ["maxTotalFloatingIps"],
  metadata_items: ["maxServerMeta", "maxImageMeta"],
  injected_files: ["maxPersonality"],
  injected_file_content_bytes: ["maxPersonalitySize"],
  security_groups: ["maxSecurityGroups"],
  security_group_rules: ["maxSecurityGroupRules"],
  server_groups: ["maxServerGroups"],
  server_group_members: ["maxServerGroupMembers"],
};

/** `_build_used_limits`' quota map. */
const USED_NAMES: readonly [string, string][] = [
  ["totalRAMUsed", "ram"],
  ["totalCoresUsed", "cores"],
  ["totalInstancesUsed", "instances"],
  ["totalFloatingIpsUsed", "floating_ips"],
  ["totalSecurityGroupsUsed", "security_groups"],
  ["totalServerGroupsUsed", "server_groups"],
];

const FILTERED_2_36 = ["floating_ips", "security_groups", "security_group_rules"];
const FILTERED_2_57 = [...FILTERED_2_36, "injected_files", "injected_file_content_bytes"];

/** `ViewBuilder.build`. */
export function limitsView(quotas: QuotaValues, filtered: readonly string[], imageMeta: boolean) {
  const absolute: Record<string, number> = {};
  for (const [name, value] of Object.entries(quotas)) {
    if (!(name in LIMIT_NAMES) || filtered.includes(name)) continue;
    for (const limitName of LIMIT_NAMES[name]) {
      if (imageMeta || limitName !== "maxImageMeta") absolute[limitName] = value.limit;
    }
  }
  for (const [display, key] of USED_NAMES) {
    if (key in quotas && !filtered.includes(key)) absolute[display] = quotas[key].in_use ?? 0;
  }
  return { limits: { rate: [], absolute } };
}

const QUERY = [{ schema: schemas.limitsQuery }];
const QUERY_257 = [
  { schema: schemas.limitsQueryV275, min: "2.75" },
  { schema: schemas.limitsQuery, min: "2.57", max: "2.74" },
];

function index(services: Services, filtered: readonly string[], imageMeta: boolean, query = QUERY) {
  const engine = quotaEngine(services);
  return (({ req }: HandlerArgs) => {
    const params = validateQueryFor(req, req.query, query);
    const ctx = req.context!;
    services.policy.authorize(ctx, "os_compute_api:limits", {});
    let projectId = ctx.projectId ?? "";
    if ("tenant_id" in params) {
      projectId = lastParam(params, "tenant_id") ?? "";
      services.policy.authorize(ctx, "os_compute_api:limits:other_project");
    }
    const quotas = engine.driver.getProjectQuotas(projectId, true);
    return limitsView(quotas, filtered, imageMeta);
  }) satisfies Handler;
}

/** The LimitsController spec. */
export function limitsController(services: Services): ControllerSpec {
  return {
    name: "LimitsController",
    methods: {
      index: {
        expectedErrors: [],
        handler: [
          { min: "2.57", handler: index(services, FILTERED_2_57, false, QUERY_257) },
          { min: "2.39", max: "2.56", handler: index(services, FILTERED_2_36, false) },
          { min: "2.36", max: "2.38", handler: index(services, FILTERED_2_36, true) },
          { min: "2.1", max: "2.35", handler: index(services, [], true) },
        ],
      },
    },
  };
}
