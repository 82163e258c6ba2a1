import {expect} from '@loopback/testlab';
import type {ProviderStorageTarget} from '../../../../providers/video/types';
import {VideoProviderError} from '../../../../providers/video/video-provider.error';
import {
  sessionIdFromCreateReply,
  toArchivePage,
  toOpenTokStorageBody,
  toProviderArchive,
  toProviderConnection,
  toProviderConnections,
  VonageArchive,
} from '../../../../providers/video/vonage/vonage.mapper';

describe('Vonage mapper (unit)', () => {
  const givenVonageArchive = (over: Partial<VonageArchive> = {}): VonageArchive => ({
    id: 'b40ef09b-3811-4726-b508-e41a0f96c68f',
    sessionId: '2_MX4abc',
    name: 'standup',
    status: 'started',
    createdAt: 1_700_000_000_123,
    duration: 0,
    size: 0,
    url: null,
    reason: '',
    ...over,
  });

  describe('toProviderArchive', () => {
    const rows: Array<[string, Partial<VonageArchive>, object]> = [
      ['a started archive: ms → Date, empty reason → null', {}, {status: 'started', createdAt: new Date(1_700_000_000_123), reason: null, name: 'standup'}],
      [
        'an uploaded archive: duration in s, size in bytes',
        {status: 'uploaded', duration: 65, size: 4096},
        {status: 'uploaded', durationSeconds: 65, sizeBytes: 4096, url: null},
      ],
      [
        'an available archive, keeping its url',
        {status: 'available', url: 'https://vonage.example/a.mp4'},
        {status: 'available', url: 'https://vonage.example/a.mp4'},
      ],
      ['no outputMode → composed', {outputMode: undefined}, {outputMode: 'composed'}],
      ['individual output', {outputMode: 'individual'}, {outputMode: 'individual'}],
      ['an unknown outputMode → composed', {outputMode: 'mosaic'}, {outputMode: 'composed'}],
      ['an empty name → null', {name: ''}, {name: null}],
      ['negative or missing numbers → 0', {size: -1, duration: undefined}, {sizeBytes: 0, durationSeconds: 0}],
      ['a documented status as is (expired)', {status: 'expired'}, {status: 'expired'}],
      ['a failed archive, keeping its reason', {status: 'failed', reason: 'upload failed'}, {status: 'failed', reason: 'upload failed'}],
      ['an unknown status → failed, naming it', {status: 'archived-ish'}, {status: 'failed', reason: 'unrecognised Vonage archive status "archived-ish"'}],
    ];
    for (const [what, raw, expected] of rows) {
      it(`maps ${what}`, () => {
        expect(toProviderArchive(givenVonageArchive(raw))).to.containDeep(expected);
      });
    }

    const malformed: Array<[string, Partial<VonageArchive>]> = [
      ['no id', {id: undefined}],
      ['no sessionId', {sessionId: undefined}],
      ['a createdAt that is not a number', {createdAt: '2024-01-01' as never}],
    ];
    for (const [what, raw] of malformed) {
      it(`refuses an archive with ${what} as a provider failure`, () => {
        const error = catchError(() => toProviderArchive(givenVonageArchive(raw)));
        expect(error).to.be.instanceOf(VideoProviderError);
        expect((error as VideoProviderError).code).to.equal('PROVIDER_UNAVAILABLE');
      });
    }
  });

  it("maps an archive page, keeping Vonage's total count", () => {
    const page = toArchivePage({count: 7, items: [givenVonageArchive(), givenVonageArchive({id: 'x'})]});
    expect(page.count).to.equal(7);
    expect(page.items.map(a => a.id)).to.eql(['b40ef09b-3811-4726-b508-e41a0f96c68f', 'x']);
    expect(() => toArchivePage({count: 1})).to.throw(VideoProviderError);
  });

  describe('connections', () => {
    const rows: Array<[string | undefined, string]> = [
      ['CONNECTED', 'connected'],
      ['CONNECTING', 'connecting'],
      ['DISCONNECTED', 'disconnected'],
      ['connected', 'connected'],
      [undefined, 'connected'],
    ];
    for (const [raw, state] of rows) {
      it(`maps connectionState ${String(raw)} → ${state}`, () => {
        expect(toProviderConnection({connectionId: 'c1', connectionState: raw, createdAt: 1})).to.eql({connectionId: 'c1', state});
      });
    }

    it('maps the list reply and refuses one without items', () => {
      expect(toProviderConnections({count: 1, items: [{connectionId: 'c1', connectionState: 'CONNECTED', createdAt: 1}]})).to.eql([
        {connectionId: 'c1', state: 'connected'},
      ]);
      expect(() => toProviderConnections({count: 0})).to.throw(VideoProviderError);
    });
  });

  describe('sessionIdFromCreateReply', () => {
    it('reads data[0].session_id', () => {
      expect(sessionIdFromCreateReply([{session_id: '2_MX4x', project_id: 'p', create_dt: 'now', media_server_url: ''}])).to.equal('2_MX4x');
    });
    const bad: Array<[string, unknown]> = [
      ['an object instead of an array', {session_id: 's'}],
      ['an empty array', []],
      ['an empty session_id', [{session_id: ''}]],
      ['a text body', 'Created'],
    ];
    for (const [what, reply] of bad) {
      it(`refuses ${what}`, () => {
        expect(() => sessionIdFromCreateReply(reply)).to.throw(VideoProviderError);
      });
    }
  });

  describe('toOpenTokStorageBody', () => {
    const s3 = {type: 's3', bucket: 'b', accessKey: 'AK', secretKey: 'SK'} as const;
    const azure = {type: 'azure', accountName: 'acct', accountKey: 'KEY', container: 'c'} as const;
    const rows: Array<[string, ProviderStorageTarget, object]> = [
      ['S3 on AWS, fallback none', {...s3, fallback: 'none'}, {type: 's3', config: {accessKey: 'AK', secretKey: 'SK', bucket: 'b'}, fallback: 'none'}],
      [
        'S3-compatible endpoint, provider fallback → opentok',
        {...s3, endpoint: 'http://127.0.0.1:4568', fallback: 'provider'},
        {type: 's3', config: {accessKey: 'AK', secretKey: 'SK', bucket: 'b', endpoint: 'http://127.0.0.1:4568'}, fallback: 'opentok'},
      ],
      [
        'Azure without endpoint: no domain',
        {...azure, fallback: 'none'},
        {type: 'azure', config: {accountName: 'acct', accountKey: 'KEY', container: 'c'}, fallback: 'none'},
      ],
      [
        'Azure public endpoint → domain without the account',
        {...azure, domain: 'https://acct.blob.core.windows.net', fallback: 'none'},
        {type: 'azure', config: {accountName: 'acct', accountKey: 'KEY', container: 'c', domain: 'blob.core.windows.net'}, fallback: 'none'},
      ],
      [
        'Azurite on loopback → host:port',
        {...azure, domain: 'http://127.0.0.1:10000/acct', fallback: 'provider'},
        {type: 'azure', config: {accountName: 'acct', accountKey: 'KEY', container: 'c', domain: '127.0.0.1:10000'}, fallback: 'opentok'},
      ],
      [
        'a bare Azure domain unchanged',
        {...azure, domain: 'blob.core.chinacloudapi.cn', fallback: 'none'},
        {type: 'azure', config: {accountName: 'acct', accountKey: 'KEY', container: 'c', domain: 'blob.core.chinacloudapi.cn'}, fallback: 'none'},
      ],
    ];
    for (const [what, target, body] of rows) {
      it(`maps ${what}`, () => {
        expect(toOpenTokStorageBody(target)).to.eql(body);
      });
    }
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
