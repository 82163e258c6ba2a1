import {AuthenticationStrategy, getAuthenticateMetadata} from '@loopback/authentication';
import {getAuthorizationMetadata} from '@loopback/authorization';
import {Binding, BindingScope, Constructor, CoreBindings, describeInjectedArguments} from '@loopback/core';
import {FindRoute, getControllerSpec, ParseParams, Reject, Request, Response, RestBindings, RestServer, Send} from '@loopback/rest';
import {SecurityBindings, UserProfile} from '@loopback/security';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {assertPermitted} from '../../auth/permission.authorizer';
import type {Logger} from '../../logging/logger';
import {mapErrorForResponse} from '../error-mapping.middleware';
import {assertSafeRequestTarget} from '../input-guard';
import {logRequest} from '../request-log.middleware';
import {fastLaneMethods} from './fast-lane.decorator';

/** A controller method decorated with `@fastLane()`, and the binding LoopBack routes it through. */
export interface FastLaneRoute {
  controller: Constructor<object>;
  method: string;
  binding: Readonly<Binding<unknown>>;
}

type ArgumentSource = {kind: 'operation'} | {kind: 'user'} | {kind: 'request'} | {kind: 'response'};

interface PreparedRoute {
  pattern: RegExp;
  verb: string;
  controllerName: string;
  instance: Record<string, (...args: unknown[]) => Promise<unknown>>;
  method: string;
  strategy?: AuthenticationStrategy;
  permissions: readonly string[];
  argumentSources: ArgumentSource[];
}

export interface FastLaneDeps {
  logger: Logger;
  /** The registered LoopBack authentication strategies, by name. */
  strategies: ReadonlyMap<string, AuthenticationStrategy>;
  /** The same connect-style CORS handler LoopBack runs first in its sequence. */
  cors: (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;
}

/**
 * Answers the controller methods decorated with `@fastLane()` without LoopBack's
 * per-request context, middleware chain and interceptor machinery, which cost more
 * than the work itself (bench/README.md). Every rule still comes from the one place
 * LoopBack reads it: the route, parameters and body schema from the controller's
 * OpenAPI decorators, `@authenticate`/`@authorize` metadata, LoopBack's own body
 * parser (ours, with the text check), validator, result writer and error writer, and our
 * request log, request-target guard and error mapping. Only singleton controllers qualify, so nothing is instantiated per request.
 */
export class FastLane {
  private constructor(
    private readonly routes: PreparedRoute[],
    private readonly express: {request: object; response: object; parseQuery: (query: string) => Record<string, unknown>},
    private readonly findRoute: FindRoute,
    private readonly parseParams: ParseParams,
    private readonly send: Send,
    private readonly reject: Reject,
    private readonly deps: FastLaneDeps,
  ) {}

  /** Finds and resolves every route once; throws at start-up if a decorated method cannot be served this way. */
  static async create(server: RestServer, deps: FastLaneDeps): Promise<FastLane> {
    const routes: PreparedRoute[] = [];
    for (const route of findFastLaneRoutes(server)) routes.push(await prepare(server, route, deps.strategies));
    // LoopBack's request handler is its Express application, which carries the prototypes and the query parser.
    const express = server.requestHandler as unknown as {request: object; response: object; get(setting: string): unknown};
    const parseQuery = express.get('query parser fn') as ((query: string) => Record<string, unknown>) | undefined;
    return new FastLane(
      routes,
      {request: express.request, response: express.response, parseQuery: parseQuery ?? (() => ({}))},
      // The FIND_ROUTE action wants a request context; the handler it delegates to does not.
      await server.get(RestBindings.HANDLER).then(handler => (request: Request) => handler.findRoute(request)),
      await server.get(RestBindings.SequenceActions.PARSE_PARAMS),
      await server.get(RestBindings.SequenceActions.SEND),
      await server.get(RestBindings.SequenceActions.REJECT),
      deps,
    );
  }

  /** Takes the request if it is for a fast-lane route (true), else leaves it untouched (false). */
  tryHandle(request: IncomingMessage, response: ServerResponse): boolean {
    const url = request.url ?? '';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const method = request.method ?? '';
    const route = this.routes.find(candidate => candidate.verb === method && candidate.pattern.test(path));
    if (!route) return false;
    const http = this.asExpress(request, response, queryAt === -1 ? '' : url.slice(queryAt + 1));
    this.serve(route, http).catch(error => {
      // Only reached if writing the error itself failed: the response cannot be trusted any more.
      this.deps.logger.error('fast lane failed to answer', {path, error: (error as Error).message});
      response.destroy();
    });
    return true;
  }

  /** The request and response LoopBack's parsers and writers expect, as Express's `init` and `query` make them. */
  private asExpress(request: IncomingMessage, response: ServerResponse, query: string): {request: Request; response: Response} {
    Object.setPrototypeOf(request, this.express.request);
    Object.setPrototypeOf(response, this.express.response);
    const expressRequest = request as unknown as Request;
    const expressResponse = response as unknown as Response;
    expressRequest.query = this.express.parseQuery(query) as Request['query'];
    expressRequest.res = expressResponse;
    expressResponse.req = expressRequest;
    expressResponse.locals = Object.create(null) as Record<string, unknown>;
    return {request: expressRequest, response: expressResponse};
  }

