import jwt from 'jsonwebtoken';
import {createHash, createHmac, randomUUID} from 'node:crypto';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {crc32} from 'node:zlib';
import type {ArchiveStorage, ArchiveStorageFactory, StorageTargetConfig} from '../../../providers/storage/types';
import {EmulatorTiming, VonageVideoEmulator} from '../../../emulator';
import {TEST_API_KEY, TEST_API_SECRET, TEST_APPLICATION_ID, TEST_SIGNATURE_SECRET, testKeys} from '../../fixtures/vonage-test-keys';

/**
 * Test doubles for the emulator's integration tests, written independently of
 * the emulator and the adapter: tokens are signed here with jsonwebtoken directly.
 */

export interface ReceivedCallback {
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  json: Record<string, unknown>;
}

/** A local node:http receiver standing in for the service's callback URL. */
export class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];
  /** Statuses to answer in turn (then 200). */
  statuses: number[] = [];
  delayMs = 0;
  maxInFlight = 0;
  private inFlight = 0;
  private server?: http.Server;
  url = '';

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        const raw = Buffer.concat(chunks);
        this.received.push({headers: req.headers, raw, json: JSON.parse(raw.toString('utf8')) as Record<string, unknown>});
        setTimeout(() => {
          this.inFlight--;
          res.writeHead(this.statuses.shift() ?? 200).end();
        }, this.delayMs);
      });
    });
    await new Promise<void>(resolve => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/session`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>(resolve => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  events(): string[] {
    return this.received.map(c => `${String(c.json.event)}${c.json.event === 'archive' ? `:${String(c.json.status)}` : ''}`);
  }
}

/**
 * Verifies a signed callback by hand (provider-facts §A9), independent of any JWT
 * library and of the service's verifier: HS256 = HMAC-SHA256 over `header.payload`,
 * then payload_hash = hex SHA-256 of the exact body bytes. Returns the claims.
 */
export function verifySignedCallback(callback: ReceivedCallback, secret: string): Record<string, unknown> {
  const token = String(callback.headers.authorization ?? '').replace(/^Bearer\s+/, '');
  const [header, payload, signature] = token.split('.');
  if (JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8')).alg !== 'HS256') throw new Error('callback JWT is not HS256');
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  if (signature !== expected) throw new Error('callback signature does not match');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  if (claims.payload_hash !== createHash('sha256').update(callback.raw).digest('hex')) throw new Error('payload_hash does not match the body');
  return claims;
}

/** The REST JWT the SDK would send, with claims to override. */
export function givenRestJwt(over: Record<string, unknown> = {}, privateKeyPem = testKeys().privateKeyPem): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {application_id: TEST_APPLICATION_ID, iat: now, exp: now + 900, jti: randomUUID(), ...over};
  return jwt.sign(withoutUndefined(claims), privateKeyPem, {algorithm: 'RS256'});
}

/** A client token as the service issues it (provider-facts §A5), with claims to override. */
export function givenClientToken(sessionId: string, over: Record<string, unknown> = {}, privateKeyPem = testKeys().privateKeyPem): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    scope: 'session.connect',
    session_id: sessionId,
    role: 'publisher',
    initial_layout_class_list: '',
    exp: now + 3600,
    sub: 'video',
    acl: {paths: {'/session/**': {}}},
    connection_data: 'vcs1:{"attendee":"a-1"}',
    jti: randomUUID(),
    iat: now,
    application_id: TEST_APPLICATION_ID,
    ...over,
  };
  return jwt.sign(withoutUndefined(claims), privateKeyPem, {algorithm: 'RS256'});
}

/** `{claim: undefined}` in an override means "leave the claim out". */
function withoutUndefined(claims: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}

/** An in-memory ArchiveStorage: records what the emulator uploads; `failPuts` makes uploads fail. */
export function givenMemoryStorage(): {
  factory: ArchiveStorageFactory;
  objects: Map<string, {body: Buffer; contentType: string}>;
  configs: StorageTargetConfig[];
  failPuts: boolean;
} {
  const kit = {
    objects: new Map<string, {body: Buffer; contentType: string}>(),
    configs: [] as StorageTargetConfig[],
    failPuts: false,
    factory: undefined as unknown as ArchiveStorageFactory,
  };
  kit.factory = config => {
    kit.configs.push(config);
    const storage: ArchiveStorage = {
      type: config.type,
      probe: async () => {},
      presignDownload: async key => `memory://${key}`,
      exists: async key => kit.objects.has(key),
      deleteObject: async key => void kit.objects.delete(key),
      putObject: async (key, body, contentType) => {
        if (kit.failPuts) throw new Error('bucket unreachable');
        kit.objects.set(key, {body, contentType});
      },
    };
    return storage;
  };
  return kit;
}

/** Entry names and bodies of a ZIP with stored entries, read from its central directory; checks each CRC. */
export function readStoredZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory header');
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error('bad local header');
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataStart, dataStart + size);
    if (crc32(data) !== zip.readUInt32LE(at + 16)) throw new Error(`CRC mismatch for ${name}`);
    entries.set(name, data);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

/**
 * An emulator with the test application's identity, posting callbacks to `callbackUrl`.
 * Archives are processed at once; idle stops and session ends keep Vonage's minute unless a test shortens them.
 */
export function givenEmulator(
  callbackUrl: string,
  storageFactory?: ArchiveStorageFactory,
  timing: Partial<EmulatorTiming> = {archiveProcessingMs: 10},
): VonageVideoEmulator {
  return new VonageVideoEmulator({
    timing,
    applicationId: TEST_APPLICATION_ID,
    applicationPublicKeyPem: testKeys().publicKeyPem,
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
    signatureSecret: TEST_SIGNATURE_SECRET,
    callbackUrl,
    storageFactory,
  });
}
