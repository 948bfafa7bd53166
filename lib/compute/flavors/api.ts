/**
 * The flavor service other areas call (the servers API looks flavors up
 * here): nova's `Flavor` object and `nova.compute.flavors` helpers on the
 * SQLite store.
 *
 * Nova keeps flavors in the API database and hard-deletes them
 * (`_flavor_destroy`); so does novalet. A deleted flavor is gone for
 * `get`/`getById`; an instance keeps the copy of its flavor that it stored
 * when it was built (nova's `instance.flavor`), so store the whole
 * {@link Flavor} object with the instance rather than a reference.
 *
 * Mirrors nova/objects/flavor.py and nova/compute/flavors.py.
 *
 * @module
 */

import type { AuthContext } from "../../request.ts";
import type { Services } from "../../services.ts";
import { seedDevstackFlavors } from "./seed.ts";
import { FlavorStore } from "./store.ts";

/** nova's `Flavor` object (the API database row plus its extra specs). */
export interface Flavor {
  /** The database id (`flavors.id`), what `instance.flavor.id` holds. */
  id: number;
  /** The API's id (`flavorRef`, `flavor.id` in views). */
  flavorid: string;
  name: string;
  memory_mb: number;
  vcpus: number;
  root_gb: number;
  ephemeral_gb: number;
  swap: number;
  /** A float in Python: write it with `PyFloat` in responses. */
  rxtx_factor: number;
  vcpu_weight: number | null;
  is_public: boolean;
  disabled: boolean;
  description: string | null;
  extra_specs: Record<string, string>;
  created_at: string;
  updated_at: string | null;
  /** Always null: nova's API database deletes flavor rows (kept for the instance snapshot shape). */
  deleted_at: string | null;
}

/** What `FlavorList.get_all` filters on (`filters` of nova's flavors controller). */
export interface FlavorFilters {
  /** `min_memory_mb`: memory_mb >= this. */
  minMemoryMb?: number;
  /** `min_root_gb`: root_gb >= this. */
  minRootGb?: number;
  /** `disabled`. */
  disabled?: boolean;
  /** `is_public`: true (public + the project's), false (private only), null/absent (all). */
  isPublic?: boolean | null;
}

/** Paging and order of `FlavorList.get_all`. */
export interface FlavorListOptions {
  filters?: FlavorFilters;
  /** A column of `flavors` (validated by the caller); default `flavorid`. */
  sortKey?: string;
  sortDir?: "asc" | "desc";
  limit?: number | null;
  /** A flavorid; an unknown one is {@link MarkerNotFound}. */
  marker?: string | null;
}

/** What `nova.compute.flavors.create` takes, validated. */
export interface FlavorCreate {
  name: string;
  memory_mb: number;
  vcpus: number;
  root_gb: number;
  ephemeral_gb: number;
  /** null: a generated uuid, as nova does. */
  flavorid: string | null;
  swap: number;
  rxtx_factor: number;
  is_public: boolean;
  description: string | null;
}

/** nova.exception.FlavorNotFound. */
export class FlavorNotFound extends Error {
  constructor(readonly flavorId: string | number) {
    super(`Flavor ${flavorId} could not be found.`);
    this.name = "FlavorNotFound";
  }
}

/** nova.exception.MarkerNotFound. */
export class MarkerNotFound extends Error {
  constructor(readonly marker: string) {
    super(`Marker ${marker} could not be found.`);
    this.name = "MarkerNotFound";
  }
}

/** nova.exception.FlavorExists / FlavorIdExists (409). */
export class FlavorConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FlavorConflict";
  }
}

/** nova.exception.FlavorAccessExists / FlavorAccessNotFound / FlavorExtraSpecsNotFound. */
export class FlavorRelationError extends Error {
  constructor(readonly kind: "exists" | "not_found", message: string) {
    super(message);
    this.name = "FlavorRelationError";
  }
}

/** The flavor service bound to one store. */
export class FlavorApi {
  readonly #store: FlavorStore;

