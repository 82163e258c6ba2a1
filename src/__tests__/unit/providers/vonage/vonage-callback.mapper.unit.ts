import {expect} from '@loopback/testlab';
import {CallbackPayloadError, mapVonageCallback} from '../../../../providers/video/vonage/vonage-callback.mapper';
import {archiveCallback, connectionCreated, connectionDestroyed, streamEvent} from '../../../helpers/webhook.helper';

const map = (payload: unknown) => mapVonageCallback(Buffer.from(JSON.stringify(payload)));

describe('mapVonageCallback (unit)', () => {
  it('maps connection events with the event time and connection data', () => {
    const {event} = map(connectionCreated('s1', 'c1', 'vcs1:{"a":"u1"}', 1_764_000_000_000));
    expect(event).to.eql({
      type: 'connection.created',
      sessionId: 's1',
      connectionId: 'c1',
      connectionData: 'vcs1:{"a":"u1"}',
      occurredAt: new Date(1_764_000_000_000),
    });
    const destroyed = map(connectionDestroyed('s1', 'c1', 'd', 1_764_000_001_000, 'networkDisconnected')).event;
    expect(destroyed).to.containEql({type: 'connection.destroyed', reason: 'networkDisconnected'});
  });

  it('reads the connection of stream events from stream.connection', () => {
    const created = map(streamEvent('streamCreated', 's1', 'st1', {id: 'c1', data: 'x', createdAt: 5}, 10)).event;
    expect(created).to.containEql({type: 'stream.created', streamId: 'st1', connectionId: 'c1', connectionData: 'x', connectedAt: new Date(5)});
    const destroyed = map(streamEvent('streamDestroyed', 's1', 'st1', {id: 'c1', data: 'x', createdAt: 5}, 20, 'mediaStopped')).event;
    expect(destroyed).to.containEql({type: 'stream.destroyed', reason: 'mediaStopped'});
  });

  it('maps archive callbacks, including status and sizes', () => {
    const {event} = map(archiveCallback('s1', 'a1', 'uploaded', {size: 1234, duration: 61, outputMode: 'individual'}));
    expect(event.type).to.equal('archive.status');
    if (event.type !== 'archive.status') return;
    expect(event.archive).to.containEql({id: 'a1', status: 'uploaded', sizeBytes: 1234, durationSeconds: 61, outputMode: 'individual'});
  });

  const unsupported: Array<[string, object]> = [
    ['an unknown event name', {sessionId: 's1', event: 'captionsStarted'}],
    ['a connection event without a connection', {sessionId: 's1', event: 'connectionCreated'}],
    ['a stream event without stream.connection', {sessionId: 's1', event: 'streamCreated', stream: {id: 'x'}}],
    ['an archive with an unknown status', archiveCallback('s1', 'a1', 'teleported')],
    ['a payload without sessionId', {event: 'connectionCreated'}],
  ];
  for (const [what, payload] of unsupported) {
    it(`treats ${what} as unsupported`, () => {
      expect(map(payload).event.type).to.equal('unsupported');
    });
  }

  it('gives every delivery of one occurrence the same dedupe key, and other occurrences other keys', () => {
    const a = map(connectionCreated('s1', 'c1', 'x', 1)).dedupeKey;
    expect(map(connectionCreated('s1', 'c1', 'x', 1)).dedupeKey).to.equal(a);
    expect(map(connectionCreated('s1', 'c2', 'x', 1)).dedupeKey).to.not.equal(a);
    expect(map(connectionDestroyed('s1', 'c1', 'x', 1)).dedupeKey).to.not.equal(a);
    expect(map(archiveCallback('s1', 'a1', 'started')).dedupeKey).to.not.equal(map(archiveCallback('s1', 'a1', 'stopped')).dedupeKey);
  });

  it('rejects bodies that are not JSON objects', () => {
    expect(() => mapVonageCallback(Buffer.from('not json'))).to.throw(CallbackPayloadError);
    expect(() => mapVonageCallback(Buffer.from('[1,2]'))).to.throw(CallbackPayloadError);
  });
});
