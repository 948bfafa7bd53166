import { strict as assert } from "node:assert";
import { parseIni } from "../../lib/config/ini.ts";

Deno.test("parseIni() splits on the first `=` or `:` like ConfigParser", () => {
  const [s] = parseIni("[composite:x]\n/v2.1: app_v21\nkeystone = a b:c\nurl: http://h:1/x\n");
  assert.deepEqual(s.entries.map((e) => [e.key, e.value]), [["/v2.1", "app_v21"], [
    "keystone",
    "a b:c",
  ], ["url", "http://h:1/x"]]);
});

Deno.test("parseIni() joins indented continuation lines with newlines and skips comments", () => {
  const [s] = parseIni("[a]\n# comment\n; other\nkey = one\n  two\n\tthree\nnext = 1\n");
  assert.deepEqual(s.entries.map((e) => [e.key, e.value]), [["key", "one\ntwo\nthree"], [
    "next",
    "1",
  ]]);
});

Deno.test("parseIni() merges a repeated section only in oslo mode", () => {
  const text = "[a]\nx = 1\n[b]\ny = 2\n[a]\nz = 3\n";
  const merged = parseIni(text, { mergeSections: true });
  assert.deepEqual(merged.map((s) => s.name), ["a", "b"]);
  assert.deepEqual(merged[0].entries.map((e) => e.key), ["x", "z"]);
  assert.throws(() => parseIni(text), /Section "a" repeated at line 5/);
});

Deno.test("parseIni() strips matching quotes in oslo mode and reports syntax errors with a line", () => {
  const [s] = parseIni(`[a]\nx = "quoted value"\ny = 'it'\n`, { stripQuotes: true });
  assert.deepEqual(s.entries.map((e) => e.value), ["quoted value", "it"]);
  assert.throws(() => parseIni("x = 1\n"), /Line 1 of <string> is outside any section/);
  assert.throws(() => parseIni("[a\n"), /Invalid section header at line 1/);
  assert.throws(() => parseIni("[a]\nnovalue\n"), /No key and value at line 2/);
});

Deno.test("parseIni() lower-cases keys only when asked", () => {
  assert.equal(parseIni("[a]\nKey = 1\n")[0].entries[0].key, "Key");
  assert.equal(parseIni("[a]\nKey = 1\n", { lowerKeys: true })[0].entries[0].key, "key");
});
