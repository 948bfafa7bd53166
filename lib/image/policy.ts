/**
 * glance's image policies, as a rule set of their own on the oslo.policy
 * engine of lib/policy: glance 25's defaults for what novalet serves
 * (zed's check strings, each with its deprecated `rule:default`, so that
 * without `[oslo_policy] enforce_new_defaults` everything but
 * `publicize_image` is open and the owner checks below decide), plus the
 * owner checks glance keeps in its API layer while `enforce_secure_rbac` is
 * off (its default).
 *
 * Mirrors glance/policies/base.py and image.py, glance/api/policy.py
 * (`Enforcer.enforce`, `ImageTarget`, `_enforce_image_visibility`) and
 * glance/api/v2/policy.py (`ImageAPIPolicy`, `check_is_image_mutable`,
 * `check_admin_or_same_owner`).
 *
 * @module
 */

import type { Image } from "../compute/images/api.ts";
import type { Conf } from "../config/conf.ts";
import type { RuleDefault } from "../policy/defaults.ts";
import { Enforcer } from "../policy/enforcer.ts";
import type { AuthContext } from "../request.ts";
import { GlanceHttpError } from "./errors.ts";

const MEMBER = "role:member and project_id:%(project_id)s";
const READER = "role:reader and project_id:%(project_id)s";
const SHARED = "project_id:%(member_id)s or 'community':%(visibility)s or " +
  "'public':%(visibility)s or 'shared':%(visibility)s";
const ADMIN_OR_MEMBER = `role:admin or (${MEMBER})`;
const DEPRECATED_DEFAULT = (name: string) => ({ name, check: "rule:default" });

function rule(name: string, check: string): RuleDefault {
  return { name, check, scopeTypes: ["project"], deprecated: DEPRECATED_DEFAULT(name) };
}

/** glance 25's default rules for the image calls novalet serves. */
export const GLANCE_IMAGE_RULES: readonly RuleDefault[] = [
  { name: "default", check: "", deprecated: { name: "default", check: "role:admin" } },
  { name: "context_is_admin", check: "role:admin" },
  rule("add_image", `role:admin or (${MEMBER} and project_id:%(owner)s)`),
  rule("delete_image", ADMIN_OR_MEMBER),
  rule(
    "get_image",
    `role:admin or (role:reader and (project_id:%(project_id)s or ${SHARED}))`,
  ),
  rule("get_images", `role:admin or (${READER})`),
  rule("modify_image", ADMIN_OR_MEMBER),
  { name: "publicize_image", check: "role:admin", scopeTypes: ["project"] },
  rule("communitize_image", ADMIN_OR_MEMBER),
  rule(
    "download_image",
    `role:admin or (role:member and (project_id:%(project_id)s or ${SHARED}))`,
  ),
  rule("upload_image", ADMIN_OR_MEMBER),
];

/** glance.common.exception.Forbidden from the owner checks: each controller words its 403. */
export class Forbidden extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Forbidden";
  }
}

/** `ImageTarget(image)`: the image's attributes and extra properties; `project_id` is the owner. */
export function imageTarget(image: Image): Record<string, unknown> {
  return {
    ...image.properties,
    id: image.id,
    name: image.name,
    status: image.status,
    visibility: image.visibility,
    protected: image.protected,
    owner: image.owner,
    project_id: image.owner,
    member_id: null,
    min_ram: image.min_ram,
    min_disk: image.min_disk,
    disk_format: image.disk_format,
    container_format: image.container_format,
    os_hidden: image.os_hidden,
  };
}

/** glance's policy enforcer and the checks of `ImageAPIPolicy`. */
export class ImagePolicy {
  readonly enforcer: Enforcer;

  constructor(conf: Conf) {
    this.enforcer = new Enforcer(conf, { defaults: GLANCE_IMAGE_RULES });
  }

  /** `check_is_admin`: the `context_is_admin` rule. */
  isAdmin(ctx: AuthContext): boolean {
    return this.enforcer.isAdmin(ctx);
  }

  /**
   * `Enforcer.enforce`: 403 "You are not authorized to complete <action>
   * action." when refused.
   *
   * @throws {GlanceHttpError} 403
   */
  enforce(ctx: AuthContext, action: string, target: Record<string, unknown>): void {
    if (!this.enforcer.check(ctx, action, target)) {
      throw new GlanceHttpError(403, {
        explanation: `You are not authorized to complete ${action} action.`,
      });
    }
  }

  /**
   * `ImageAPIPolicy._enforce` for an existing image: a refusal is a 404
   * when the caller may not even see the image.
   *
   * @throws {GlanceHttpError} 403 or 404
   */
  enforceOn(ctx: AuthContext, action: string, image: Image): void {
    const target = imageTarget(image);
    if (this.enforcer.check(ctx, action, target)) return;
    if (action === "get_image" || !this.enforcer.check(ctx, "get_image", target)) {
      throw new GlanceHttpError(404);
    }
    this.enforce(ctx, action, target);
  }

  /** `_enforce_image_visibility`: public needs publicize_image, community communitize_image. */
  enforceVisibility(ctx: AuthContext, visibility: unknown, target: Record<string, unknown>): void {
    if (visibility === "public") this.enforce(ctx, "publicize_image", target);
    else if (visibility === "community") this.enforce(ctx, "communitize_image", target);
  }

  /** `add_image`, the visibility asked for, and `check_admin_or_same_owner`. */
  addImage(ctx: AuthContext, owner: string | null, visibility: unknown): void {
    const target = { project_id: owner, owner, visibility: visibility ?? "private" };
    this.enforce(ctx, "add_image", target);
    this.enforceVisibility(ctx, target.visibility, target);
    if (!ctx.isAdmin && ctx.projectId !== owner) {
      throw new Forbidden(`You are not permitted to create images owned by '${owner}'.`);
    }
  }

  /**
   * An action that changes the image (`modify_image`, `upload_image`,
   * `delete_image`), then `check_is_image_mutable`.
   *
   * @throws {Forbidden} "You do not own this image" for anyone but an admin or the owner
   */
  mutate(ctx: AuthContext, action: string, image: Image): void {
    this.enforceOn(ctx, action, image);
    if (ctx.isAdmin) return;
    if (image.owner === null || ctx.projectId === null || image.owner !== ctx.projectId) {
      throw new Forbidden("You do not own this image");
    }
  }

  /** `update_property`: the visibility check for a new visibility, then modify_image. */
  updateProperty(ctx: AuthContext, image: Image, name: string, value?: unknown): void {
    if (name === "visibility") this.enforceVisibility(ctx, value, imageTarget(image));
    this.mutate(ctx, "modify_image", image);
  }
}
