import {BootMixin} from '@loopback/boot';
import {ApplicationConfig, BindingScope, CoreBindings, createBindingFromClass} from '@loopback/core';
import {RepositoryMixin} from '@loopback/repository';
import {createBodyParserBinding, Request, RestApplication, RestBindings} from '@loopback/rest';
import type {ServiceConfig} from './config/service-config';
import {installAuth} from './auth/install-auth';
import {bindServiceDependencies, ServiceDependencyOverrides} from './bindings';
import {HttpBindings, LoggingBindings} from './keys';
import {describeError} from './logging/logger';
import {errorMappingMiddleware} from './http/error-mapping.middleware';
import {requestLogMiddleware} from './http/request-log.middleware';
import {requestTargetGuardMiddleware, SafeTextJsonBodyParser} from './http/input-guard';
import {BearerSecuritySpecEnhancer} from './auth/bearer-security.spec-enhancer';
import {HttpEntryServer} from './http/http-entry.server';
import {QuietTrieRouter} from './http/quiet-trie.router';
import {keepStatelessBindingsSingleton} from './http/stateless-scopes';

export interface VideoConferencingOptions extends ApplicationConfig {
  serviceConfig: ServiceConfig;
  /** Replacements for default dependencies (tests, local mode). */
  overrides?: ServiceDependencyOverrides;
  /** Serve `@fastLane()` methods in the lean lane (default); tests pass `false` to compare with LoopBack's full sequence. */
  fastLane?: boolean;
}

/** Components, middleware and boot options; no logic of its own. */
export class VideoConferencingApplication extends BootMixin(RepositoryMixin(RestApplication)) {
  constructor(options: VideoConferencingOptions) {
    const {serviceConfig} = options;
    super({
      ...options,
      rest: {
        // HttpEntryServer listens and hands LoopBack every request the fast lane does not take.
        listenOnStart: false,
        expressSettings: {'x-powered-by': false},
        // The spec maps every route and parameter: in production only when asked for (EXPLORER_ENABLED).
        openApiSpec: serviceConfig.http.explorerEnabled ? {setServersFromRequest: true} : {disabled: true},
        requestBodyParser: {json: {limit: '256kb'}, raw: {limit: '1mb'}},
        cors: {origin: true, exposedHeaders: ['X-Total-Count', 'X-Request-Id'], maxAge: 86400},
        ...options.rest,
      },
    });
    this.projectRoot = __dirname;
    this.bootOptions = {
      controllers: {dirs: ['controllers'], extensions: ['.controller.js'], nested: true},
      repositories: {dirs: ['repositories'], extensions: ['.repository.js'], nested: true},
      datasources: {dirs: ['datasources'], extensions: ['.datasource.js'], nested: true},
      services: {dirs: ['services'], extensions: ['.service.js'], nested: true},
    };

    // Metrics collectors first (counters exist before anything counts), the database, then the job queue that uses
    // it, then the routes, then the sockets; stop in reverse.
    this.bind(CoreBindings.LIFE_CYCLE_OBSERVER_OPTIONS).to({orderedGroups: ['metrics', 'datasource', 'jobs', 'server', 'http'], parallel: false});
    bindServiceDependencies(this, serviceConfig, options.overrides ?? {});
    this.bind(RestBindings.ROUTER).toClass(QuietTrieRouter);
    const logger = this.getSync(LoggingBindings.LOGGER);

    this.api({
      openapi: '3.0.0',
      info: {title: 'Video Conferencing Service', version: '0.1.0'},
      paths: {},
    });
    this.add(BearerSecuritySpecEnhancer.binding());
    // 5xx go to the structured log; the stack only for unexpected errors (500), never request data.
    this.bind(RestBindings.SequenceActions.LOG_ERROR).to((error: Error, statusCode: number, request: Request) => {
      if (statusCode < 500) return;
      logger.error('request failed', {
        status: statusCode,
        method: request.method,
        path: request.path,
        error: describeError(error),
        ...(statusCode === 500 ? {stack: error.stack} : {}),
      });
    });
    this.middleware(requestLogMiddleware(logger), {key: 'middleware.requestLog'});
    this.middleware(errorMappingMiddleware(logger), {key: 'middleware.errorMapping'});
    this.middleware(requestTargetGuardMiddleware(), {key: 'middleware.requestTargetGuard'});
    this.add(createBodyParserBinding(SafeTextJsonBodyParser, RestBindings.REQUEST_BODY_PARSER_JSON));
    installAuth(this);
    if (serviceConfig.http.explorerEnabled) {
      // Loaded only when served: it brings in swagger-ui's 1.5 MB bundle (about 0.4 s of a cold start).
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start
      const {RestExplorerBindings, RestExplorerComponent} = require('@loopback/rest-explorer') as typeof import('@loopback/rest-explorer');
      this.configure(RestExplorerBindings.COMPONENT).to({path: '/explorer'});
      this.component(RestExplorerComponent);
    }
    keepStatelessBindingsSingleton(this);
    this.bind(HttpBindings.FAST_LANE_ENABLED).to(options.fastLane ?? true);
    this.add(createBindingFromClass(HttpEntryServer, {key: HttpBindings.ENTRY_SERVER, defaultScope: BindingScope.SINGLETON}));
  }

  /**
   * `start()`, except that a start failing part-way (a port in use, a route the fast lane
   * cannot serve) stops the observers it already started: LoopBack would leave the
   * database pool and job workers running and refuse `stop()` while it says "starting".
   * (The mixins type `start` as a property, so it cannot be overridden.)
   */
  async startOrUndo(): Promise<void> {
    try {
      await this.start();
    } catch (error) {
      const registry = await this.get(CoreBindings.LIFE_CYCLE_OBSERVER_REGISTRY);
      await registry
        .stop()
        .catch(stopError => this.getSync(LoggingBindings.LOGGER).error('stopping after a failed start failed', {error: describeError(stopError as Error)}));
      this.setState('stopped');
      throw error;
    }
  }

  /** `http://host:port` once started. */
  get url(): string | undefined {
    return this.getSync(HttpBindings.ENTRY_SERVER).url;
  }

  get port(): number | undefined {
    return this.getSync(HttpBindings.ENTRY_SERVER).port;
  }
}
