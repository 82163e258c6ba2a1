import {expect} from '@loopback/testlab';
import {mapZoomWebhook, parseZoomEnvelope, ZoomPayloadError} from '../../../../providers/video/zoom/zoom-webhook.mapper';
import type {ReceivedVideoEvent} from '../../../../providers/video/video-event';
import {ZOOM_SESSION_ID, ZOOM_SESSION_NAME, zoomEvent, zoomRecordingObject, zoomSessionObject, zoomUser} from '../../../helpers/zoom-webhook.helper';

function map(body: string): ReceivedVideoEvent {
  const raw = Buffer.from(body, 'utf8');
  return mapZoomWebhook(parseZoomEnvelope(raw), raw);
}

describe('Zoom webhook mapper (unit)', () => {
  it('maps session.started and session.ended to the session id Zoom issued (object.id)', () => {
    const started = map(zoomEvent('session.started', zoomSessionObject({session_id: 'instance-uuid'})));
    expect(started.event).to.eql({type: 'session.started', sessionId: ZOOM_SESSION_ID, occurredAt: new Date('2023-11-14T22:13:20Z')});
    expect(started.recordedType).to.equal('session.started');
    const ended = map(zoomEvent('session.ended', zoomSessionObject({end_time: '2023-11-14T23:00:00Z'})));
    expect(ended.event).to.eql({type: 'session.ended', sessionId: ZOOM_SESSION_ID, reason: null, occurredAt: new Date('2023-11-14T23:00:00Z')});
  });

  it('maps user_joined and user_left to participants named by participant_uuid, with the join key', () => {
    const joined = map(zoomEvent('session.user_joined', zoomSessionObject({user: zoomUser()})));
    expect(joined.event).to.eql({
      type: 'participant.joined',
      sessionId: ZOOM_SESSION_ID,
      participantId: 'PART-UUID-1',
      attendee: {joinKey: '0b7f4a0e-5f8e-4a8e-9a52-0d3c1f1f2a10'},
      occurredAt: new Date('2023-11-14T22:14:00Z'),
    });
    const left = map(
      zoomEvent('session.user_left', zoomSessionObject({user: zoomUser({join_time: undefined, leave_time: '2023-11-14T22:20:00Z', leave_reason: 'left'})})),
    );
    expect(left.event).to.eql({
      type: 'participant.left',
      sessionId: ZOOM_SESSION_ID,
      participantId: 'PART-UUID-1',
      attendee: {joinKey: '0b7f4a0e-5f8e-4a8e-9a52-0d3c1f1f2a10'},
      reason: 'left',
      occurredAt: new Date('2023-11-14T22:20:00Z'),
    });
  });

  it('names no attendee when the user has no user_key, and falls back to event_ts for the time', () => {
    const joined = map(zoomEvent('session.user_joined', zoomSessionObject({user: zoomUser({user_key: undefined, join_time: undefined})})));
    expect(joined.event).to.containDeep({type: 'participant.joined', attendee: null});
    expect((joined.event as {occurredAt: Date}).occurredAt).to.eql(new Date(1700000000123));
  });

  it('maps recording events to archive statuses of one archive, the session instance', () => {
    const statuses: Array<[string, string]> = [
      ['session.recording_started', 'started'],
      ['session.recording_paused', 'paused'],
      ['session.recording_resumed', 'started'],
      ['session.recording_stopped', 'stopped'],
      ['session.recording_trashed', 'deleted'],
      ['session.recording_deleted', 'deleted'],
    ];
    for (const [event, status] of statuses) {
      const object = {
        session_id: ZOOM_SESSION_ID,
        session_name: ZOOM_SESSION_NAME,
        start_time: '2023-11-14T22:13:20Z',
        recording_file: {recording_start: '2023-11-14T22:13:30Z'},
      };
      const mapped = map(zoomEvent(event, object));
      expect(mapped.event).to.containDeep({
        type: 'archive.status',
        sessionId: ZOOM_SESSION_ID,
        sessionName: ZOOM_SESSION_NAME,
        archive: {id: ZOOM_SESSION_ID, status, url: null},
      });
      expect(mapped.recordedType).to.equal(event);
      expect((mapped.event as {archive: {createdAt: Date}}).archive.createdAt).to.eql(new Date('2023-11-14T22:13:30Z'));
    }
  });

  it('maps recording_completed to an available archive: the first MP4 gives url and size, every file listed with the download token', () => {
    const mapped = map(zoomEvent('session.recording_completed', zoomRecordingObject(), 1700000900000, {download_token: 'tok-24h'}));
    expect(mapped.event).to.containDeep({type: 'archive.status', sessionId: ZOOM_SESSION_ID});
    const archive = (mapped.event as {archive: Record<string, unknown>}).archive;
    expect(archive).to.containDeep({
      id: ZOOM_SESSION_ID,
      status: 'available',
      sizeBytes: 1000,
      durationSeconds: 600,
      url: 'https://zoom.example/rec/download/f-video?access_token=tok-24h',
      objectKey: null,
      createdAt: new Date('2023-11-14T22:13:30Z'),
    });
    expect(archive.files).to.eql([
      {id: 'f-audio', type: 'M4A', extension: 'M4A', sizeBytes: 300, url: 'https://zoom.example/rec/download/f-audio?access_token=tok-24h'},
      {id: 'f-video', type: 'MP4', extension: 'MP4', sizeBytes: 1000, url: 'https://zoom.example/rec/download/f-video?access_token=tok-24h'},
      {id: 'f-text', type: 'TRANSCRIPT', extension: 'VTT', sizeBytes: 20, url: 'https://zoom.example/rec/download/f-text?access_token=tok-24h'},
    ]);
  });

  it('reports a recording written to our bucket as uploaded, with the object key from external_storage_url', () => {
    const recording = zoomRecordingObject();
    (recording.recording_files as Array<Record<string, unknown>>)[1].external_storage_url =
      'https://my-bucket.s3.eu-west-1.amazonaws.com/videosdk/a%20b/f-video.mp4';
    const mapped = map(zoomEvent('session.recording_completed', recording, 1700000900000, {download_token: 't'}));
    expect(mapped.event).to.containDeep({archive: {status: 'uploaded', objectKey: 'videosdk/a b/f-video.mp4', url: null}});
  });

  it('treats transcript events as ignored and unknown events as unsupported', () => {
    expect(map(zoomEvent('session.recording_transcript_completed', {session_id: ZOOM_SESSION_ID})).event).to.eql({
      type: 'ignored',
      sessionId: ZOOM_SESSION_ID,
      providerEvent: 'session.recording_transcript_completed',
    });
    expect(map(zoomEvent('session.sharing_started', zoomSessionObject())).event).to.eql({
      type: 'unsupported',
      sessionId: ZOOM_SESSION_ID,
      providerEvent: 'session.sharing_started',
    });
    expect(map(zoomEvent('session.started', {})).event).to.eql({type: 'unsupported', sessionId: null, providerEvent: 'session.started'});
  });

  it('treats a user event without participant_uuid as unsupported (no id to follow the participant by)', () => {
    expect(map(zoomEvent('session.user_joined', zoomSessionObject({user: zoomUser({participant_uuid: undefined})}))).event).to.containDeep({
      type: 'unsupported',
    });
  });

  it('refuses a body that is not a JSON object', () => {
    expect(() => parseZoomEnvelope(Buffer.from('not json'))).to.throw(ZoomPayloadError);
    expect(() => parseZoomEnvelope(Buffer.from('[1]'))).to.throw(ZoomPayloadError);
  });

  describe('dedupe keys', () => {
    const joined = (over: Record<string, unknown> = {}, eventTs = 1700000000123) =>
      map(zoomEvent('session.user_joined', zoomSessionObject({user: zoomUser(over)}), eventTs)).dedupeKey;

    it('are the same for every delivery of one occurrence, prefixed zoom:', () => {
      expect(joined()).to.equal(joined());
      expect(joined()).to.match(/^zoom:[0-9a-f]{64}$/);
    });

    it('differ across participants, times, events and session instances', () => {
      const keys = new Set([
        joined(),
        joined({participant_uuid: 'PART-UUID-2'}),
        joined({}, 1700000000124),
        map(zoomEvent('session.user_left', zoomSessionObject({user: zoomUser()}))).dedupeKey,
        map(zoomEvent('session.user_joined', zoomSessionObject({session_id: 'other-instance', user: zoomUser()}))).dedupeKey,
      ]);
      expect(keys.size).to.equal(5);
    });

    it('tell recording statuses of one recording apart', () => {
      const object = {session_id: ZOOM_SESSION_ID, session_name: ZOOM_SESSION_NAME};
      expect(map(zoomEvent('session.recording_started', object)).dedupeKey).not.to.equal(map(zoomEvent('session.recording_stopped', object)).dedupeKey);
    });
  });
});
