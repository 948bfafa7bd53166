/**
 * The servers area's pure pieces against nova's own answers (computed with
 * nova 26's Python where noted): statuses, sort parameters, hostnames,
 * hostIds, times, and the flat network's allocation on a real store.
 */

import { strict as assert } from "node:assert";
import { instanceSortParams } from "../../lib/compute/servers/compute_api.ts";
import { InvalidInput } from "../../lib/compute/servers/errors.ts";
import { statusFromState, taskAndVmStateFromStatus } from "../../lib/compute/servers/states.ts";
import { isotime, parseIsoTime } from "../../lib/compute/servers/timeutil.ts";
import {
  generateHostId,
  generatePassword,
  generateUid,
  sanitizeHostname,
} from "../../lib/compute/servers/util.ts";
import { FixedIpAllocationFailed, FlatNetwork } from "../../lib/compute/network/flat.ts";
import { openStore } from "./_store.ts";

Deno.test("statusFromState() maps vm and task states as nova's _STATE_MAP", () => {
  assert.equal(statusFromState("active", null), "ACTIVE");
  assert.equal(statusFromState("active", "rebooting_hard"), "HARD_REBOOT");
  assert.equal(statusFromState("stopped", "powering-on"), "SHUTOFF");
  assert.equal(statusFromState("building", "spawning"), "BUILD");
  assert.equal(statusFromState("error", "rebuilding"), "REBUILD");
  assert.equal(statusFromState("bogus", null), "UNKNOWN");
});

Deno.test("taskAndVmStateFromStatus() matches nova's sorted answers", () => {
  // nova: (['active'], ['reboot_pending', 'reboot_started', 'rebooting'])
  assert.deepEqual(taskAndVmStateFromStatus(["reboot"]), [
    ["active"],
    ["reboot_pending", "reboot_started", "rebooting"],
  ]);
  // nova: (['active', 'stopped'], ['default'])
  assert.deepEqual(taskAndVmStateFromStatus(["active", "SHUTOFF"]), [["active", "stopped"], [
    "default",
  ]]);
  assert.deepEqual(taskAndVmStateFromStatus(["BOGUS"]), [[], []]);
});

Deno.test("instanceSortParams() adds uuid and nova's default keys, refuses bad directions", () => {
  assert.deepEqual(instanceSortParams(["created_at"], ["desc"]), [
    ["created_at", "uuid", "id"],
    ["desc", "asc", "desc"],
  ]);
  assert.deepEqual(instanceSortParams(["display_name", "host"], ["asc"]), [
    ["display_name", "host", "uuid", "created_at", "id"],
    ["asc", "asc", "asc", "asc", "asc"],
  ]);
  assert.deepEqual(instanceSortParams([], []), [["created_at", "id", "uuid"], [
    "desc",
    "desc",
    "asc",
  ]]);
  assert.throws(() => instanceSortParams(["uuid"], ["up"]), InvalidInput);
  assert.throws(
    () => instanceSortParams(["uuid"], ["asc", "desc"]),
    /^Error: Invalid input received: Sort direction size exceeds sort key size$|Sort direction size exceeds sort key size/,
  );
});

Deno.test("sanitizeHostname() and generateHostId() as nova's utils", () => {
  // nova: 'my-server-1-example--é'
  assert.equal(sanitizeHostname("My Server_1.example ☃ é"), "my-server-1-example--é");
  assert.equal(sanitizeHostname("..--abc--.."), "abc");
  // nova: sha224('demoproject' + 'novalet')
  assert.equal(
    generateHostId("novalet", "demoproject"),
    "62c3c0724e73454fae4010ce1672adb7aedf131565513aa48b6e2a36",
  );
  assert.equal(generateHostId(null, "demoproject"), "");
});

Deno.test("generatePassword() and generateUid() use nova's alphabets", () => {
  for (let i = 0; i < 50; i++) {
    const password = generatePassword(12);
    assert.match(password, /^[2-9A-HJ-NP-Za-km-z]{12}$/);
    assert.match(password, /[2-9]/);
    assert.match(password, /[A-Z]/);
    assert.match(password, /[a-z]/);
  }
  assert.match(generateUid("r"), /^r-[0-9a-z]{8}$/);
});

Deno.test("parseIsoTime() normalizes to naive UTC as timeutils does; isotime() adds Z", () => {
  // nova: 2024-02-03 03:05:06.500000
  assert.equal(parseIsoTime("2024-02-03T04:05:06.5+01:00"), "2024-02-03T03:05:06.500000");
  assert.equal(parseIsoTime("2024-02-03"), "2024-02-03T00:00:00.000000");
  assert.equal(parseIsoTime("garbage"), null);
  assert.equal(isotime("2024-02-03T03:05:06.500000"), "2024-02-03T03:05:06Z");
});

Deno.test("FlatNetwork allocates each address once and reuses only released ones", () => {
  const store = openStore();
  try {
    const net = new FlatNetwork(store, { id: "net", name: "private", cidr: "10.1.0.0/29" });
    const first = store.transaction(() => net.allocate("a", "auto"));
    assert.equal(first[0].address, "10.1.0.2");
    assert.match(first[0].mac_address, /^fa:16:3e(:[0-9a-f]{2}){3}$/);
    const more = ["b", "c", "d", "e"].map((u) =>
      store.transaction(() => net.allocate(u, null))[0].address
    );
    assert.deepEqual(more, ["10.1.0.3", "10.1.0.4", "10.1.0.5", "10.1.0.6"]);
    assert.throws(
      () => store.transaction(() => net.allocate("f", "auto")),
      FixedIpAllocationFailed,
    );
    store.transaction(() => net.release("c"));
    assert.equal(store.transaction(() => net.allocate("g", "auto"))[0].address, "10.1.0.4");
    const taken = [{ network_id: "net", address: "10.1.0.2", port_id: null, tag: null }];
    assert.throws(
      () => net.validate(taken),
      /Fixed IP address 10\.1\.0\.2 is already in use on instance a\./,
    );
    assert.throws(() => store.transaction(() => net.allocate("h", taken)), FixedIpAllocationFailed);
    assert.throws(
      () => net.validate([{ network_id: "other", address: null, port_id: null, tag: null }]),
      /Network other could not be found\./,
    );
    assert.deepEqual(net.allocate("i", "none"), []);
  } finally {
    store.close();
  }
});
