/**
 * nova's instance state machine vocabulary: vm_state, task_state and
 * power_state values, and the API status each (vm_state, task_state) pair
 * shows as.
 *
 * Mirrors nova/compute/vm_states.py, task_states.py, power_state.py and
 * `_STATE_MAP` / `status_from_state` / `task_and_vm_state_from_status` in
 * nova/api/openstack/common.py.
 *
 * @module
 */

/** nova/compute/vm_states.py */
export const VM = {
  ACTIVE: "active",
  BUILDING: "building",
  PAUSED: "paused",
  SUSPENDED: "suspended",
  STOPPED: "stopped",
  RESCUED: "rescued",
  RESIZED: "resized",
  SOFT_DELETED: "soft-deleted",
  DELETED: "deleted",
  ERROR: "error",
  SHELVED: "shelved",
  SHELVED_OFFLOADED: "shelved_offloaded",
} as const;

/** nova/compute/task_states.py (the ones novalet's actions use). */
export const TASK = {
  SCHEDULING: "scheduling",
  BLOCK_DEVICE_MAPPING: "block_device_mapping",
  NETWORKING: "networking",
  SPAWNING: "spawning",
  REBOOTING: "rebooting",
  REBOOT_PENDING: "reboot_pending",
  REBOOT_STARTED: "reboot_started",
  REBOOTING_HARD: "rebooting_hard",
  REBOOT_PENDING_HARD: "reboot_pending_hard",
  REBOOT_STARTED_HARD: "reboot_started_hard",
  POWERING_OFF: "powering-off",
  POWERING_ON: "powering-on",
  DELETING: "deleting",
  SOFT_DELETING: "soft-deleting",
  RESTORING: "restoring",
  REBUILDING: "rebuilding",
  REBUILD_BLOCK_DEVICE_MAPPING: "rebuild_block_device_mapping",
  REBUILD_SPAWNING: "rebuild_spawning",
  PAUSING: "pausing",
  UNPAUSING: "unpausing",
  SUSPENDING: "suspending",
  RESUMING: "resuming",
  UPDATING_PASSWORD: "updating_password",
  MIGRATING: "migrating",
  RESIZE_PREP: "resize_prep",
  RESIZE_MIGRATING: "resize_migrating",
  RESIZE_MIGRATED: "resize_migrated",
  RESIZE_FINISH: "resize_finish",
  RESIZE_REVERTING: "resize_reverting",
  RESIZE_CONFIRMING: "resize_confirming",
  IMAGE_SNAPSHOT: "image_snapshot",
  IMAGE_SNAPSHOT_PENDING: "image_snapshot_pending",
  IMAGE_PENDING_UPLOAD: "image_pending_upload",
  IMAGE_UPLOADING: "image_uploading",
  IMAGE_BACKUP: "image_backup",
  RESCUING: "rescuing",
  UNRESCUING: "unrescuing",
  SHELVING: "shelving",
  SHELVING_IMAGE_PENDING_UPLOAD: "shelving_image_pending_upload",
  SHELVING_IMAGE_UPLOADING: "shelving_image_uploading",
  SHELVING_OFFLOADING: "shelving_offloading",
  UNSHELVING: "unshelving",
} as const;

/** nova/compute/power_state.py */
export const POWER = {
  NOSTATE: 0,
  RUNNING: 1,
  PAUSED: 3,
  SHUTDOWN: 4,
  CRASHED: 6,
  SUSPENDED: 7,
} as const;

/** `power_state.STATE_MAP`: the names nova shows for power states. */
export const POWER_NAMES: Readonly<Record<number, string>> = {
  0: "pending",
  1: "running",
  3: "paused",
  4: "shutdown",
  6: "crashed",
  7: "suspended",
};

