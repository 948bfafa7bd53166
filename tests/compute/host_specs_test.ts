/**
 * `[novalet_compute] hosts`: the compute hosts a configuration names, with
 * their sizes, and the one-line errors for what cannot be read.
 */

import { strict as assert } from "node:assert";
import { Conf } from "../../lib/config/conf.ts";
import { parseHostSpecs } from "../../lib/compute/servers/host.ts";

const conf = (text: string) => Conf.load([{ name: "test.conf", text }]);

Deno.test("parseHostSpecs() reads names and sizes, defaults from [novalet_compute]", () => {
  assert.deepEqual(parseHostSpecs(conf("[DEFAULT]\nhost = h\n")), [
    { name: "h", vcpus: 1000, memory_mb: 800000, local_gb: 600000 },
  ]);
  const specs = parseHostSpecs(
    conf("[novalet_compute]\nvcpus = 4\nhosts = a:8:1024:10, b, c::2048\n"),
  );
  assert.deepEqual(specs, [
    { name: "a", vcpus: 8, memory_mb: 1024, local_gb: 10 },
    { name: "b", vcpus: 4, memory_mb: 800000, local_gb: 600000 },
    { name: "c", vcpus: 4, memory_mb: 2048, local_gb: 600000 },
  ]);
  assert.deepEqual(parseHostSpecs(conf("[novalet_compute]\nhosts =\n")), []);
});

Deno.test("parseHostSpecs() refuses malformed entries with one line", () => {
  const cases: [string, string][] = [
    [
      "a:1:2:3:4",
      'Invalid value for [novalet_compute] hosts: "a:1:2:3:4" (expected name[:vcpus[:memory_mb[:local_gb]]])',
    ],
    ["a, a", 'Invalid value for [novalet_compute] hosts: "a" (host a is listed twice)'],
    [
      "a:-1",
      'Invalid value for [novalet_compute] hosts: "a:-1" (vcpus must be a non-negative integer)',
    ],
    [
      ":4",
      'Invalid value for [novalet_compute] hosts: ":4" (expected name[:vcpus[:memory_mb[:local_gb]]])',
    ],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => parseHostSpecs(conf(`[novalet_compute]\nhosts = ${value}\n`)), { message });
  }
});
