/**
 * The image and flavor checks of a server create: the image must be
 * active and bootable, its config drive property valid, the flavor's
 * memory and root disk big enough for it, and a zero-disk flavor booting
 * an image needs the `create:zero_disk_flavor` policy.
 *
 * Mirrors nova/compute/api.py `_detect_nonbootable_image_from_properties`,
 * `_validate_flavor_image`, `_validate_flavor_image_nostatus`.
 *
 * @module
 */

import type { Flavor } from "../flavors/api.ts";
import type { Image } from "../images/api.ts";
import type { RequestContext } from "./context.ts";
import { Forbidden, Invalid, NovaException } from "./errors.ts";
import type { ComputeService } from "./service.ts";

const GIB = 1024 ** 3;

/**
 * `_checks_for_create_and_rebuild`'s image part.
 *
 * @throws {NovaException} ImageNotActive, FlavorMemoryTooSmall, FlavorDisk* (400)
 * @throws {Invalid} ImageUnacceptable, InvalidImageConfigDrive
 * @throws {Forbidden} BootFromVolumeRequiredForZeroDiskFlavor
 */
export function checkFlavorImage(
  svc: ComputeService,
  ctx: RequestContext,
  imageId: string | null,
  image: Image | null,
  flavor: Flavor,
  rootIsVolume: boolean,
): void {
  if (!image) return;
  if (image.properties.cinder_encryption_key_id && imageId) {
    throw new Invalid(
      `Image ${imageId} is unacceptable: Direct booting of an image uploaded from an encrypted volume is unsupported.`,
    );
  }
  if (image.status !== "active") throw new NovaException(`Image ${imageId} is not active.`, 400);
  const configDrive = image.properties.img_config_drive ?? "optional";
  if (configDrive !== "optional" && configDrive !== "mandatory") {
    throw new Invalid(`Image's config drive option '${configDrive}' is invalid`);
  }
  if (flavor.memory_mb < (image.min_ram || 0)) {
    throw new NovaException("Flavor's memory is too small for requested image.", 400);
  }
  if (rootIsVolume) return;
  const minDisk = (image.min_disk || 0) * GIB;
  const size = image.size || 0;
  const dest = flavor.root_gb * GIB;
  if (dest !== 0) {
    if (size > dest) {
      throw new NovaException(
        `Flavor's disk is too small for requested image. Flavor disk is ${dest} bytes, image is ${size} bytes.`,
        400,
      );
    }
    if (minDisk > dest) {
      throw new NovaException(
        `Flavor's disk is smaller than the minimum size specified in image metadata. Flavor disk is ${dest} bytes, minimum size is ${minDisk} bytes.`,
        400,
      );
    }
  } else if (!svc.policy.check(ctx.auth, "os_compute_api:servers:create:zero_disk_flavor")) {
    throw new Forbidden("Only volume-backed servers are allowed for flavors with zero disk.");
  }
}
