/**
 * The volume controllers (volume and snapshot proxies, volume
 * attachments, assisted snapshots), by the class names ROUTE_LIST uses.
 *
 * @module
 */

import type { Services } from "../../services.ts";
import type { ControllerSpec } from "../wsgi.ts";
import { assistedVolumeSnapshotsController } from "./assisted_snapshots_controller.ts";
import { volumeAttachmentController } from "./attachments_controller.ts";
import { snapshotController, volumeController } from "./volumes_controller.ts";

/** Controller name → factory on the services. */
export const VOLUME_CONTROLLERS: Readonly<Record<string, (s: Services) => ControllerSpec>> = {
  VolumeController: volumeController,
  SnapshotController: snapshotController,
  VolumeAttachmentController: volumeAttachmentController,
  AssistedVolumeSnapshotsController: assistedVolumeSnapshotsController,
};