  private async serve(route: PreparedRoute, http: {request: Request; response: Response}): Promise<void> {
    const {request, response} = http;
    try {
      logRequest(this.deps.logger, request, response);
      await new Promise<void>((resolve, reject) => this.deps.cors(request, response, error => (error ? reject(error) : resolve())));
      assertSafeRequestTarget(request.url);
      const resolved = this.findRoute(request);
      const spec = resolved.spec as {'x-operation-name'?: string; 'x-controller-name'?: string};
      if (spec['x-operation-name'] !== route.method || spec['x-controller-name'] !== route.controllerName) {
        throw new Error(`fast lane resolved ${request.method} ${request.path} to an unexpected route`);
      }
      const user = route.strategy ? await authenticate(route.strategy, request) : undefined;
      const operationArgs = await this.parseParams(request, resolved);
      if (route.permissions.length > 0) assertPermitted(user, route.permissions);
      const args = argumentsFor(route, operationArgs, {request, response, user});
      const result = await route.instance[route.method](...args);
      this.send(response, result);
    } catch (error) {
      this.reject(http, mapErrorForResponse(error, response, this.deps.logger) as Error);
    }
  }
}

async function authenticate(strategy: AuthenticationStrategy, request: Request): Promise<UserProfile> {
  const user = await strategy.authenticate(request);
  // Redirecting strategies need LoopBack's sequence; ours answers a user or throws.
  if (!user || 'targetLocation' in user) throw Object.assign(new Error('The request is not authenticated'), {statusCode: 401});
  return user as UserProfile;
}

/** The decorated methods of the controllers LoopBack routes (its REST server looks up the same bindings). */
function findFastLaneRoutes(server: RestServer): FastLaneRoute[] {
  const routes: FastLaneRoute[] = [];
  for (const binding of server.find(`${CoreBindings.CONTROLLERS}.*`)) {
    const controller = binding.valueConstructor as Constructor<object> | undefined;
    if (!controller) continue;
    for (const method of fastLaneMethods(controller)) routes.push({controller, method, binding});
  }
  return routes;
}

async function prepare(server: RestServer, route: FastLaneRoute, strategies: ReadonlyMap<string, AuthenticationStrategy>): Promise<PreparedRoute> {
  const name = `${route.controller.name}.${route.method}`;
  const operation = findOperation(route);
  if (!operation) throw new Error(`fast lane ${name}: no OpenAPI operation declared`);
  if (route.binding.scope !== BindingScope.SINGLETON) throw new Error(`fast lane ${name}: the controller must be a singleton`);

  const authentication = getAuthenticateMetadata(route.controller, route.method) ?? [];
  const strategyNames = authentication.flatMap(entry => (entry.skip ? [] : entry.strategy));
  if (strategyNames.length > 1) throw new Error(`fast lane ${name}: at most one authentication strategy is supported`);
  const strategy = strategyNames.length === 1 ? strategies.get(strategyNames[0]) : undefined;
  if (strategyNames.length === 1 && !strategy) throw new Error(`fast lane ${name}: strategy ${strategyNames[0]} is not registered`);
  const authorization = getAuthorizationMetadata(route.controller.prototype, route.method);
  if (authorization && (authorization.allowedRoles || authorization.deniedRoles || authorization.voters || authorization.resource)) {
    throw new Error(`fast lane ${name}: only @authorize({scopes}) is supported`);
  }

  const prototype = route.controller.prototype as Record<string, (...args: unknown[]) => unknown>;
  const injections = describeInjectedArguments(prototype, route.method);
  const argumentSources: ArgumentSource[] = [];
  for (let index = 0; index < prototype[route.method].length; index++) {
    const injection = injections[index];
    if (!injection) {
      argumentSources.push({kind: 'operation'});
      continue;
    }
    const key = String(injection.bindingSelector);
    if (key === SecurityBindings.USER.key) argumentSources.push({kind: 'user'});
    else if (key === RestBindings.Http.REQUEST.key) argumentSources.push({kind: 'request'});
    else if (key === RestBindings.Http.RESPONSE.key) argumentSources.push({kind: 'response'});
    else throw new Error(`fast lane ${name}: cannot inject ${key} without a request context`);
  }

  return {
    pattern: pathPattern(operation.path),
    verb: operation.verb.toUpperCase(),
    controllerName: route.controller.name,
    instance: (await server.get(route.binding.key)) as PreparedRoute['instance'],
    method: route.method,
    strategy,
    permissions: authorization?.skip ? [] : (authorization?.scopes ?? []),
    argumentSources,
  };
}

/** Where the controller's decorators put the method. */
function findOperation(route: FastLaneRoute): {verb: string; path: string} | undefined {
  const paths = getControllerSpec(route.controller).paths ?? {};
  for (const [path, operations] of Object.entries(paths)) {
    for (const [verb, operation] of Object.entries(operations as Record<string, {'x-operation-name'?: string}>)) {
      if (operation['x-operation-name'] === route.method) return {verb, path};
    }
  }
  return undefined;
}

/** `/session/{meetingLinkId}/token` → one path segment per template variable. */
export function pathPattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map(part => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/** Operation arguments fill the positions nothing is injected into, in order, as LoopBack's `invokeMethod` does. */
function argumentsFor(route: PreparedRoute, operationArgs: unknown[], http: {request: Request; response: Response; user?: UserProfile}): unknown[] {
  let next = 0;
  return route.argumentSources.map(source => {
    switch (source.kind) {
      case 'operation':
        return operationArgs[next++];
      case 'user':
        return http.user;
      case 'request':
        return http.request;
      case 'response':
        return http.response;
    }
  });
}
