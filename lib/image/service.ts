/**
 * What the image API's controllers share, made once per process: the
 * repository over the images table, the image files, glance's policies and
 * the `[image]` limits. Making it also cleans up after a process that
 * stopped mid-upload: its temporary files go, and its images in `saving`
 * become `killed` (their data never arrived).
 *
 * @module
 */

import type { Services } from "../services.ts";
import { getLogger } from "../log.ts";
import { ImageFiles } from "./data.ts";
import { ImagePolicy } from "./policy.ts";
import { ImageRepo } from "./repo.ts";

const LOG = getLogger("glance.api.v2.images");

/** The image service of one process. */
export class ImageService {
  readonly repo: ImageRepo;
  readonly files: ImageFiles;
  readonly policy: ImagePolicy;
  /** `[image] max_image_size` (glance's image_size_cap). */
  readonly maxImageSize: number;
  /** `[image] limit_param_default` and `api_limit_max`. */
  readonly limits: { default: number; max: number };
  /** `[image] public_endpoint`. */
  readonly publicEndpoint: string | null;

  constructor(services: Services) {
    const { conf } = services;
    this.repo = new ImageRepo(services.store);
    this.files = new ImageFiles(`${conf.DEFAULT.state_path}/images`);
    this.policy = new ImagePolicy(conf);
    this.maxImageSize = conf.image.max_image_size;
    this.limits = { default: conf.image.limit_param_default, max: conf.image.api_limit_max };
    this.publicEndpoint = conf.image.public_endpoint;
  }

  /** Start-up clean-up of interrupted uploads. */
  recover(): void {
    const files = this.files.removeLeftovers();
    const killed = this.repo.killInterruptedUploads();
    if (files || killed) {
      LOG.warning(`Cleaned up ${files} partial upload file(s); ${killed} image(s) marked killed`);
    }
  }
}

/** The image service of these services (made, and recovered, on first use). */
export function imageService(services: Services): ImageService {
  return services.get(makeImageService);
}

function makeImageService(services: Services): ImageService {
  const service = new ImageService(services);
  service.recover();
  return service;
}
