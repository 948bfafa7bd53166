/**
 * The metadata versions nova 26 serves: the EC2 ones (`/2009-04-04/...`)
 * and the OpenStack ones (`/openstack/2012-08-10/...`), the file names of
 * the OpenStack format, and the version comparisons that decide which
 * keys and files a version has.
 *
 * Mirrors nova/api/metadata/base.py (`VERSIONS`, `OPENSTACK_VERSIONS`,
 * `_check_version`, `_check_os_version`).
 *
 * @module
 */

/** The EC2 versions, oldest first (`base.VERSIONS`). */
export const VERSIONS: readonly string[] = [
  "1.0",
  "2007-01-19",
  "2007-03-01",
  "2007-08-29",
  "2007-10-10",
  "2007-12-15",
  "2008-02-01",
  "2008-09-01",
  "2009-04-04",
];

export const FOLSOM = "2012-08-10";
export const GRIZZLY = "2013-04-04";
export const HAVANA = "2013-10-17";
export const LIBERTY = "2015-10-15";
export const NEWTON_ONE = "2016-06-30";
export const NEWTON_TWO = "2016-10-06";
export const OCATA = "2017-02-22";
export const ROCKY = "2018-08-27";
export const VICTORIA = "2020-10-14";

/** The OpenStack versions, oldest first (`base.OPENSTACK_VERSIONS`). */
export const OPENSTACK_VERSIONS: readonly string[] = [
  FOLSOM,
  GRIZZLY,
  HAVANA,
  LIBERTY,
  NEWTON_ONE,
  NEWTON_TWO,
  OCATA,
  ROCKY,
  VICTORIA,
];

export const MD_JSON_NAME = "meta_data.json";
export const VD_JSON_NAME = "vendor_data.json";
export const VD2_JSON_NAME = "vendor_data2.json";
export const NW_JSON_NAME = "network_data.json";
export const UD_NAME = "user_data";
export const PASS_NAME = "password";
export const CONTENT_DIR = "content";

export const MIME_TYPE_TEXT_PLAIN = "text/plain";
export const MIME_TYPE_APPLICATION_JSON = "application/json";

/**
 * `_check_version`: whether `requested` is `required` or newer in
 * `versions`. Both must be in the list (nova's `list.index` raises
 * otherwise; callers only pass known versions).
 */
export function checkVersion(
  required: string,
  requested: string,
  versions: readonly string[] = VERSIONS,
): boolean {
  return versions.indexOf(requested) >= versions.indexOf(required);
}

/** `_check_os_version`: {@link checkVersion} over the OpenStack versions. */
export function checkOsVersion(required: string, requested: string): boolean {
  return checkVersion(required, requested, OPENSTACK_VERSIONS);
}

/**
 * The OpenStack versions `/openstack` lists: those not in the future
 * (nova hides versions dated after today, UTC), then `latest`.
 */
export function listedOpenstackVersions(now: Date = new Date()): string[] {
  const today = now.toISOString().slice(0, 10);
  return [...OPENSTACK_VERSIONS.filter((v) => v <= today), "latest"];
}
