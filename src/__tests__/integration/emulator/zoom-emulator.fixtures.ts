import {createHmac} from 'node:crypto';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import jwt from 'jsonwebtoken';
import type {ArchiveStorageFactory} from '../../../providers/storage/types';
import {ZoomVideoEmulator} from '../../../emulator/zoom';

/** Test credentials of the Zoom emulator (never real ones). */
export const ZOOM_TEST = {
  sdkKey: 'test-sdk-key',
  sdkSecret: 'test-sdk-secret-0123456789',
  apiKey: 'test-api-key',
  apiSecret: 'test-api-secret-0123456789',
  webhookSecretToken: 'test-webhook-secret-token',
} as const;

export interface ReceivedZoomWebhook {
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  json: {event: string; event_ts: number; payload: {object?: Record<string, unknown>; plainToken?: string}; download_token?: string};
}

/**
 * Stands in for the service's `/webhooks/zoom`: answers Zoom's URL validation (computed here by hand,
 * independent of the adapter) and records every other webhook.
 */
export class ZoomWebhookReceiver {
  readonly received: ReceivedZoomWebhook[] = [];
  /** Answer the validation with another secret, to see the emulator refuse the endpoint. */
  validationSecret: string = ZOOM_TEST.webhookSecretToken;
  private server?: http.Server;
  url = '';

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const json = JSON.parse(raw.toString('utf8')) as ReceivedZoomWebhook['json'];
        if (json.event === 'endpoint.url_validation') {
          const plainToken = String(json.payload.plainToken);
          const encryptedToken = createHmac('sha256', this.validationSecret).update(plainToken).digest('hex');
          res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({plainToken, encryptedToken}));
          return;
        }
        this.received.push({headers: req.headers, raw, json});
        res.writeHead(204).end();
      });
    });
    await new Promise<void>(resolve => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/zoom`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>(resolve => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  events(): string[] {
    return this.received.map(w => w.json.event);
  }
}

/** The signature Zoom's webhooks must carry, recomputed by hand (provider-facts §B1). */
export function expectedZoomSignature(webhook: ReceivedZoomWebhook, secret: string = ZOOM_TEST.webhookSecretToken): string {
  const timestamp = String(webhook.headers['x-zm-request-timestamp']);
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(webhook.raw).digest('hex')}`;
}

/** An API JWT as Zoom wants it, with claims to override (`undefined` leaves a claim out). */
export function givenApiJwt(over: Record<string, unknown> = {}, secret: string = ZOOM_TEST.apiSecret): string {
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign(withoutUndefined({iss: ZOOM_TEST.apiKey, iat: now, exp: now + 3600, ...over}), secret, {algorithm: 'HS256', noTimestamp: leavesOutIat(over)});
}

/** A join token as Zoom wants it, with claims to override. */
export function givenJoinToken(tpc: string, over: Record<string, unknown> = {}, secret: string = ZOOM_TEST.sdkSecret): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {app_key: ZOOM_TEST.sdkKey, tpc, role_type: 0, version: 1, iat: now - 30, exp: now + 7200, user_key: 'join-key-1', ...over};
  return jwt.sign(withoutUndefined(claims), secret, {algorithm: 'HS256', noTimestamp: leavesOutIat(over)});
}

/** jsonwebtoken adds an `iat` of its own unless told not to. */
function leavesOutIat(over: Record<string, unknown>): boolean {
  return 'iat' in over && over.iat === undefined;
}

function withoutUndefined(claims: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}

export function givenZoomEmulator(storageFactory?: ArchiveStorageFactory): ZoomVideoEmulator {
  return new ZoomVideoEmulator({...ZOOM_TEST, storageFactory, timing: {recordingProcessingMs: 10}});
}

/** POST to an emulator control; resolves status and JSON body. */
export async function zoomControl(emulatorApiUrl: string, path: string, body: object = {}): Promise<{status: number; body: Record<string, unknown>}> {
  const origin = emulatorApiUrl.replace(/\/v2$/, '');
  const res = await fetch(`${origin}${path}`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});
  const text = await res.text();
  return {status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}};
}
