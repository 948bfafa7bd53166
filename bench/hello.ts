/**
 * The baseline: a bare Deno.serve hello world (as in
 * ../shared/reference/nova26/bench/hello-deno.ts), on the port given.
 */
const port = Number(Deno.args[0] ?? 18080);
Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, () => new Response("Hello, World!"));
