import type {IncomingMessage, ServerResponse} from 'node:http';
import type {ArchiveStorageFactory} from '../../providers/storage/types';
import {Background} from '../background';
import {EmulatorServer, replyScripted, ScriptedFailures} from '../emulator-server';
import {EmulatorHttpError, matchPath, parseBody, readBody, sendError, sendJson} from '../http-utils';
import type {RestRequest} from '../rest-types';
import {ZOOM_CODES, ZoomApiError} from './zoom-api-error';
import {handleZoomControl, ZoomControlDeps} from './zoom-control-routes';
import {ZoomEmulatorAuth} from './zoom-emulator-auth';
import {ZoomEmulatorState} from './zoom-emulator-state';
import {handleZoomRest} from './zoom-rest-routes';
import {ZOOM_TIMING, ZoomEmulatorTiming, ZoomSessionFlow} from './zoom-session-flow';
import {ZoomWebhookSender} from './zoom-webhook-sender';

export interface ZoomEmulatorOptions {
  /** Video SDK key pair: join tokens must be signed with it. */
  sdkKey: string;
  sdkSecret: string;
  /** Video SDK API key pair: every REST call's bearer JWT must be signed with it. */
  apiKey: string;
  apiSecret: string;
  /** Signs every webhook (the app's secret token). */
  webhookSecretToken: string;
  /** Writes recordings to the bring-your-own S3 location, as Zoom would. */
  storageFactory?: ArchiveStorageFactory;
  timing?: Partial<ZoomEmulatorTiming>;
  log?: (message: string, fields?: object) => void;
}

export interface ZoomRecordedRequest {
  method: string;
  /** The raw path, still encoded as sent (double encoding shows). */
  rawPath: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  jwtClaims?: Record<string, unknown>;
}

/**
 * A local Zoom Video SDK: the REST calls the service makes under `/v2`, authenticated as Zoom
 * authenticates them, signed webhooks, recording downloads, and `/_emulator` controls to play clients.
 */
export class ZoomVideoEmulator {
  readonly requests: ZoomRecordedRequest[] = [];
  readonly timing: ZoomEmulatorTiming;
  private readonly background: Background;
  private readonly state = new ZoomEmulatorState();
  private readonly webhooks: ZoomWebhookSender;
  private readonly deps: ZoomControlDeps;
  private readonly failures = new ScriptedFailures();
  private readonly server = new EmulatorServer((req, res) => this.handle(req, res));

  constructor(private readonly options: ZoomEmulatorOptions) {
    const log = options.log ?? (() => {});
    this.timing = {...ZOOM_TIMING, ...options.timing};
    this.background = new Background(log);
    this.webhooks = new ZoomWebhookSender(options.webhookSecretToken, log);
    const flow = new ZoomSessionFlow({
      state: this.state,
      webhooks: this.webhooks,
      background: this.background,
      timing: this.timing,
      storageFactory: options.storageFactory,
      origin: () => this.server.origin,
      log,
    });
    this.deps = {
      state: this.state,
      flow,
      webhooks: this.webhooks,
      auth: new ZoomEmulatorAuth(options.apiKey, options.apiSecret, options.sdkKey, options.sdkSecret),
    };
  }

  /** The REST base including `/v2` (what `ZOOM_API_HOST` takes); valid after start(). */
  get url(): string {
    return this.server.origin ? `${this.server.origin}/v2` : '';
  }

  /** Listens (port 0 = any free port); resolves the REST base URL including `/v2`. */
  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    await this.server.start(port, host);
    return this.url;
  }

  async stop(): Promise<void> {
    this.background.cancelAll();
    await this.server.stop();
  }

  /** Validates the endpoint first, as Zoom does (a signed `endpoint.url_validation`); webhooks go there once it answers right. */
  async setCallbackUrl(url: string | null): Promise<void> {
    if (url) await this.webhooks.validate(url);
    this.webhooks.callbackUrl = url;
  }

  /** Resolves once recordings in processing are completed and their webhooks delivered. */
  settled(): Promise<void> {
    return this.background.settled();
  }

  /** Forgets sessions, recordings, storage settings, recorded requests and scripted failures. */
  reset(): void {
    this.background.cancelAll();
    this.state.reset();
    this.requests.length = 0;
    this.failures.clear();
    this.webhooks.dropNext = 0;
  }

  /** The next `times` matching REST requests get this reply instead, after `delayMs` (beyond the client's timeout = a timeout). */
  failNext(match: {method?: string; path?: RegExp}, reply: {status: number; body?: unknown; delayMs?: number}, times = 1): void {
    this.failures.add(match, reply, times);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://emulator');
      const request: RestRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: parseBody(req.headers['content-type'], await readBody(req)),
      };
      const download = matchPath('/rec/download/:fileId', request.path);
      if (download && request.method === 'GET') return this.serveDownload(download.fileId, url.searchParams.get('access_token'), res);
      if (request.path === '/_emulator/reset' && request.method === 'POST') {
        this.reset();
        return sendJson(res, 204, undefined);
      }
      if (request.path.startsWith('/_emulator/')) {
        const reply = await handleZoomControl(request, this.deps);
        return reply ? sendJson(res, reply.status, reply.status === 204 ? undefined : reply.body) : sendError(res, 404, 'No such emulator route');
      }
      if (!request.path.startsWith('/v2/')) return sendJson(res, 404, {code: 404, message: 'Not found'});
      const path = request.path.slice(3);
      const recorded: ZoomRecordedRequest = {
        method: request.method,
        rawPath: request.path,
        path,
        query: Object.fromEntries(url.searchParams),
        body: request.body,
      };
      this.requests.push(recorded);
      const failure = this.failures.take(request.method, path);
      if (failure) return replyScripted(res, failure);
      const authorization = req.headers.authorization;
      recorded.jwtClaims = this.deps.auth.verifyApiJwt(Array.isArray(authorization) ? authorization[0] : authorization);
      const reply = await handleZoomRest(request, path, this.deps);
      if (!reply) return sendJson(res, 404, {code: 404, message: 'Not found'});
      sendJson(res, reply.status, reply.status === 204 ? undefined : reply.body);
    } catch (error) {
      if (error instanceof ZoomApiError) return sendJson(res, error.status, {code: error.code, message: error.message});
      if (error instanceof EmulatorHttpError)
        return sendJson(res, error.status, {code: error.status === 400 ? ZOOM_CODES.invalidField : error.status, message: error.message});
      this.options.log?.('zoom emulator error', {error: (error as Error).message});
      sendError(res, 500, 'Internal emulator error');
    }
  }

  /** Zoom's download URL: `?access_token=` must be a live token issued for that recording. */
  private serveDownload(fileId: string, accessToken: string | null, res: ServerResponse): void {
    const grant = accessToken ? this.state.downloadTokens.get(accessToken) : undefined;
    if (!grant || grant.expiresAt <= Date.now()) return sendJson(res, 401, {code: ZOOM_CODES.invalidAccessToken, message: 'Invalid or expired access_token.'});
    const recording = this.state.find(grant.instanceUuid)?.session.instances.find(i => i.uuid === grant.instanceUuid)?.recording;
    const file = recording?.state === 'completed' ? recording.files.find(f => f.id === fileId) : undefined;
    if (!file) return sendJson(res, 404, {code: ZOOM_CODES.recordingNotFound, message: 'This recording does not exist.'});
    res.writeHead(200, {'Content-Type': file.contentType, 'Content-Length': file.bytes.length}).end(file.bytes);
  }
}
