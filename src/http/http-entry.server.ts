import {AuthenticationBindings, AuthenticationStrategy} from '@loopback/authentication';
import {CoreBindings, CoreTags, inject, lifeCycleObserver, LifeCycleObserver} from '@loopback/core';
import {HttpServer} from '@loopback/http-server';
import {RestApplication, RestBindings} from '@loopback/rest';
import cors from 'cors';
import type {RequestListener, Server} from 'node:http';
import type {ServiceConfig} from '../config/service-config';
import {ConfigBindings, HttpBindings, LoggingBindings, MetricsBindings} from '../keys';
import type {Logger} from '../logging/logger';
import {isMetricsPath, MetricsExposition, serveMetrics} from '../metrics/exposition';
import type {ServiceMetrics} from '../metrics/service-metrics';
import {FastLane} from './fast-lane/fast-lane';
import {applyConnectionLimits, setSecurityHeaders} from './security-headers';

/** How long in-flight requests may finish after a stop before their sockets are closed. */
export const GRACE_PERIOD_FOR_CLOSE_MS = 10_000;

/**
 * The one listening socket. `@fastLane()` methods go to the lean lane, everything else to
 * LoopBack's own request handler (its REST server is configured not to listen).
 * Starts after LoopBack's server has its routes, stops first so in-flight requests
 * drain while the database and job queue are still up.
 */
@lifeCycleObserver('http')
export class HttpEntryServer implements LifeCycleObserver {
  private server?: HttpServer;

  constructor(
    @inject(CoreBindings.APPLICATION_INSTANCE) private readonly app: RestApplication,
    @inject(ConfigBindings.SERVICE_CONFIG) private readonly config: ServiceConfig,
    @inject(LoggingBindings.LOGGER) private readonly logger: Logger,
    @inject(HttpBindings.FAST_LANE_ENABLED) private readonly fastLaneEnabled: boolean,
    @inject(MetricsBindings.METRICS) private readonly metrics: ServiceMetrics,
    @inject(MetricsBindings.EXPOSITION) private readonly exposition: MetricsExposition,
  ) {}

  async start(): Promise<void> {
    const loopback = this.app.restServer.requestHandler;
    const lane = this.fastLaneEnabled ? await this.createFastLane() : undefined;
    // Chosen once: with the lane off, requests go straight to LoopBack.
    const dispatch: RequestListener = lane
      ? (request, response) => {
          if (!lane.tryHandle(request, response)) loopback(request, response);
        }
      : loopback;
    const handle = await this.measured(dispatch);
    this.server = new HttpServer(handle, {port: this.config.port, host: this.config.host, gracePeriodForClose: GRACE_PERIOD_FOR_CLOSE_MS});
    applyConnectionLimits(this.server.server as Server, this.config.http);
    await this.server.start();
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }

  /**
   * Security headers on every answer; `/metrics` here unless it has a port of its own (scrapes are not counted as
   * API traffic); every other request counted and timed by route template, whichever lane answers it. Chosen once,
   * so with metrics off a request pays nothing for them.
   */
  private async measured(dispatch: RequestListener): Promise<RequestListener> {
    const {enabled, port} = this.config.metrics;
    if (!enabled) {
      return (request, response) => {
        setSecurityHeaders(response);
        dispatch(request, response);
      };
    }
    const http = this.metrics.http;
    const handler = await this.app.restServer.get(RestBindings.HANDLER);
    http.useRoutes(routeTemplatesByVerb(handler.describeApiPaths()));
    const scrapesHere = port === undefined;
    return (request, response) => {
      setSecurityHeaders(response);
      if (scrapesHere && isMetricsPath(request.url)) return serveMetrics(this.exposition, request, response, this.logger);
      http.track(request, response);
      dispatch(request, response);
    };
  }

  /** `http://host:port` while listening. */
  get url(): string | undefined {
    return this.server?.listening ? this.server.url : undefined;
  }

  get port(): number | undefined {
    return this.server?.listening ? this.server.port : undefined;
  }

  private async createFastLane(): Promise<FastLane> {
    const restServer = this.app.restServer;
    return FastLane.create(restServer, {
      logger: this.logger,
      strategies: await this.authenticationStrategies(),
      cors: cors(restServer.config.cors),
    });
  }

  private async authenticationStrategies(): Promise<Map<string, AuthenticationStrategy>> {
    const bindings = this.app.findByTag({[CoreTags.EXTENSION_FOR]: AuthenticationBindings.AUTHENTICATION_STRATEGY_EXTENSION_POINT_NAME});
    const strategies = new Map<string, AuthenticationStrategy>();
    for (const binding of bindings) {
      const strategy = await this.app.get<AuthenticationStrategy>(binding.key);
      strategies.set(strategy.name, strategy);
    }
    return strategies;
  }
}

/** `{'/session/{meetingLinkId}/token': {post: …}}` → `POST` → templates. */
function routeTemplatesByVerb(paths: Record<string, object>): Map<string, string[]> {
  const byVerb = new Map<string, string[]>();
  for (const [template, operations] of Object.entries(paths)) {
    for (const verb of Object.keys(operations)) {
      const method = verb.toUpperCase();
      byVerb.set(method, [...(byVerb.get(method) ?? []), template]);
    }
  }
  return byVerb;
}
