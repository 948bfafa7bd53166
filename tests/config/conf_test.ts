import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { Conf, ConfigError } from "../../lib/config/conf.ts";
import { parseCommandLine, readSources, UsageError } from "../../lib/config/load.ts";
import { renderSample } from "../../lib/config/sample.ts";

const load = (...texts: string[]) =>
  Conf.load(texts.map((text, i) => ({ name: `f${i}.conf`, text })));

Deno.test("Conf: nova's defaults apply when nothing is set", () => {
  const conf = load();
  assert.equal(conf.wsgi.default_pool_size, 1000);
  assert.equal(conf.DEFAULT.osapi_compute_listen_port, 8774);
  assert.equal(conf.api.auth_strategy, "keystone");
  assert.equal(conf.oslo_middleware.max_request_body_size, 114688);
  assert.deepEqual(conf.DEFAULT.enabled_apis, ["osapi_compute", "metadata"]);
});

Deno.test("Conf: a later file overrides an earlier one; a repeated section merges", () => {
  const conf = load(
    "[wsgi]\ndefault_pool_size = 10\nkeep_alive = false\n",
    "[wsgi]\ndefault_pool_size = 20\n[api]\nmax_limit = 5\n[wsgi]\ntcp_keepidle = 7\n",
  );
  assert.equal(conf.wsgi.default_pool_size, 20);
  assert.equal(conf.wsgi.keep_alive, false);
  assert.equal(conf.wsgi.tcp_keepidle, 7);
  assert.equal(conf.api.max_limit, 5);
});

Deno.test("Conf: $state_path and ${group.name} substitute other options", () => {
  const conf = load(
    "[DEFAULT]\nstate_path = /srv/nova\n[database]\nconnection = sqlite:///$state_path/nova.sqlite\n[healthcheck]\ndisable_by_file_path = ${DEFAULT.state_path}/off\n",
  );
  assert.equal(conf.database.connection, "sqlite:////srv/nova/nova.sqlite");
  assert.equal(conf.healthcheck.disable_by_file_path, "/srv/nova/off");
});

Deno.test("Conf: an invalid value names section, option and value in one line", () => {
  const cases: [string, RegExp][] = [
    [
      "[DEFAULT]\nosapi_compute_listen_port = abc\n",
      /^Invalid value for \[DEFAULT\] osapi_compute_listen_port: "abc" \(not an integer\)$/,
    ],
    [
      "[wsgi]\ndefault_pool_size = -1\n",
      /^Invalid value for \[wsgi\] default_pool_size: "-1" \(must be at least 0\)$/,
    ],
    ["[DEFAULT]\nosapi_compute_listen_port = 70000\n", /must be at most 65535/],
    ["[wsgi]\nkeep_alive = maybe\n", /\[wsgi\] keep_alive: "maybe" \(not a boolean\)/],
    ["[api]\nauth_strategy = magic\n", /must be one of keystone, noauth2/],
  ];
  for (const [text, re] of cases) {
    assert.throws(
      () => load(text),
      (e: Error) => e instanceof ConfigError && re.test(e.message) && !e.message.includes("\n"),
    );
  }
});

Deno.test("Conf.reload() applies mutable options only and reports ignored ones", () => {
  const conf = load("[DEFAULT]\ndebug = false\n[wsgi]\ndefault_pool_size = 5\n");
  const result = conf.reload([{
    name: "new",
    text: "[DEFAULT]\ndebug = true\n[wsgi]\ndefault_pool_size = 9\n",
  }]);
  assert.equal(conf.DEFAULT.debug, true);
  assert.equal(conf.wsgi.default_pool_size, 5);
  assert.deepEqual(result, { changed: ["DEFAULT.debug"], ignored: ["wsgi.default_pool_size"] });
});

Deno.test("command line: --config-file and --config-dir keep their order; bad arguments are usage errors", () => {
  const cmd = parseCommandLine([
    "--config-file",
    "a.conf",
    "--config-dir=d",
    "--config-file=b.conf",
  ]);
  assert.deepEqual(cmd.sources, [{ kind: "file", path: "a.conf" }, { kind: "dir", path: "d" }, {
    kind: "file",
    path: "b.conf",
  }]);
  assert.throws(() => parseCommandLine(["--config-file"]), UsageError);
  assert.throws(() => parseCommandLine(["--bogus"]), /unrecognized argument: --bogus/);
});

Deno.test("command line: embedded defaults first, then files, then a dir's *.conf in name order", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/b.conf`, "[wsgi]\ndefault_pool_size = 3\n");
    Deno.writeTextFileSync(`${dir}/a.conf`, "[wsgi]\ndefault_pool_size = 2\n");
    Deno.writeTextFileSync(`${dir}/ignored.txt`, "[wsgi]\ndefault_pool_size = 99\n");
    Deno.writeTextFileSync(`${dir}/one.ini`, "[wsgi]\ndefault_pool_size = 1\n");
    const sources = readSources(
      parseCommandLine(["--config-file", `${dir}/one.ini`, "--config-dir", dir]),
    );
    assert.deepEqual(sources.map((s) => s.name.replace(dir, "D")), [
      "<embedded etc/nova.conf>",
      "D/one.ini",
      "D/a.conf",
      "D/b.conf",
    ]);
    const conf = Conf.load(sources);
    assert.equal(conf.wsgi.default_pool_size, 3);
    assert.equal(conf.api.auth_strategy, "noauth2", "embedded default");
    assert.throws(
      () => readSources(parseCommandLine(["--config-file", `${dir}/missing.conf`])),
      UsageError,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("etc/nova.conf.sample is up to date with the option table (deno task sample)", () => {
  const onDisk = readFileSync(new URL("../../etc/nova.conf.sample", import.meta.url), "utf8");
  assert.equal(onDisk, renderSample());
});
