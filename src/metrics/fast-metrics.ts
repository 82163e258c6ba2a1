import type {Aggregator, Registry} from 'prom-client';

/** One sample as prom-client's registry reads it (`metricName` for a histogram's `_bucket`, `_sum`, `_count`). */
export interface Sample {
  value: number;
  labels: Record<string, string>;
  metricName?: string;
}

/** A metric family as prom-client's registry reads it from `get()`. */
export interface MetricSnapshot {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: Aggregator;
  values: Sample[];
}

/**
 * Counters and histograms for the hot paths, registered in a prom-client `Registry` like its own metrics.
 * prom-client hashes the label set on every `inc`/`observe`, even through a cached `labels()` child; here a
 * child is a plain object the caller keeps, so a request costs an addition and a bucket search, nothing more.
 * The registry reads them through `get()` (text format, and JSON for the cluster aggregation).
 */
abstract class LabelledMetric<L extends string, C extends {labels: Record<L, string>}> {
  abstract readonly type: MetricSnapshot['type'];
  readonly aggregator: Aggregator = 'sum';
  private readonly children = new Map<string, C>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly L[],
    registry: Registry,
  ) {
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  /** The child for these labels; created once, then the same object (callers keep it). */
  child(labels: Record<L, string>): C {
    const key = this.labelNames.map(name => labels[name]).join('\u0000');
    let child = this.children.get(key);
    if (!child) {
      child = this.create({...labels});
      this.children.set(key, child);
    }
    return child;
  }

  protected abstract create(labels: Record<L, string>): C;
  protected abstract values(child: C): Sample[];

  async get(): Promise<MetricSnapshot> {
    const values: Sample[] = [];
    for (const child of this.children.values()) values.push(...this.values(child));
    return {name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values};
  }
}

export interface CounterChild {
  labels: Record<string, string>;
  value: number;
}

export class FastCounter<L extends string> extends LabelledMetric<L, CounterChild> {
  readonly type = 'counter';

  protected create(labels: Record<L, string>): CounterChild {
    return {labels, value: 0};
  }

  protected values(child: CounterChild): Sample[] {
    return [{labels: child.labels, value: child.value}];
  }
}

export class HistogramChild {
  /** Observations per bucket (not cumulative); the last one is `+Inf`. */
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Record<string, string>,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let index = 0;
    while (index < bounds.length && value > bounds[index]) index++;
    this.counts[index]++;
    this.sum += value;
    this.count++;
  }
}

export class FastHistogram<L extends string> extends LabelledMetric<L, HistogramChild> {
  readonly type = 'histogram';

  constructor(
    name: string,
    help: string,
    labelNames: readonly L[],
    registry: Registry,
    private readonly bounds: readonly number[],
  ) {
    super(name, help, labelNames, registry);
  }

  protected create(labels: Record<L, string>): HistogramChild {
    return new HistogramChild(labels, this.bounds);
  }

  protected values(child: HistogramChild): Sample[] {
    const values: Sample[] = [];
    let cumulative = 0;
    for (let i = 0; i <= this.bounds.length; i++) {
      cumulative += child.counts[i];
      const le = i < this.bounds.length ? String(this.bounds[i]) : '+Inf';
      values.push({metricName: `${this.name}_bucket`, labels: {...child.labels, le}, value: cumulative});
    }
    values.push({metricName: `${this.name}_sum`, labels: child.labels, value: child.sum});
    values.push({metricName: `${this.name}_count`, labels: child.labels, value: child.count});
    return values;
  }
}

/** Seconds: from a millisecond through a minute, for requests and provider calls alike. */
export const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