  constructor(store: FlavorStore) {
    this.#store = store;
  }

  /** The underlying store (controllers, seeding, tests). */
  get store(): FlavorStore {
    return this.#store;
  }

  /**
   * `Flavor.get_by_flavor_id(context, flavorid)`: the flavor with this API
   * id as `ctx` may see it (admins see all; others the public ones and the
   * private ones their project has access to), or null.
   */
  get(ctx: AuthContext, flavorid: string): Flavor | null {
    return this.#store.getByFlavorId(flavorid, visibilityOf(ctx));
  }

  /** `Flavor.get_by_id` with an admin context: the row with this database id, or null. */
  getById(id: number): Flavor | null {
    return this.#store.getById(id);
  }

  /** `Flavor.get_by_name` as `ctx` may see it, or null. */
  getByName(ctx: AuthContext, name: string): Flavor | null {
    return this.#store.getByName(name, visibilityOf(ctx));
  }

  /**
   * `FlavorList.get_all(context, filters, sort_key, sort_dir, limit, marker)`.
   *
   * @throws {MarkerNotFound} when the marker flavor is not visible to `ctx`
   */
  list(ctx: AuthContext, options: FlavorListOptions = {}): Flavor[] {
    return this.#store.list(visibilityOf(ctx), options);
  }

  /** The project ids with access to a flavor (`Flavor.projects`). */
  projects(flavor: Flavor): string[] {
    return this.#store.projects(flavor.id);
  }

  /**
   * `nova.compute.flavors.create`: a flavor with a generated uuid when no
   * flavorid is given.
   *
   * @throws {FlavorConflict} when the flavorid or the name is in use
   */
  create(values: FlavorCreate): Flavor {
    const flavorid = values.flavorid ?? crypto.randomUUID();
    return this.#store.create({ ...values, flavorid });
  }

  /** `flavor.description = ...; flavor.save()`. */
  updateDescription(flavor: Flavor, description: string | null): Flavor {
    return this.#store.updateDescription(flavor.id, description);
  }

  /** `Flavor(flavorid=...).destroy()`. @throws {FlavorNotFound} */
  destroy(flavorid: string): void {
    this.#store.destroy(flavorid);
  }

  /** `flavor.add_access(project)`. @throws {FlavorRelationError} when it exists */
  addAccess(flavor: Flavor, projectId: string): string[] {
    this.#store.addProject(flavor.id, projectId);
    return this.#store.projects(flavor.id);
  }

  /** `flavor.remove_access(project)`. @throws {FlavorRelationError} when it does not exist */
  removeAccess(flavor: Flavor, projectId: string): string[] {
    this.#store.removeProject(flavor.id, projectId);
    return this.#store.projects(flavor.id);
  }

  /** `flavor.extra_specs = dict(flavor.extra_specs, **specs); flavor.save()`. */
  setExtraSpecs(flavor: Flavor, specs: Record<string, string>): void {
    this.#store.setExtraSpecs(flavor.id, specs);
  }

  /** `del flavor.extra_specs[key]; flavor.save()`. @throws {FlavorRelationError} */
  deleteExtraSpec(flavor: Flavor, key: string): void {
    this.#store.deleteExtraSpec(flavor.id, flavor.flavorid, key);
  }
}

/** Who is asking: `null` project means an admin context (sees everything). */
export interface Visibility {
  isAdmin: boolean;
  projectId: string | null;
}

function visibilityOf(ctx: AuthContext): Visibility {
  return { isAdmin: ctx.isAdmin, projectId: ctx.projectId };
}

/** The flavor service of these services (one per process). */
export function flavorApi(services: Services): FlavorApi {
  return services.get(makeFlavorApi);
}

function makeFlavorApi(services: Services): FlavorApi {
  const store = new FlavorStore(services.store);
  if (services.conf.novalet.seed_flavors) seedDevstackFlavors(store);
  return new FlavorApi(store);
}
