import {ListObjectsV2Command, S3Client} from '@aws-sdk/client-s3';
import {expect} from '@loopback/testlab';
import {S3ArchiveStorage} from '../../../providers/storage/s3/s3.storage';
import {createArchiveStorage} from '../../../providers/storage/storage.factory';
import {S3TargetConfig, StorageProbeError} from '../../../providers/storage/types';
import {expectDeleteIsIdempotent, expectRoundTrip} from '../../fixtures/storage-contract';
import {closedPort, S3rverEmulator, startS3rver, startSilentServer} from '../../fixtures/storage-emulators';

const BUCKET = 'archives';

describe('S3ArchiveStorage against s3rver (integration)', function () {
  this.timeout(30_000);
  let s3rver: S3rverEmulator;

  before(async () => {
    s3rver = await startS3rver();
    await s3rver.createBucket(BUCKET);
  });
  after(async () => s3rver?.stop());

  function givenTarget(overrides: Partial<S3TargetConfig> = {}): S3TargetConfig {
    const {endpoint, accessKey, secretKey} = s3rver;
    return {type: 's3', bucket: BUCKET, accessKey, secretKey, region: 'us-east-1', endpoint, forcePathStyle: true, fallback: 'none', ...overrides};
  }

  async function probeFailure(target: S3TargetConfig): Promise<StorageProbeError> {
    const error = await createArchiveStorage(target)
      .probe()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).to.be.instanceOf(StorageProbeError);
    return error as StorageProbeError;
  }

  async function objectKeysUnder(prefix: string): Promise<string[]> {
    const client = new S3Client({
      endpoint: s3rver.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: {accessKeyId: s3rver.accessKey, secretAccessKey: s3rver.secretKey},
    });
    try {
      const listing = await client.send(new ListObjectsV2Command({Bucket: BUCKET, Prefix: prefix}));
      return (listing.Contents ?? []).map(object => object.Key!);
    } finally {
      client.destroy();
    }
  }

  it('is what the factory builds for an s3 target', () => {
    expect(createArchiveStorage(givenTarget())).to.be.instanceOf(S3ArchiveStorage);
  });

  it('probes an existing bucket and leaves no probe object behind', async () => {
    await createArchiveStorage(givenTarget()).probe();
    expect(await objectKeysUnder('.vcs-probe/')).to.eql([]);
  });

  it('fails the probe of a missing bucket, naming it', async () => {
    const error = await probeFailure(givenTarget({bucket: 'no-such-bucket'}));
    expect(error.message).to.equal('S3 bucket "no-such-bucket" does not exist');
  });

  it('fails the probe of an endpoint that refuses connections', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const error = await probeFailure(givenTarget({endpoint}));
    expect(error.message).to.equal(`S3 endpoint ${endpoint} is unreachable (ECONNREFUSED)`);
  });

  it('fails the probe of an endpoint that never answers within about 5 seconds', async () => {
    const silent = await startSilentServer();
    try {
      const startedAt = Date.now();
      const error = await probeFailure(givenTarget({endpoint: silent.endpoint}));
      expect(error.message).to.equal(`S3 endpoint ${silent.endpoint} is unreachable (timed out)`);
      expect(Date.now() - startedAt).to.be.within(4_000, 8_000);
    } finally {
      await silent.stop();
    }
  });

  it('stores an archive, presigns a download of the exact bytes, and deletes it', async () => {
    await expectRoundTrip(createArchiveStorage(givenTarget()), url => {
      expect(url).to.match(/X-Amz-Expires=300/);
    });
  });

  it('deletes an object that is already gone without error', async () => {
    await expectDeleteIsIdempotent(createArchiveStorage(givenTarget()));
  });

  it('answers false for an object that was never stored', async () => {
    expect(await createArchiveStorage(givenTarget()).exists('app-1/never/archive.mp4')).to.be.false();
  });
});
