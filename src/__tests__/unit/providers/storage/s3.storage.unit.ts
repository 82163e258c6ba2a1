import {DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client} from '@aws-sdk/client-s3';
import {expect} from '@loopback/testlab';
import {S3ArchiveStorage} from '../../../../providers/storage/s3/s3.storage';
import {S3TargetConfig, StorageOperationError, StorageProbeError} from '../../../../providers/storage/types';

const TARGET: S3TargetConfig = {
  type: 's3',
  bucket: 'recordings',
  accessKey: 'AKIAEXAMPLEKEYID',
  secretKey: 'wJalrXUtnFEMI/K7MDENG/super-secret',
  region: 'eu-west-1',
  endpoint: 'https://s3.example.test',
  forcePathStyle: true,
  fallback: 'none',
};

interface SentCommand {
  command: object;
  abortSignal?: AbortSignal;
}

/** Stands in for S3Client.send: records each call and answers through `answer`. */
function givenStubClient(answer: (command: object) => unknown): {client: S3Client; sent: SentCommand[]} {
  const sent: SentCommand[] = [];
  const send = async (command: object, options?: {abortSignal?: AbortSignal}) => {
    sent.push({command, abortSignal: options?.abortSignal});
    return answer(command);
  };
  return {client: {send} as unknown as S3Client, sent};
}

/** An error shaped like the SDK's: a service error has a name and $metadata, a network error a code. */
function sdkError(fields: Record<string, unknown>): Error {
  return Object.assign(new Error('error from the SDK'), fields);
}

function givenFailingStorage(error: Error, target: S3TargetConfig = TARGET): S3ArchiveStorage {
  return new S3ArchiveStorage(target, {client: givenStubClient(() => Promise.reject(error)).client});
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: Error) => error,
  );
}

