import {createHmac} from 'node:crypto';

/**
 * Signs a Zoom webhook the way Zoom does (provider-facts §B1), written from the facts and not from the
 * verifier under test: `x-zm-signature` = `v0=` + hex HMAC-SHA256(secret token, `v0:{timestamp}:{body}`).
 */
export function zoomWebhookHeaders(body: string, secretToken: string, timestampSeconds = Math.floor(Date.now() / 1000)): Record<string, string> {
  const timestamp = String(timestampSeconds);
  const signature = createHmac('sha256', secretToken).update(`v0:${timestamp}:${body}`, 'utf8').digest('hex');
  return {
    'content-type': 'application/json',
    'x-zm-request-timestamp': timestamp,
    'x-zm-signature': `v0=${signature}`,
    'x-zm-trackingid': `track-${timestamp}`,
  };
}

export const ZOOM_SESSION_ID = 'Sess/ion+Id==';
export const ZOOM_SESSION_NAME = 'link-0123456789ab';

/** A webhook body: `{event, event_ts (ms), payload: {account_id, object}}` plus top-level extras. */
export function zoomEvent(event: string, object: Record<string, unknown>, eventTs = 1700000000123, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({event, event_ts: eventTs, payload: {account_id: 'acc-1', object}, ...extra});
}

/** The object session and user events carry: the session id and the instance UUID. */
export function zoomSessionObject(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {id: ZOOM_SESSION_ID, session_id: ZOOM_SESSION_ID, session_name: ZOOM_SESSION_NAME, session_key: '', start_time: '2023-11-14T22:13:20Z', ...over};
}

export function zoomUser(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '16778240',
    name: 'Ada',
    participant_uuid: 'PART-UUID-1',
    user_key: '0b7f4a0e-5f8e-4a8e-9a52-0d3c1f1f2a10',
    join_time: '2023-11-14T22:14:00Z',
    ...over,
  };
}

/** A finished recording: an MP4, its audio and a transcript. */
export function zoomRecordingObject(over: Record<string, unknown> = {}): Record<string, unknown> {
  const file = (id: string, type: string, extension: string, size: number) => ({
    id,
    recording_start: '2023-11-14T22:13:30Z',
    recording_end: '2023-11-14T22:23:30Z',
    file_type: type,
    file_extension: extension,
    file_size: size,
    download_url: `https://zoom.example/rec/download/${id}`,
    status: 'completed',
  });
  return {
    session_id: ZOOM_SESSION_ID,
    session_name: ZOOM_SESSION_NAME,
    session_key: '',
    start_time: '2023-11-14T22:13:20Z',
    timezone: 'UTC',
    recording_files: [file('f-audio', 'M4A', 'M4A', 300), file('f-video', 'MP4', 'MP4', 1000), file('f-text', 'TRANSCRIPT', 'VTT', 20)],
    ...over,
  };
}
