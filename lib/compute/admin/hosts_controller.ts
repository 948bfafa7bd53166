/**
 * HostController (`/os-hosts`, deprecated, to 2.42): the hosts of the
 * enabled services with their service topic and zone; a compute host's
 * resources (total, used now, used at most, per project); the driver's
 * host switches (enable/disable, maintenance mode) and power actions,
 * which nova's fake driver answers by echoing them.
 *
 * Mirrors nova/api/openstack/compute/hosts.py, schemas/hosts.py and
 * nova/virt/fake.py (`set_host_enabled`, `host_maintenance_mode`,
 * `host_power_action`).
 *
 * @module
 */

import { HttpError } from "../../errors.ts";
import type { ApiRequest } from "../../request.ts";
import type { Services } from "../../services.ts";
import { type ObjectSchema, validateBodyFor, validateQueryFor } from "../../validation/mod.ts";
import { lastParam } from "../common.ts";
import { type HostsApi, hostsApi } from "../hosts/api.ts";
import { API_SERVICES } from "../hosts/services_store.ts";
import type { ControllerSpec, HandlerArgs } from "../wsgi.ts";
import { authOf } from "./common.ts";
import { nodeStats } from "./hypervisor_views.ts";

const RULE = "os_compute_api:os-hosts:";
const SWITCH = {
  type: "string",
  enum: ["enable", "disable", "Enable", "Disable", "ENABLE", "DISABLE"],
} as const;

/** `update` (its `anyOf` sits among the properties, so it requires nothing). */
const UPDATE = {
  type: "object",
  properties: {
    status: SWITCH,
    maintenance_mode: SWITCH,
    anyOf: [{ required: ["status"] }, { required: ["maintenance_mode"] }],
  },
  additionalProperties: false,
} as const;

const INDEX_QUERY: ObjectSchema = {
  type: "object",
  properties: { zone: { type: "array", items: { type: "string" } } },
  additionalProperties: true,
};

/** Builds the controller (every method to 2.42). */
export function hostsController(services: Services): ControllerSpec {
  const api = () => hostsApi(services);
  const upTo242 = (fn: (a: HandlerArgs) => unknown, expectedErrors: number[]) => ({
    handler: [{
      min: "2.1",
      max: "2.42",
      handler: fn as (a: HandlerArgs) => Record<string, unknown>,
    }],
    expectedErrors,
  });
  const power = (action: string, rule: string) =>
    upTo242((a) => powerAction(api(), a, action, rule), [400, 404, 501]);
  return {
    name: "HostController",
    methods: {
      index: upTo242(({ req }) => index(api(), req), []),
      show: upTo242((a) => show(api(), a), [404]),
      update: upTo242((a) => update(api(), a), [400, 404, 501]),
      startup: power("startup", "start"),
      shutdown: power("shutdown", "shutdown"),
      reboot: power("reboot", "reboot"),
    },
  };
}

function index(api: HostsApi, req: ApiRequest) {
  const params = validateQueryFor(req, req.query, [{ schema: INDEX_QUERY }]);
  api.compute.policy.authorize(authOf(req), `${RULE}list`, {});
  const zone = lastParam(params, "zone");
  const hosts = api.services({ disabled: false })
    .filter((s) => !zone || s.availability_zone === zone)
    .filter((s) => !API_SERVICES.includes(s.binary))
    .map((s) => ({ host_name: s.host, service: s.topic, zone: s.availability_zone }));
  return { hosts };
}

/** `target_host_cell` + `_assert_host_exists`: the host must be a known compute host. */
function assertComputeHost(api: HostsApi, host: string): void {
  if (!api.records.computeService(host)) {
    throw new HttpError(404, `Host '${host}' is not mapped to any cell`);
  }
}

function show(api: HostsApi, { req, params }: HandlerArgs) {
  api.compute.policy.authorize(authOf(req), `${RULE}show`, {});
  const host = params.id;
  assertComputeHost(api, host);
  const node = api.computeNodes().find((n) => n.host === host);
  if (!node) throw new HttpError(404, `Compute host ${host} could not be found.`);
  const stats = nodeStats(api, node);
  const instances = api.instancesOn(host);
  const resource = (project: string, cpu: number, memory_mb: number, disk_gb: number) => ({
    resource: { host, project, cpu, memory_mb, disk_gb },
  });
  const sum = (list: typeof instances) =>
    list.reduce(
      (acc, i) => [
        acc[0] + (i.vcpus ?? 0),
        acc[1] + (i.memory_mb ?? 0),
        acc[2] + (i.root_gb ?? 0) + (i.ephemeral_gb ?? 0),
      ],
      [0, 0, 0],
    );
  const resources = [
    resource("(total)", stats.vcpus, stats.memory_mb, stats.local_gb),
    resource("(used_now)", stats.vcpus_used, stats.memory_mb_used, stats.local_gb_used),
    resource("(used_max)", ...sum(instances) as [number, number, number]),
  ];
  const projects = [...new Set(instances.map((i) => i.project_id))];
  for (const project of projects) {
    const [cpu, mem, disk] = sum(instances.filter((i) => i.project_id === project));
    resources.push(resource(String(project), cpu, mem, disk));
  }
  return { host: resources };
}

function update(api: HostsApi, { req, params, body }: HandlerArgs) {
  validateBodyFor(req, body, [{ schema: UPDATE }]);
  api.compute.policy.authorize(authOf(req), `${RULE}update`, {});
  const b = body as { status?: string; maintenance_mode?: string };
  const enabled = (v: string) => v.trim().toLowerCase() === "enable";
  const result: Record<string, unknown> = { host: params.id };
  if (b.status !== undefined) {
    assertComputeHost(api, params.id);
    result.status = enabled(b.status) ? "enabled" : "disabled";
  }
  if (b.maintenance_mode !== undefined) {
    assertComputeHost(api, params.id);
    result.maintenance_mode = enabled(b.maintenance_mode) ? "on_maintenance" : "off_maintenance";
  }
  return result;
}

function powerAction(api: HostsApi, { req, params }: HandlerArgs, action: string, rule: string) {
  api.compute.policy.authorize(authOf(req), RULE + rule, {});
  assertComputeHost(api, params.id);
  return { host: params.id, power_action: action };
}
