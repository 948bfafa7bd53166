/**
 * The compute service of one novalet process: the stores, the built-in
 * network, the compute host and its (fake) hypervisor, the background
 * worker, and the three layers nova splits across services — the compute
 * API (what controllers call), the conductor/scheduler (placing builds)
 * and the compute manager (driving the hypervisor). Made once per
 * {@link Services} by {@link computeService}; on start it runs
 * nova-compute's `init_host` recovery.
 *
 * @module
 */

import type { Conf } from "../../config/conf.ts";
import type { Enforcer } from "../../policy/enforcer.ts";
import type { Services } from "../../services.ts";
import type { Store } from "../../store/db.ts";
import type { InjectionInfo } from "../../metadata/config_drive.ts";
import type { ComputeDriver } from "../../virt/driver.ts";
import { FakeDriver } from "../../virt/fake.ts";
import { type FlavorApi, flavorApi } from "../flavors/api.ts";
import { type ImageApi, imageApi } from "../images/api.ts";
import { type KeypairApi, keypairApi } from "../keypairs/api.ts";
import { FlatNetwork } from "../network/flat.ts";
import { ActionStore } from "./actions.ts";
import { ComputeApi } from "./compute_api.ts";
import { Conductor } from "./conductor.ts";
import { type ComputeHost, ComputeHosts } from "./host.ts";
import { initHost } from "./init_host.ts";
import { startPeriodicTasks } from "./periodic.ts";
import { InstanceStore } from "./instance_store.ts";
import { registerSqlFunctions } from "./list_query.ts";
import { ViewCache } from "./list_views.ts";
import { ComputeManager } from "./manager.ts";
import { Worker } from "./worker.ts";

/** Everything the servers area works with, wired once. */
export class ComputeService {
  readonly conf: Conf;
  readonly db: Store;
  readonly policy: Enforcer;
  readonly instances: InstanceStore;
  readonly actions: ActionStore;
  readonly network: FlatNetwork;
  /** Every compute host of the configuration (see host.ts). */
  readonly hosts: ComputeHosts;
  /** This process's own host (`[DEFAULT] host`). */
  readonly host: ComputeHost;
  readonly worker = new Worker();
  /** What each pending build injects (admin password, files), until the build takes it. */
  readonly injections = new Map<string, InjectionInfo>();
  /** Rendered server views (see list_views.ts). */
  readonly viewCache = new ViewCache();
  readonly driver: ComputeDriver;
  readonly flavors: FlavorApi;
  readonly images: ImageApi;
  readonly keypairs: KeypairApi;
  readonly manager: ComputeManager;
  readonly conductor: Conductor;
  readonly api: ComputeApi;

  constructor(services: Services) {
    this.conf = services.conf;
    this.db = services.store;
    this.policy = services.policy;
    registerSqlFunctions(this.db.db);
    this.instances = new InstanceStore(this.db);
    this.actions = new ActionStore(this.db);
    this.network = FlatNetwork.fromConf(this.db, this.conf);
    this.hosts = new ComputeHosts(this.db, this.conf);
    this.host = this.hosts.local;
    this.driver = new FakeDriver(this.db, {
      nodeName: this.host.nodeName,
      spawnDelayMs: this.conf.novalet_compute.spawn_delay_ms,
      actionDelayMs: this.conf.novalet_compute.action_delay_ms,
      sleep: (ms) => this.worker.sleep(ms),
    });
    this.flavors = flavorApi(services);
    this.images = imageApi(services);
    this.keypairs = keypairApi(services);
    this.manager = new ComputeManager(this);
    this.conductor = new Conductor(this);
    this.api = new ComputeApi(this);
  }

  /** Registers the compute node and recovers what a previous run left half done. */
  start(): void {
    this.hosts.start();
    initHost(this);
    startPeriodicTasks(this);
  }

  /** Abandons background work (init_host picks it up on the next start). */
  stop(): Promise<void> {
    this.hosts.stop();
    return this.worker.stop();
  }
}

/** The compute service of these services (made and started on first use). */
export function computeService(services: Services): ComputeService {
  return services.get(makeComputeService);
}

function makeComputeService(services: Services): ComputeService {
  const service = new ComputeService(services);
  services.onStop(() => service.stop());
  service.start();
  return service;
}
