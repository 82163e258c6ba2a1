import {Gauge, Registry} from 'prom-client';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {CounterChild, FastCounter, FastHistogram, HistogramChild, LATENCY_BUCKETS_SECONDS} from './fast-metrics';
import {methodLabel, RouteTemplates, STATUS_CLASS_BY_INDEX, statusClassIndex} from './route-templates';

type Label = 'route' | 'method' | 'status_class';

/** One route and method: its children per status class, taken once and kept (index: `statusClassIndex`). */
interface RouteSeries {
  route: string;
  method: string;
  requests: Array<CounterChild | undefined>;
  durations: Array<HistogramChild | undefined>;
}

/** Status classes whose request counters exist from the start, so `rate()` sees the first error too. */
const PREPARED_CLASSES = [1, 3, 4];

/**
 * Requests by route template, method and status class, their durations, and requests in flight; both the fast
 * lane and LoopBack's routes, measured where the one listening socket hands a request to either.
 */
export class HttpMetrics {
  private readonly requests: FastCounter<Label>;
  private readonly durations: FastHistogram<Label>;
  /** A plain number, read at scrape time: a gauge's `inc`/`dec` would hash its labels twice per request. */
  private inFlight = 0;
  /** method → route → series; bounded by the verbs `methodLabel` keeps and the templates of the routes. */
  private readonly series = new Map<string, Map<string, RouteSeries>>();
  private routes = new RouteTemplates([]);

  constructor(registry: Registry) {
    this.requests = new FastCounter(
      'vcs_http_requests_total',
      'HTTP requests answered, by route template, method and status class',
      ['route', 'method', 'status_class'],
      registry,
    );
    this.durations = new FastHistogram(
      'vcs_http_request_duration_seconds',
      'Time from receiving a request to the end of its answer, by route template, method and status class',
      ['route', 'method', 'status_class'],
      registry,
      LATENCY_BUCKETS_SECONDS,
    );
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the gauge's collect runs with the gauge as `this`
    const self = this;
    new Gauge({
      name: 'vcs_http_requests_in_flight',
      help: 'HTTP requests received and not yet answered',
      registers: [registry],
      collect() {
        this.set(self.inFlight);
      },
    });
  }

  /** The API's routes, as `{verb: [template]}`; their success, client-error and server-error counters start at 0. */
  useRoutes(routes: ReadonlyMap<string, readonly string[]>): void {
    const templates = [...routes.values()].flat();
    this.routes = new RouteTemplates(templates);
    for (const [verb, verbTemplates] of routes) {
      for (const template of verbTemplates) {
        const series = this.seriesFor(verb, template);
        for (const index of PREPARED_CLASSES) this.requestCounter(series, index);
      }
    }
  }

  /** Counts the request now and measures it once its response closes (answered or abandoned). */
  track(request: IncomingMessage, response: ServerResponse): void {
    const startedAt = performance.now();
    // Read now: a handler may rewrite `request.url` while routing.
    const url = request.url ?? '';
    const method = request.method;
    this.inFlight++;
    response.once('close', () => {
      this.inFlight--;
      this.record(method, this.routes.matchUrl(url), response.statusCode, response.writableFinished, (performance.now() - startedAt) / 1000);
    });
  }

  record(method: string | undefined, route: string, status: number, answered: boolean, seconds: number): void {
    const series = this.seriesFor(methodLabel(method), route);
    const index = statusClassIndex(status, answered);
    this.requestCounter(series, index).value++;
    (series.durations[index] ??= this.durations.child(labels(series, index))).observe(seconds);
  }

  private requestCounter(series: RouteSeries, index: number): CounterChild {
    return (series.requests[index] ??= this.requests.child(labels(series, index)));
  }

  private seriesFor(method: string, route: string): RouteSeries {
    let byRoute = this.series.get(method);
    if (!byRoute) this.series.set(method, (byRoute = new Map()));
    let series = byRoute.get(route);
    if (!series) byRoute.set(route, (series = {route, method, requests: [], durations: []}));
    return series;
  }
}

function labels(series: RouteSeries, index: number): Record<Label, string> {
  return {route: series.route, method: series.method, status_class: STATUS_CLASS_BY_INDEX[index]};
}
