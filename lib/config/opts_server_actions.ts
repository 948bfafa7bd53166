/**
 * The options the server actions read, with nova's names and defaults
 * (nova/conf/compute.py, service.py, vnc.py, spice.py, rdp.py,
 * serial_console.py, mks.py, consoleauth.py), kept apart from opts.ts and
 * merged into its groups there.
 *
 * @module
 */

import { boolOpt, floatOpt, intOpt, listOpt, strOpt } from "./types.ts";

/** `[DEFAULT]` options of the server actions. */
export const SERVER_ACTIONS_DEFAULT = {
  allow_resize_to_same_host: boolOpt(
    false,
    "Allow a resize to stay on its compute host (the scheduler may pick the same host).",
  ),
  resize_confirm_window: intOpt(
    0,
    "Confirm resizes automatically after this many seconds in VERIFY_RESIZE (0: never).",
    { min: 0 },
  ),
  reclaim_instance_interval: intOpt(
    0,
    "Above 0, deleted servers are only SOFT_DELETED (restore brings them back) and reclaimed " +
      "after this many seconds.",
  ),
  shelved_offload_time: intOpt(
    0,
    "Seconds a shelved server keeps its host before it is offloaded (0: at once; negative: never).",
  ),
  shelved_poll_interval: intOpt(
    3600,
    "Seconds between the checks for shelved servers to offload (<= 0: never).",
  ),
  rescue_timeout: intOpt(
    0,
    "Unrescue servers left in RESCUE for this many seconds (0: never).",
  ),
  non_inheritable_image_properties: listOpt(
    ["cache_in_nova", "bittorrent"],
    "Image properties a snapshot of a server does not inherit.",
  ),
  periodic_enable: boolOpt(
    true,
    "Run the compute service's periodic tasks (resize auto-confirm, reclaim, shelve offload).",
  ),
};

/** `[vnc]` */
export const VNC = {
  enabled: boolOpt(true, "Offer VNC consoles (os-getVNCConsole, remote-consoles vnc)."),
  novncproxy_base_url: strOpt(
    "http://127.0.0.1:6080/vnc_auto.html",
    "noVNC proxy URL the console URLs point at (a token is added).",
  ),
};

/** `[spice]` */
export const SPICE = {
  enabled: boolOpt(false, "Offer SPICE consoles."),
  html5proxy_base_url: strOpt(
    "http://127.0.0.1:6082/spice_auto.html",
    "SPICE HTML5 proxy URL the console URLs point at.",
  ),
};

/** `[rdp]` */
export const RDP = {
  enabled: boolOpt(false, "Offer RDP consoles."),
  html5_proxy_base_url: strOpt(
    "http://127.0.0.1:6083/",
    "RDP HTML5 proxy URL the console URLs point at.",
  ),
};

/** `[serial_console]` */
export const SERIAL_CONSOLE = {
  enabled: boolOpt(false, "Offer serial consoles."),
  base_url: strOpt("ws://127.0.0.1:6083/", "Serial console proxy URL the console URLs point at."),
};

/** `[mks]` */
export const MKS = {
  enabled: boolOpt(false, "Offer MKS (WebMKS) consoles (2.8)."),
  mksproxy_base_url: strOpt(
    "http://127.0.0.1:6090/",
    "MKS proxy URL the console URLs point at.",
  ),
};

/** `[consoleauth]` */
export const CONSOLEAUTH = {
  token_ttl: intOpt(600, "Seconds a console token stays valid.", { min: 0 }),
};

/** `[novalet_compute]` options of the server actions (novalet's own). */
export const SERVER_ACTIONS_NOVALET_COMPUTE = {
  periodic_interval: floatOpt(
    60,
    "Seconds between runs of the periodic tasks that have no interval option of their own " +
      "(resize auto-confirm, reclaim of soft-deleted servers, rescue timeout); nova runs " +
      "them every 60 seconds.",
    { min: 0.05 },
  ),
};
