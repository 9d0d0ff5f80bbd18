import { Browser } from './browser.ts';

/** Every request's time and outcome across all browsers of a load run. */
export class LoadMetrics {
  readonly durationsMs: number[] = [];
  readonly statuses = new Map<number, number>();
  failures = 0;

  summary(elapsedMs: number) {
    const sorted = [...this.durationsMs].sort((a, b) => a - b);
    const percentile = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
    const serverErrors = [...this.statuses].filter(([status]) => status >= 500).reduce((sum, [, count]) => sum + count, 0);
    return {
      requests: sorted.length,
      perSecond: Math.round(sorted.length / (elapsedMs / 1000)),
      p50Ms: Math.round(percentile(50)),
      p99Ms: Math.round(percentile(99)),
      serverErrors,
      failures: this.failures,
      statuses: Object.fromEntries(this.statuses),
    };
  }
}

/** A Browser that reports each request to the run's metrics. */
export class MeasuredBrowser extends Browser {
  private readonly metrics: LoadMetrics;

  constructor(
    origin: string,
    metrics: LoadMetrics,
  ) {
    super(origin);
    this.metrics = metrics;
  }

  override async request(...args: Parameters<Browser['request']>): ReturnType<Browser['request']> {
    const started = performance.now();
    try {
      const reply = await super.request(...args);
      this.metrics.durationsMs.push(performance.now() - started);
      this.metrics.statuses.set(reply.status, (this.metrics.statuses.get(reply.status) ?? 0) + 1);
      return reply;
    } catch (error) {
      this.metrics.failures += 1;
      throw error;
    }
  }
}
