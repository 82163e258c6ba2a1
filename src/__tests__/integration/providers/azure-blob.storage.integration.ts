import {BlobServiceClient, StorageSharedKeyCredential} from '@azure/storage-blob';
import {expect} from '@loopback/testlab';
import {AzureBlobArchiveStorage} from '../../../providers/storage/azure/azure-blob.storage';
import {createArchiveStorage} from '../../../providers/storage/storage.factory';
import {AzureTargetConfig, StorageOperationError, StorageProbeError} from '../../../providers/storage/types';
import {expectDeleteIsIdempotent, expectRoundTrip} from '../../fixtures/storage-contract';
import {AzuriteEmulator, closedPort, startAzurite, startSilentServer} from '../../fixtures/storage-emulators';

const CONTAINER = 'archives';

describe('AzureBlobArchiveStorage against Azurite (integration)', function () {
  this.timeout(30_000);
  let azurite: AzuriteEmulator;

  before(async () => {
    azurite = await startAzurite();
    await azurite.createContainer(CONTAINER);
  });
  after(async () => azurite?.stop());

  function givenTarget(overrides: Partial<AzureTargetConfig> = {}): AzureTargetConfig {
    const {endpoint, accountName, accountKey} = azurite;
    return {type: 'azure', accountName, accountKey, container: CONTAINER, endpoint, fallback: 'none', ...overrides};
  }

  async function failureOf(promise: Promise<unknown>): Promise<Error> {
    return promise.then(
      () => {
        throw new Error('expected a failure');
      },
      (error: Error) => error,
    );
  }

  async function probeFailure(target: AzureTargetConfig): Promise<StorageProbeError> {
    const error = await failureOf(createArchiveStorage(target).probe());
    expect(error).to.be.instanceOf(StorageProbeError);
    return error as StorageProbeError;
  }

  async function blobNamesUnder(prefix: string): Promise<string[]> {
    const service = new BlobServiceClient(azurite.endpoint, new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey));
    const names: string[] = [];
    for await (const blob of service.getContainerClient(CONTAINER).listBlobsFlat({prefix})) names.push(blob.name);
    return names;
  }

  /** A well-formed key that is not the account's: Azurite answers 403 like Azure does. */
  const WRONG_ACCOUNT_KEY = Buffer.alloc(64, 7).toString('base64');

  it('is what the factory builds for an azure target', () => {
    expect(createArchiveStorage(givenTarget())).to.be.instanceOf(AzureBlobArchiveStorage);
  });

  it('probes an existing container and leaves no probe blob behind', async () => {
    await createArchiveStorage(givenTarget()).probe();
    expect(await blobNamesUnder('.vcs-probe/')).to.eql([]);
  });

  it('fails the probe of a missing container, naming it', async () => {
    const error = await probeFailure(givenTarget({container: 'no-such-container'}));
    expect(error.message).to.equal('Azure container "no-such-container" does not exist');
  });

  it('fails the probe with a wrong account key, without showing the key', async () => {
    const error = await probeFailure(givenTarget({accountKey: WRONG_ACCOUNT_KEY}));
    // Azure says AuthenticationFailed, Azurite AuthorizationFailure: either code is named.
    expect(error.message).to.match(/^Azure rejected the credentials for container "archives" \((AuthenticationFailed|AuthorizationFailure)\)$/);
    expect(error.message).to.not.containEql(WRONG_ACCOUNT_KEY);
    expect(error.message).to.not.containEql(azurite.accountKey);
  });

  it('fails the probe of an endpoint that refuses connections', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}/devstoreaccount1`;
    const error = await probeFailure(givenTarget({endpoint}));
    expect(error.message).to.equal(`Azure Blob endpoint ${endpoint} is unreachable (ECONNREFUSED)`);
  });

  it('fails the probe of an endpoint that never answers within about 5 seconds', async () => {
    const silent = await startSilentServer();
    try {
      const endpoint = `${silent.endpoint}/devstoreaccount1`;
      const startedAt = Date.now();
      const error = await probeFailure(givenTarget({endpoint}));
      expect(error.message).to.equal(`Azure Blob endpoint ${endpoint} is unreachable (timed out)`);
      expect(Date.now() - startedAt).to.be.within(4_000, 8_000);
    } finally {
      await silent.stop();
    }
  });

  it('stores an archive, presigns a read-only download of the exact bytes, and deletes it', async () => {
    await expectRoundTrip(createArchiveStorage(givenTarget()), async url => {
      expect(url).to.match(/[?&]sp=r(&|$)/);
      expect(url).to.not.containEql(azurite.accountKey);
      // Read-only: the same URL cannot overwrite the archive.
      const overwrite = await fetch(url, {method: 'PUT', body: 'x', headers: {'x-ms-blob-type': 'BlockBlob'}});
      expect(overwrite.status).to.equal(403);
    });
  });

  it('deletes a blob that is already gone without error', async () => {
    await expectDeleteIsIdempotent(createArchiveStorage(givenTarget()));
  });

  it('reports a failed operation after the target was accepted as StorageOperationError', async () => {
    const storage = createArchiveStorage(givenTarget({accountKey: WRONG_ACCOUNT_KEY}));
    const error = await failureOf(storage.exists('app-1/archive-1/archive.mp4'));
    expect(error).to.be.instanceOf(StorageOperationError);
    expect(error.message).to.match(/^Azure rejected the credentials for container "archives"/);
  });
});
