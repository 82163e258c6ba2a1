import {S3Client} from '@aws-sdk/client-s3';
import {expect} from '@loopback/testlab';
import {S3ArchiveStorage} from '../../../../providers/storage/s3/s3.storage';
import {describeS3Failure} from '../../../../providers/storage/s3/s3-error';
import {describeAzureFailure} from '../../../../providers/storage/azure/azure-error';
import {S3TargetConfig, StorageProbeError} from '../../../../providers/storage/types';

const TARGET: S3TargetConfig = {
  type: 's3',
  bucket: 'recordings',
  accessKey: 'AKIAEXAMPLE',
  secretKey: 'super-secret-key',
  region: 'eu-west-1',
  forcePathStyle: false,
  fallback: 'none',
};

/** An S3 client whose every call fails the way the SDK reports it. */
function failingClient(error: object): S3Client {
  return {send: async () => Promise.reject(Object.assign(new Error('sdk error'), error))} as unknown as S3Client;
}

describe('S3 storage errors (unit)', () => {
  it('reports wrong credentials as a probe failure that names the bucket and holds no secret', async () => {
    const storage = new S3ArchiveStorage(TARGET, {client: failingClient({name: 'InvalidAccessKeyId', $metadata: {httpStatusCode: 403}})});
    const error = await storage.probe().then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).to.be.instanceOf(StorageProbeError);
    expect(error!.message).to.equal('S3 rejected the credentials for bucket "recordings" (InvalidAccessKeyId)');
    expect(error!.message).to.not.containEql(TARGET.secretKey);
    expect(error!.message).to.not.containEql(TARGET.accessKey);
  });

  const cases: Array<[string, object, RegExp]> = [
    ['a signature mismatch', {name: 'SignatureDoesNotMatch', $metadata: {httpStatusCode: 403}}, /rejected the credentials/],
    ['a missing bucket', {name: 'NoSuchBucket', $metadata: {httpStatusCode: 404}}, /bucket "recordings" does not exist/],
    ['a refused connection', {code: 'ECONNREFUSED'}, /endpoint .* is unreachable/],
    ['a timeout', {name: 'TimeoutError'}, /unreachable/],
    ['another server error', {name: 'InternalError', $metadata: {httpStatusCode: 500}}, /failed \(InternalError, HTTP 500\)/],
  ];
  for (const [what, error, message] of cases) {
    it(`describes ${what}`, () => {
      expect(describeS3Failure(error, 'recordings', 'https://s3.example')).to.match(message);
    });
  }

  it('describes Azure failures the same way', () => {
    expect(describeAzureFailure({code: 'ContainerNotFound', statusCode: 404}, 'c', 'e')).to.match(/container "c" does not exist/);
    expect(describeAzureFailure({code: 'AuthenticationFailed', statusCode: 403}, 'c', 'e')).to.match(/rejected the credentials/);
    expect(describeAzureFailure({code: 'ECONNREFUSED'}, 'c', 'e')).to.match(/unreachable/);
  });
});
