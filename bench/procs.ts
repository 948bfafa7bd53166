/**
 * What the bench reads from /proc: the machine (CPU model, cores, kernel,
 * memory, load average), a process's memory (VmRSS, VmHWM, Pss) and CPU
 * time, and which processes listen on a loopback port (nova-api's parent
 * and worker share one listening socket).
 *
 * @module
 */

/** The machine the bench ran on. */
export interface Machine {
  cpu: string;
  cores: number;
  kernel: string;
  memoryMb: number;
  hostname: string;
  /** A short name for the results folder: CPU family and cores (`intel-xeon-2c`). */
  slug: string;
}

/**
 * Memory of one process in kB: VmRSS, VmHWM (peak RSS), Pss (proportional),
 * and RSS split into anonymous (heap) and file-backed (the executable, shared
 * libraries) pages.
 */
export interface Memory {
  rssKb: number;
  hwmKb: number;
  pssKb: number;
  anonKb: number;
  fileKb: number;
}

function read(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return "";
  }
}

/** CPU model, cores, kernel and memory of this machine. */
export function machine(): Machine {
  const cpuinfo = read("/proc/cpuinfo");
  const cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? Deno.build.arch;
  const cores = navigator.hardwareConcurrency;
  const memKb = Number(/^MemTotal:\s+(\d+)/m.exec(read("/proc/meminfo"))?.[1] ?? 0);
  const words = cpu.toLowerCase().replace(/\(r\)|\(tm\)|cpu|processor|@.*$/g, " ")
    .split(/[^a-z0-9]+/).filter((w) => w && !/^\d+(\.\d+)?ghz$/.test(w)).slice(0, 3);
  return {
    cpu,
    cores,
    kernel: read("/proc/sys/kernel/osrelease").trim(),
    memoryMb: Math.round(memKb / 1024),
    hostname: Deno.hostname(),
    slug: `${words.join("-")}-${cores}c`,
  };
}

/** The 1, 5 and 15 minute load averages. */
export function loadAverage(): [number, number, number] {
  const [a, b, c] = read("/proc/loadavg").split(" ").map(Number);
  return [a, b, c];
}

/** VmRSS, VmHWM and Pss of `pid` in kB (zeros once it is gone). */
export function memory(pid: number): Memory {
  const status = read(`/proc/${pid}/status`);
  const field = (text: string, name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(text)?.[1] ?? 0);
  return {
    rssKb: field(status, "VmRSS"),
    hwmKb: field(status, "VmHWM"),
    pssKb: field(read(`/proc/${pid}/smaps_rollup`), "Pss"),
    anonKb: field(status, "RssAnon"),
    fileKb: field(status, "RssFile") + field(status, "RssShmem"),
  };
}

/** The sum of several processes' memory (nova-api: parent + worker). */
export function memorySum(pids: number[]): Memory {
  const all = pids.map(memory);
  const sum = (f: (m: Memory) => number) => all.reduce((n, m) => n + f(m), 0);
  return {
    rssKb: sum((m) => m.rssKb),
    hwmKb: sum((m) => m.hwmKb),
    pssKb: sum((m) => m.pssKb),
    anonKb: sum((m) => m.anonKb),
    fileKb: sum((m) => m.fileKb),
  };
}

/** User + system CPU seconds used so far by the processes. */
export function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    // Fields after the command name, which may hold spaces and parentheses.
    const fields = read(`/proc/${pid}/stat`).split(") ").at(-1)?.split(" ") ?? [];
    ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** The processes holding a socket that listens on 127.0.0.1:`port` (parent first). */
export function listeners(port: number): number[] {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const line of read("/proc/net/tcp").split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    // local address 0100007F:PORT (127.0.0.1) or 00000000:PORT, state 0A = LISTEN
    if (f[1]?.endsWith(`:${hex}`) && f[3] === "0A") inodes.add(`socket:[${f[9]}]`);
  }
  const pids: number[] = [];
  if (inodes.size === 0) return pids;
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      for (const fd of Deno.readDirSync(`/proc/${entry.name}/fd`)) {
        if (inodes.has(Deno.readLinkSync(`/proc/${entry.name}/fd/${fd.name}`))) {
          pids.push(Number(entry.name));
          break;
        }
      }
    } catch { /* gone, or not ours to read */ }
  }
  return pids.sort((a, b) => a - b);
}
