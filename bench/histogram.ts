/**
 * Latency distributions: the report both load generators give (wrk through
 * a Lua `done()` callback, bench/loadgen.ts natively) and the log-linear
 * histogram the project's own generator records into.
 *
 * @module
 */

/**
 * The percentiles every report gives: even steps of log10(1 / (1 - p)) up
 * to 99.99 (the x axis of the chart), plus the usual ones.
 */
export const CURVE_POINTS: number[] = [
  ...new Set([
    ...Array.from({ length: 17 }, (_, k) => Number((100 - 100 * 10 ** (-k / 4)).toFixed(4))),
    50,
    75,
    95,
    99.5,
    99.95,
  ]),
].sort((a, b) => a - b);

/** One load run as a generator reports it (microseconds, as wrk counts). */
export interface RawReport {
  requests: number;
  duration_us: number;
  bytes: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  min_us: number;
  max_us: number;
  mean_us: number;
  stdev_us: number;
  /** [percentile, latency µs] at each of {@link CURVE_POINTS}. */
  curve: [number, number][];
}

/** The line prefix both generators print their report after. */
export const REPORT_PREFIX = "BENCH-JSON ";

/** Reads the report line out of a generator's output. */
export function parseReport(output: string): RawReport | null {
  const line = output.split("\n").find((l) => l.startsWith(REPORT_PREFIX));
  return line ? JSON.parse(line.slice(REPORT_PREFIX.length)) as RawReport : null;
}

// Exact to 1 µs below 1 ms, then buckets 0.5% wide (up to minutes in ~2,500 buckets).
const LINEAR_US = 1000;
const GROWTH = Math.log(1.005);

function bucketOf(us: number): number {
  return us < LINEAR_US
    ? Math.floor(us)
    : LINEAR_US + Math.floor(Math.log(us / LINEAR_US) / GROWTH);
}

function valueOf(bucket: number): number {
  return bucket < LINEAR_US ? bucket : LINEAR_US * Math.exp((bucket - LINEAR_US + 0.5) * GROWTH);
}

/** The fields of a {@link Histogram}, as a worker posts them. */
export interface HistogramData {
  counts: Record<number, number>;
  count: number;
  sum: number;
  sumSquares: number;
  min: number;
  max: number;
}

/** A log-linear latency histogram (microseconds) with exact count, sum, min and max. */
export class Histogram implements HistogramData {
  counts: Record<number, number> = {};
  count = 0;
  sum = 0;
  sumSquares = 0;
  min = Infinity;
  max = 0;

  /** Records one latency. */
  record(us: number): void {
    const b = bucketOf(us);
    this.counts[b] = (this.counts[b] ?? 0) + 1;
    this.count++;
    this.sum += us;
    this.sumSquares += us * us;
    if (us < this.min) this.min = us;
    if (us > this.max) this.max = us;
  }

  /** Adds another histogram's records (from another worker). */
  merge(other: Histogram): void {
    for (const [b, n] of Object.entries(other.counts)) {
      this.counts[Number(b)] = (this.counts[Number(b)] ?? 0) + n;
    }
    this.count += other.count;
    this.sum += other.sum;
    this.sumSquares += other.sumSquares;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
  }

  /** The latency at percentile `p` (0-100), as wrk's stats_percentile ranks it. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    if (p >= 100) return this.max;
    const rank = Math.max(1, Math.round((p / 100) * this.count + 0.5));
    let seen = 0;
    const buckets = Object.keys(this.counts).map(Number).sort((a, b) => a - b);
    for (const b of buckets) {
      seen += this.counts[b];
      if (seen >= rank) return Math.min(this.max, Math.max(this.min, valueOf(b)));
    }
    return this.max;
  }

  /** Mean and standard deviation. */
  moments(): { mean: number; stdev: number } {
    if (this.count === 0) return { mean: 0, stdev: 0 };
    const mean = this.sum / this.count;
    return { mean, stdev: Math.sqrt(Math.max(0, this.sumSquares / this.count - mean * mean)) };
  }

  /** Rebuilds a histogram posted from a worker (structured clone keeps only the fields). */
  static from(data: HistogramData): Histogram {
    return Object.assign(new Histogram(), data);
  }
}