/** `vm_states.ALLOW_SOFT_REBOOT` */
export const ALLOW_SOFT_REBOOT: readonly string[] = [VM.ACTIVE];
/** `vm_states.ALLOW_HARD_REBOOT` */
export const ALLOW_HARD_REBOOT: readonly string[] = [
  VM.ACTIVE,
  VM.STOPPED,
  VM.PAUSED,
  VM.SUSPENDED,
  VM.ERROR,
];
/** `vm_states.ALLOW_TRIGGER_CRASH_DUMP` */
export const ALLOW_TRIGGER_CRASH_DUMP: readonly string[] = [
  VM.ACTIVE,
  VM.PAUSED,
  VM.RESCUED,
  VM.RESIZED,
  VM.ERROR,
];
/** `task_states.ALLOW_REBOOT` */
export const ALLOW_REBOOT: readonly (string | null)[] = [
  null,
  TASK.REBOOTING,
  TASK.REBOOT_PENDING,
  TASK.REBOOT_STARTED,
  TASK.RESUMING,
  TASK.REBOOTING_HARD,
  TASK.UNPAUSING,
  TASK.PAUSING,
  TASK.SUSPENDING,
];
/** `task_states.soft_reboot_states` */
export const SOFT_REBOOT_STATES: readonly string[] = [
  TASK.REBOOTING,
  TASK.REBOOT_PENDING,
  TASK.REBOOT_STARTED,
];

const REBUILD = {
  [TASK.REBUILDING]: "REBUILD",
  [TASK.REBUILD_BLOCK_DEVICE_MAPPING]: "REBUILD",
  [TASK.REBUILD_SPAWNING]: "REBUILD",
};
const RESIZE = {
  [TASK.RESIZE_PREP]: "RESIZE",
  [TASK.RESIZE_MIGRATING]: "RESIZE",
  [TASK.RESIZE_MIGRATED]: "RESIZE",
  [TASK.RESIZE_FINISH]: "RESIZE",
};

/** `_STATE_MAP`: vm_state → task_state (or "default") → API status. Key order is nova's. */
export const STATE_MAP: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  [VM.ACTIVE]: {
    default: "ACTIVE",
    [TASK.REBOOTING]: "REBOOT",
    [TASK.REBOOT_PENDING]: "REBOOT",
    [TASK.REBOOT_STARTED]: "REBOOT",
    [TASK.REBOOTING_HARD]: "HARD_REBOOT",
    [TASK.REBOOT_PENDING_HARD]: "HARD_REBOOT",
    [TASK.REBOOT_STARTED_HARD]: "HARD_REBOOT",
    [TASK.UPDATING_PASSWORD]: "PASSWORD",
    ...REBUILD,
    [TASK.MIGRATING]: "MIGRATING",
    ...RESIZE,
  },
  [VM.BUILDING]: { default: "BUILD" },
  [VM.STOPPED]: { default: "SHUTOFF", ...RESIZE, ...REBUILD },
  [VM.RESIZED]: { default: "VERIFY_RESIZE", [TASK.RESIZE_REVERTING]: "REVERT_RESIZE" },
  [VM.PAUSED]: { default: "PAUSED", [TASK.MIGRATING]: "MIGRATING" },
  [VM.SUSPENDED]: { default: "SUSPENDED" },
  [VM.RESCUED]: { default: "RESCUE" },
  [VM.ERROR]: { default: "ERROR", ...REBUILD },
  [VM.DELETED]: { default: "DELETED" },
  [VM.SOFT_DELETED]: { default: "SOFT_DELETED" },
  [VM.SHELVED]: { default: "SHELVED" },
  [VM.SHELVED_OFFLOADED]: { default: "SHELVED_OFFLOADED" },
};

/** `common.status_from_state(vm_state, task_state)`. */
export function statusFromState(vmState: string | null, taskState: string | null): string {
  const map = (vmState !== null && STATE_MAP[vmState]) || { default: "UNKNOWN" };
  return (taskState !== null && Object.hasOwn(map, taskState) ? map[taskState] : null) ??
    map.default;
}

/**
 * `common.task_and_vm_state_from_status(statuses)`: the vm_states and
 * task_states (with "default") whose status is one of `statuses`
 * (case-insensitive), each sorted.
 */
export function taskAndVmStateFromStatus(statuses: readonly string[]): [string[], string[]] {
  const wanted = new Set(statuses.map((s) => s.toLowerCase()));
  const vmStates = new Set<string>();
  const taskStates = new Set<string>();
  for (const [vmState, taskMap] of Object.entries(STATE_MAP)) {
    for (const [taskState, status] of Object.entries(taskMap)) {
      if (!wanted.has(status.toLowerCase())) continue;
      vmStates.add(vmState);
      taskStates.add(taskState);
    }
  }
  return [[...vmStates].sort(), [...taskStates].sort()];
}