describe('S3ArchiveStorage (unit)', () => {
  it('reports wrong credentials as a probe failure naming the bucket, without any secret', async () => {
    const error = await failureOf(givenFailingStorage(sdkError({name: 'InvalidAccessKeyId', $metadata: {httpStatusCode: 403}})).probe());
    expect(error).to.be.instanceOf(StorageProbeError);
    expect(error.message).to.equal('S3 rejected the credentials for bucket "recordings" (InvalidAccessKeyId)');
    expect(error.message).to.not.containEql(TARGET.secretKey);
    expect(error.message).to.not.containEql(TARGET.accessKey);
  });

  it('keeps the SDK error as the cause', async () => {
    const cause = sdkError({name: 'AccessDenied', $metadata: {httpStatusCode: 403}});
    const error = await failureOf(givenFailingStorage(cause).probe());
    expect(error.cause).to.equal(cause);
  });

  it('names the endpoint without the user info or query string pasted into it', async () => {
    const target = {...TARGET, endpoint: 'https://user:pa55word@s3.example.test/?X-Amz-Signature=abc'};
    const error = await failureOf(givenFailingStorage(sdkError({code: 'ECONNREFUSED', syscall: 'connect'}), target).probe());
    expect(error.message).to.equal('S3 endpoint https://s3.example.test is unreachable (ECONNREFUSED)');
  });

  const probeFailures: Array<[string, Record<string, unknown>, string]> = [
    ['a missing bucket', {name: 'NoSuchBucket', $metadata: {httpStatusCode: 404}}, 'S3 bucket "recordings" does not exist'],
    ['a 404 without a body', {name: 'NotFound', $metadata: {httpStatusCode: 404}}, 'S3 bucket "recordings" does not exist'],
    [
      'a signature mismatch',
      {name: 'SignatureDoesNotMatch', $metadata: {httpStatusCode: 403}},
      'S3 rejected the credentials for bucket "recordings" (SignatureDoesNotMatch)',
    ],
    ['an access denial', {name: 'AccessDenied', $metadata: {httpStatusCode: 403}}, 'S3 rejected the credentials for bucket "recordings" (AccessDenied)'],
    ['a bare 403', {name: 'UnknownError', $metadata: {httpStatusCode: 403}}, 'S3 rejected the credentials for bucket "recordings" (UnknownError)'],
    [
      'a bucket in another region',
      {name: 'PermanentRedirect', $metadata: {httpStatusCode: 301}},
      'S3 bucket "recordings" is not in region "eu-west-1" (PermanentRedirect)',
    ],
    ['a refused connection', {code: 'ECONNREFUSED', syscall: 'connect'}, 'S3 endpoint https://s3.example.test is unreachable (ECONNREFUSED)'],
    ['an unknown host', {code: 'ENOTFOUND', syscall: 'getaddrinfo'}, 'S3 endpoint https://s3.example.test is unreachable (ENOTFOUND)'],
    ['a connection timeout', {name: 'TimeoutError'}, 'S3 endpoint https://s3.example.test is unreachable (timed out)'],
    ['the probe deadline', {name: 'AbortError'}, 'S3 endpoint https://s3.example.test is unreachable (timed out)'],
    ['a server error', {name: 'InternalError', $metadata: {httpStatusCode: 500}}, 'S3 request for bucket "recordings" failed (InternalError, HTTP 500)'],
    ['an error that is not a network error', {name: 'TypeError'}, 'S3 request for bucket "recordings" failed (TypeError)'],
  ];
  for (const [what, fields, message] of probeFailures) {
    it(`describes ${what} in the probe error`, async () => {
      const error = await failureOf(givenFailingStorage(sdkError(fields)).probe());
      expect(error).to.be.instanceOf(StorageProbeError);
      expect(error.message).to.equal(message);
    });
  }

  it('writes, reads back and deletes one probe object, each call under a deadline', async () => {
    let written: Buffer | undefined;
    const {client, sent} = givenStubClient(command => {
      if (command instanceof PutObjectCommand) written = command.input.Body as Buffer;
      if (command instanceof GetObjectCommand) return {Body: {transformToByteArray: async () => new Uint8Array(written!)}};
      return {};
    });
    await new S3ArchiveStorage(TARGET, {client}).probe();
    expect(sent.map(call => call.command.constructor.name)).to.eql(['PutObjectCommand', 'GetObjectCommand', 'DeleteObjectCommand']);
    const keys = sent.map(call => (call.command as PutObjectCommand).input.Key);
    expect(keys[0]).to.match(/^\.vcs-probe\/[0-9a-f-]{36}$/);
    expect(new Set(keys).size).to.equal(1);
    for (const call of sent) expect(call.abortSignal).to.be.instanceOf(AbortSignal);
  });

  it('fails the probe, after deleting the object, when the bytes read back differ', async () => {
    const {client, sent} = givenStubClient(command =>
      command instanceof GetObjectCommand ? {Body: {transformToByteArray: async () => new Uint8Array([1, 2, 3])}} : {},
    );
    const error = await failureOf(new S3ArchiveStorage(TARGET, {client}).probe());
    expect(error).to.be.instanceOf(StorageProbeError);
    expect(error.message).to.equal('S3 bucket "recordings" returned other bytes than were written');
    expect(sent.some(call => call.command instanceof DeleteObjectCommand)).to.be.true();
  });

  it('reads a 404 from HeadObject as "does not exist"', async () => {
    const storage = givenFailingStorage(sdkError({name: 'NotFound', $metadata: {httpStatusCode: 404}}));
    expect(await storage.exists('app/archive/archive.mp4')).to.be.false();
  });

  it('treats deleting a missing object as done', async () => {
    await givenFailingStorage(sdkError({name: 'NoSuchKey', $metadata: {httpStatusCode: 404}})).deleteObject('app/archive/archive.mp4');
  });

  it('turns other failures of exists, delete and put into StorageOperationError', async () => {
    const storage = givenFailingStorage(sdkError({name: 'AccessDenied', $metadata: {httpStatusCode: 403}}));
    for (const call of [() => storage.exists('k'), () => storage.deleteObject('k'), () => storage.putObject('k', Buffer.from('x'), 'video/mp4')]) {
      const error = await failureOf(call());
      expect(error).to.be.instanceOf(StorageOperationError);
      expect(error.message).to.equal('S3 rejected the credentials for bucket "recordings" (AccessDenied)');
    }
  });
});
