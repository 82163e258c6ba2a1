import type {IncomingMessage, ServerResponse} from 'node:http';
import type {ArchiveStorageFactory} from '../providers/storage/types';
import {ArchiveFlow} from './archive-flow';
import {Background, EmulatorTiming, VONAGE_TIMING} from './background';
import {CallbackSender} from './callback-sender';
import {handleControl} from './control-routes';
import {EmulatorAuth} from './emulator-auth';
import {EmulatorState} from './emulator-state';
import {EmulatorHttpError, matchPath, parseBody, readBody, sendError, sendJson} from './http-utils';
import {ParticipantFlow} from './participant-flow';
import {EmulatorServer, replyScripted, ScriptedFailures} from './emulator-server';
import {handleRest, RestDeps, RestRequest} from './rest-routes';
import {SessionFlow} from './session-flow';

export interface VonageEmulatorOptions {
  applicationId: string;
  /** Public half of the application key: every REST JWT and client token must verify with it. */
  applicationPublicKeyPem: string;
  /** Legacy project key/secret for the OpenTok-compatible storage call. */
  apiKey?: string;
  apiSecret?: string;
  /** Signs callbacks when set. */
  signatureSecret?: string;
  callbackUrl?: string;
  /** Writes archives to the storage target the service configured, as Vonage would. */
  storageFactory?: ArchiveStorageFactory;
  /** What Vonage does later on its own, and how much later (default VONAGE_TIMING). */
  timing?: Partial<EmulatorTiming>;
  log?: (message: string, fields?: object) => void;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  jwtClaims?: Record<string, unknown>;
}

/**
 * A local Vonage Video server: the REST calls the service makes, authenticated
 * as Vonage authenticates them, plus `/_emulator` controls to play a meeting.
 */
export class VonageVideoEmulator {
  readonly requests: RecordedRequest[] = [];
  /** Read when each timer is armed: a test may change it between steps. */
  readonly timing: EmulatorTiming;
  private readonly background: Background;
  private readonly state: EmulatorState;
  private readonly callbacks: CallbackSender;
  private readonly deps: RestDeps;
  private readonly failures = new ScriptedFailures();
  private readonly server = new EmulatorServer((req, res) => this.handle(req, res));

  constructor(private readonly options: VonageEmulatorOptions) {
    const log = options.log ?? (() => {});
    this.timing = {...VONAGE_TIMING, ...options.timing};
    this.background = new Background(log);
    this.state = new EmulatorState(options.applicationId);
    this.callbacks = new CallbackSender({applicationId: options.applicationId, apiKey: options.apiKey, signatureSecret: options.signatureSecret, log});
    this.callbacks.callbackUrl = options.callbackUrl ?? null;
    const archives = new ArchiveFlow({
      applicationId: options.applicationId,
      state: this.state,
      callbacks: this.callbacks,
      baseUrl: () => this.server.origin,
      storageFactory: options.storageFactory,
      background: this.background,
      timing: this.timing,
      log,
    });
    const sessions = new SessionFlow({
      applicationId: options.applicationId,
      state: this.state,
      callbacks: this.callbacks,
      archives,
      background: this.background,
      timing: this.timing,
    });
    this.deps = {
      applicationId: options.applicationId,
      state: this.state,
      auth: new EmulatorAuth(options.applicationId, options.applicationPublicKeyPem, options.apiKey, options.apiSecret),
      archives,
      participants: new ParticipantFlow(options.applicationId, this.state, this.callbacks, sessions),
      callbacks: this.callbacks,
    };
  }

  /** Base URL, no trailing slash; valid after start(). */
  get url(): string {
    return this.server.origin;
  }

  /** Listens (port 0 = any free port); resolves the base URL, no trailing slash. */
  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    return this.server.start(port, host);
  }

  /** Closes the server and its open connections; what was still to happen later will not. */
  async stop(): Promise<void> {
    this.background.cancelAll();
    await this.server.stop();
  }

  /** Where session and archive callbacks go from now on (null: nowhere). */
  setCallbackUrl(url: string | null): void {
    this.callbacks.callbackUrl = url;
  }

  /**
   * Resolves once everything Vonage would do later has happened: archives processed, idle
   * recordings stopped, sessions destroyed, with their callbacks delivered. Keep `timing` short.
   */
  settled(): Promise<void> {
    return this.background.settled();
  }

  /** Forgets sessions, archives, recorded requests, scripted failures and pending timers. */
  reset(): void {
    this.background.cancelAll();
    this.state.reset();
    this.callbacks.dropNext = 0;
    this.requests.length = 0;
    this.failures.clear();
  }

  /**
   * The next `times` matching Vonage REST requests (not `/_emulator`) get this reply
   * instead, after `delayMs` (longer than the client's timeout = a timeout).
   */
  failNext(match: {method?: string; path?: RegExp}, reply: {status: number; body?: unknown; delayMs?: number}, times = 1): void {
    this.failures.add(match, reply, times);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://emulator');
      const raw = await readBody(req);
      const request: RestRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: parseBody(req.headers['content-type'], raw),
      };
      const media = matchPath('/_emulator/media/:archiveId', request.path);
      if (media && request.method === 'GET') return this.serveMedia(media.archiveId, url.searchParams.get('expires'), res);
      if (request.path.startsWith('/_emulator/')) {
        const reply = await handleControl(request, this.deps);
        return reply ? sendJson(res, reply.status, reply.body) : sendError(res, 404, 'No such emulator route');
      }
      const recorded: RecordedRequest = {
        method: request.method,
        path: request.path,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: request.body,
      };
      this.requests.push(recorded);
      const failure = this.failures.take(request.method, request.path);
      if (failure) return replyScripted(res, failure);
      const reply = await handleRest(request, this.deps, claims => (recorded.jwtClaims = claims));
      if (!reply) return sendError(res, 404, 'Resource not found');
      sendJson(res, reply.status, reply.body);
    } catch (error) {
      if (error instanceof EmulatorHttpError) return sendError(res, error.status, error.message);
      this.options.log?.('emulator error', {error: (error as Error).message});
      sendError(res, 500, 'Internal emulator error');
    }
  }

  /** Vonage's download URL stand-in: no auth, but it expires like the real one (10 minutes). */
  private serveMedia(archiveId: string, expires: string | null, res: ServerResponse): void {
    const archive = this.state.archives.get(archiveId);
    if (!archive?.media) return sendError(res, 404, 'Archive media not found');
    if (expires !== null && !(Number(expires) > Date.now())) return sendError(res, 403, 'This download URL has expired');
    const {bytes, contentType} = archive.media;
    res.writeHead(200, {'Content-Type': contentType, 'Content-Length': bytes.length}).end(bytes);
  }
}
