import {expect} from '@loopback/testlab';
import {createArchiveStorage} from '../../../providers/storage/storage.factory';
import {ArchiveStorage, StorageProbeError} from '../../../providers/storage/types';
import {startAzurite, startS3rver} from '../../fixtures/storage-emulators';

describe('Archive storage adapters against protocol emulators (integration)', function () {
  this.timeout(60000);
  let s3: Awaited<ReturnType<typeof startS3rver>>;
  let azure: Awaited<ReturnType<typeof startAzurite>>;

  before(async () => {
    // One after the other: if the second fails to start, `after` still stops the first.
    s3 = await startS3rver();
    azure = await startAzurite();
    await s3.createBucket('bucket-1');
    await azure.createContainer('container-1');
  });
  after(async () => Promise.all([s3?.stop(), azure?.stop()]));

  const s3Storage = (bucket = 'bucket-1', endpoint = s3.endpoint) =>
    createArchiveStorage({type: 's3', bucket, accessKey: s3.accessKey, secretKey: s3.secretKey, region: 'us-east-1', endpoint, forcePathStyle: true, fallback: 'none'});
  const azureStorage = (accountKey = azure.accountKey, container = 'container-1') =>
    createArchiveStorage({type: 'azure', accountName: azure.accountName, accountKey, container, endpoint: azure.endpoint, fallback: 'none'});

  async function probeError(storage: ArchiveStorage): Promise<StorageProbeError> {
    const error = await storage.probe().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(StorageProbeError);
    return error as StorageProbeError;
  }

  async function roundTrip(storage: ArchiveStorage) {
    const bytes = Buffer.from('a recording');
    await storage.putObject('app/arch/archive.mp4', bytes, 'video/mp4');
    expect(await storage.exists('app/arch/archive.mp4')).to.be.true();
    const download = await fetch(await storage.presignDownload('app/arch/archive.mp4', 60));
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).to.be.true();
    await storage.deleteObject('app/arch/archive.mp4');
    await storage.deleteObject('app/arch/archive.mp4');
    expect(await storage.exists('app/arch/archive.mp4')).to.be.false();
  }

  it('S3: probes a bucket, stores, presigns, deletes', async () => {
    await s3Storage().probe();
    await roundTrip(s3Storage());
  });

  it('S3: names a missing bucket and an unreachable endpoint', async () => {
    expect((await probeError(s3Storage('no-bucket'))).message).to.equal('S3 bucket "no-bucket" does not exist');
    expect((await probeError(s3Storage('bucket-1', 'http://127.0.0.1:1'))).message).to.match(/unreachable/);
  });

  it('Azure: probes a container, stores, presigns, deletes', async () => {
    await azureStorage().probe();
    await roundTrip(azureStorage());
  });

  it('Azure: names a missing container and rejected credentials', async () => {
    expect((await probeError(azureStorage(azure.accountKey, 'no-container'))).message).to.equal('Azure container "no-container" does not exist');
    const wrongKey = Buffer.alloc(64, 3).toString('base64');
    const error = await probeError(azureStorage(wrongKey));
    expect(error.message).to.match(/rejected the credentials/);
    expect(error.message).to.not.containEql(wrongKey);
  });
});
