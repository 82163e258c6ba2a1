import {expect} from '@loopback/testlab';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import type {OutboundConfig} from '../../../config/outbound-config';
import {OutboundGuard, Resolver} from '../../../outbound/outbound-guard';
import {createArchiveStorage} from '../../../providers/storage/storage.factory';
import {StorageProbeError, StorageTargetConfig} from '../../../providers/storage/types';
import {AzuriteEmulator, S3rverEmulator, startAzurite, startS3rver} from '../../fixtures/storage-emulators';

const PRODUCTION: OutboundConfig = {restrictPrivateAddresses: true, allowedHosts: []};

/** A name that resolves where the test says, as a hostile DNS server would answer. */
function resolverFor(answers: Record<string, string>): Resolver {
  return (hostname, _options, callback) => {
    const address = answers[hostname];
    if (!address) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {code: 'ENOTFOUND'}), []);
    callback(null, [{address, family: address.includes(':') ? 6 : 4}]);
  };
}

/** Counts requests; answers each with `respond`. */
async function startRecordingServer(
  respond: (res: http.ServerResponse) => void,
): Promise<{url: string; port: number; hits: () => number; stop(): Promise<void>}> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    req.resume();
    respond(res);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits: () => hits,
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function probeFailure(target: StorageTargetConfig, guard?: OutboundGuard): Promise<StorageProbeError> {
  const error = await createArchiveStorage(target, {outbound: guard})
    .probe()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).to.be.instanceOf(StorageProbeError);
  return error as StorageProbeError;
}

describe('Storage adapters behind the outbound guard (integration)', function () {
  this.timeout(30_000);
  let s3rver: S3rverEmulator;
  let azurite: AzuriteEmulator;

  before(async () => {
    s3rver = await startS3rver();
    azurite = await startAzurite();
    await s3rver.createBucket('archives');
    await azurite.createContainer('archives');
  });
  after(async () => Promise.all([s3rver?.stop(), azurite?.stop()]));

  const s3Target = (endpoint: string): StorageTargetConfig => ({
    type: 's3',
    bucket: 'archives',
    accessKey: s3rver.accessKey,
    secretKey: s3rver.secretKey,
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    fallback: 'none',
  });
  const azureTarget = (endpoint: string): StorageTargetConfig => ({
    type: 'azure',
    accountName: azurite.accountName,
    accountKey: azurite.accountKey,
    container: 'archives',
    endpoint,
    fallback: 'none',
  });
  const portOf = (endpoint: string) => new URL(endpoint).port;

  describe('production policy', () => {
    it('refuses a loopback IP literal before any request reaches it', async () => {
      const server = await startRecordingServer(res => res.end());
      try {
        const error = await probeFailure(s3Target(server.url), new OutboundGuard(PRODUCTION));
        expect(error.message).to.match(/127\.0\.0\.1:\d+.*loopback address.*OUTBOUND_ALLOWED_HOSTS/);
        expect(server.hits()).to.equal(0);
      } finally {
        await server.stop();
      }
    });

    it('refuses a name that resolves to loopback at connect time (the address connected to is checked)', async () => {
      const guard = new OutboundGuard(PRODUCTION, resolverFor({'storage.vcs.test': '127.0.0.1'}));
      const s3 = await probeFailure(s3Target(`http://storage.vcs.test:${portOf(s3rver.endpoint)}`), guard);
      expect(s3.message).to.match(/storage\.vcs\.test:\d+ \(it resolves to 127\.0\.0\.1\).*loopback/);
      const azure = await probeFailure(azureTarget(`http://storage.vcs.test:${portOf(azurite.endpoint)}/${azurite.accountName}`), guard);
      expect(azure.message).to.match(/Azure Blob endpoint refused: .*resolves to 127\.0\.0\.1/);
    });

    it('refuses link-local (cloud metadata), private and IPv4-mapped addresses a name resolves to', async () => {
      for (const address of ['169.254.169.254', '10.1.2.3', '::ffff:127.0.0.1', 'fd00::1']) {
        const guard = new OutboundGuard(PRODUCTION, resolverFor({'storage.vcs.test': address}));
        const error = await probeFailure(s3Target('http://storage.vcs.test:9000'), guard);
        expect(error.message).to.match(/refused/);
      }
    });

    it('lets the allow-listed host:port through: the emulators work behind the guard', async () => {
      // s3rver takes any other host name for a bucket (virtual-host style): `localhost` it serves.
      const allowedHosts = [`localhost:${portOf(s3rver.endpoint)}`, `127.0.0.1:${portOf(azurite.endpoint)}`];
      const guard = new OutboundGuard({restrictPrivateAddresses: true, allowedHosts}, resolverFor({localhost: '127.0.0.1'}));
      await createArchiveStorage(s3Target(`http://localhost:${portOf(s3rver.endpoint)}`), {outbound: guard}).probe();
      await createArchiveStorage(azureTarget(azurite.endpoint), {outbound: guard}).probe();
      // The same host on another port is still refused.
      await probeFailure(s3Target(`http://localhost:${Number(portOf(s3rver.endpoint)) + 1}`), guard);
    });
  });

  it('outside production, loopback endpoints stay reachable', async () => {
    const guard = new OutboundGuard({restrictPrivateAddresses: false, allowedHosts: []});
    await createArchiveStorage(s3Target(s3rver.endpoint), {outbound: guard}).probe();
    await createArchiveStorage(azureTarget(azurite.endpoint), {outbound: guard}).probe();
  });

  describe('redirects are not followed', () => {
    // Same origin, another path: Azure's pipeline follows such a redirect by default (cross-origin
    // ones it skips), so only a disabled redirect policy leaves the target path alone.
    let server: Awaited<ReturnType<typeof startRecordingServer>>;
    let redirected = 0;
    beforeEach(async () => {
      redirected = 0;
      server = await startRecordingServer(res => {
        if (res.req.url?.startsWith('/elsewhere')) {
          redirected++;
          res.end();
          return;
        }
        res.writeHead(307, {location: '/elsewhere/archive'});
        res.end();
      });
    });
    afterEach(async () => server.stop());

    // A HEAD: the kind of request Azure's pipeline would follow by default (up to 20 times).
    for (const kind of ['s3', 'azure'] as const) {
      it(`by the ${kind} adapter`, async () => {
        const target = kind === 's3' ? s3Target(server.url) : azureTarget(`${server.url}/${azurite.accountName}`);
        const storage = createArchiveStorage(target, {outbound: new OutboundGuard({restrictPrivateAddresses: false, allowedHosts: []})});
        await expect(storage.exists('some/archive.mp4')).to.be.rejected();
        expect(server.hits()).to.be.above(0);
        expect(redirected).to.equal(0);
      });
    }
  });
});
