import {matchPath} from '../http-utils';
import type {RestReply, RestRequest} from '../rest-types';
import {ZOOM_CODES, ZoomApiError} from './zoom-api-error';
import type {ZoomEmulatedInstance, ZoomEmulatedSession, ZoomEmulatorState} from './zoom-emulator-state';
import type {RecordingAction, ZoomSessionFlow} from './zoom-session-flow';
import {handleStorageRoute} from './zoom-storage-routes';

export interface ZoomRestDeps {
  state: ZoomEmulatorState;
  flow: ZoomSessionFlow;
}

const RECORDING_METHODS: Readonly<Record<string, RecordingAction>> = {
  'recording.start': 'start',
  'recording.stop': 'stop',
  'recording.pause': 'pause',
  'recording.resume': 'resume',
};

/** The Video SDK REST calls the adapter makes (paths after `/v2`); null when none matches. Auth is checked before. */
export async function handleZoomRest(request: RestRequest, path: string, deps: ZoomRestDeps): Promise<RestReply | null> {
  const {method} = request;
  const body = (request.body ?? {}) as Record<string, unknown>;
  if (path === '/videosdk/sessions' && method === 'POST') return createSession(body, deps);
  if (path === '/videosdk/recordings' && method === 'GET') return listRecordings(request.query, deps);
  const storage = handleStorageRoute(method, path, body, deps.state);
  if (storage) return storage;

  const m = matchPath('/videosdk/sessions/:id/:rest', path) ?? matchPath('/videosdk/sessions/:id', path);
  if (!m) return null;
  const found = deps.state.find(sessionId(m.id));
  if (!found) {
    const recordings = m.rest === 'recordings';
    throw new ZoomApiError(
      404,
      recordings ? ZOOM_CODES.recordingNotFound : ZOOM_CODES.sessionNotFound,
      recordings ? 'This recording does not exist.' : 'Session does not exist.',
    );
  }
  const {session} = found;
  switch (`${method} ${m.rest ?? ''}`) {
    case 'GET ':
      return {status: 200, body: sessionJson(session, deps.state)};
    case 'PUT status':
      if (body.action !== 'end') throw new ZoomApiError(400, ZOOM_CODES.invalidField, 'action must be "end".');
      await deps.flow.end(session);
      return {status: 204};
    case 'GET users':
      return {status: 200, body: listUsers(found.instance, request.query)};
    case 'PATCH events': {
      const action = RECORDING_METHODS[String(body.method)];
      if (action) {
        await deps.flow.recording(session, action);
        return {status: 202};
      }
      return userEvent(session, String(body.method), body.params, deps);
    }
    case 'GET recordings':
      return {status: 200, body: getRecording(session, finishedInstance(found), request.query, deps)};
    case 'DELETE recordings':
      deleteRecording(finishedInstance(found, true), request.query);
      return {status: 204};
  }
  return null;
}

/** `user.remove` (the user leaves, with its webhook) and `audio.block|unblock`, by `params.participant_uuid` of a live user. */
async function userEvent(session: ZoomEmulatedSession, method: string, params: unknown, deps: ZoomRestDeps): Promise<RestReply> {
  if (!['user.remove', 'audio.block', 'audio.unblock'].includes(method))
    throw new ZoomApiError(400, ZOOM_CODES.invalidField, 'method is not supported by this emulator.');
  const participantUuid = (params as {participant_uuid?: unknown} | undefined)?.participant_uuid;
  if (typeof participantUuid !== 'string' || participantUuid === '')
    throw new ZoomApiError(400, ZOOM_CODES.invalidField, 'params.participant_uuid is required.');
  const instance = deps.state.liveInstance(session);
  if (!instance) throw new ZoomApiError(400, ZOOM_CODES.sessionNotLive, 'The session has not started or has already ended.');
  const user = instance.users.find(u => u.participantUuid === participantUuid && u.leaveTime === null);
  if (!user) throw new ZoomApiError(404, ZOOM_CODES.userNotFound, 'The participant is not in the session.');
  if (method === 'user.remove') await deps.flow.leave(session, participantUuid, 'the host removed the user');
  else user.audioBlocked = method === 'audio.block';
  return {status: 202};
}

/**
 * Zoom decodes a path segment once more when it then begins with `/` or holds `//`, which its docs
 * ask clients to encode twice; such an id sent encoded once is not found (its path has an empty segment).
 */
function sessionId(segment: string): string {
  if (segment.startsWith('/') || segment.includes('//')) return '';
  if (!/%2F/i.test(segment)) return segment;
  const twice = decodeURIComponent(segment);
  return twice.startsWith('/') || twice.includes('//') ? twice : segment;
}

function createSession(body: Record<string, unknown>, deps: ZoomRestDeps): RestReply {
  const name = body.session_name;
  if (typeof name !== 'string' || name === '' || name.length > 200)
    throw new ZoomApiError(400, ZOOM_CODES.invalidField, 'session_name must be 1 to 200 characters.');
  const settings = (body.settings ?? {}) as Record<string, unknown>;
  const autoRecording = settings.auto_recording ?? 'none';
  if (autoRecording !== 'cloud' && autoRecording !== 'none')
    throw new ZoomApiError(400, ZOOM_CODES.invalidField, 'settings.auto_recording must be cloud or none.');
  const session = deps.state.createSession(name, autoRecording);
  return {status: 201, body: {...sessionJson(session, deps.state), session_number: 1000 + deps.state.sessions.size, session_password: '', passcode: ''}};
}

function sessionJson(session: ZoomEmulatedSession, state: ZoomEmulatorState): Record<string, unknown> {
  return {
    session_id: session.id,
    id: session.id,
    session_name: session.name,
    created_at: new Date(session.createdAt).toISOString(),
    status: state.liveInstance(session) ? 'started' : 'not_started',
    settings: {auto_recording: session.autoRecording},
  };
}

/** `type=live` lists who is in the live instance (nobody when none is live); `past` who was in the last one. */
function listUsers(instance: ZoomEmulatedInstance | null, query: URLSearchParams): Record<string, unknown> {
  const type = query.get('type') ?? 'live';
  if (type !== 'live' && type !== 'past') throw new ZoomApiError(400, ZOOM_CODES.invalidField, 'type must be live or past.');
  const all = !instance ? [] : type === 'live' ? (instance.endedAt === null ? instance.users.filter(u => u.leaveTime === null) : []) : instance.users;
  const {pageSize, offset} = page(query);
  const users = all.slice(offset, offset + pageSize).map(u => ({
    id: u.userId,
    name: u.name,
    join_time: new Date(u.joinTime).toISOString(),
    ...(u.leaveTime ? {leave_time: new Date(u.leaveTime).toISOString()} : {}),
    ...(u.userKey ? {user_key: u.userKey} : {}),
    participant_uuid: u.participantUuid,
  }));
  return {page_size: pageSize, next_page_token: offset + pageSize < all.length ? String(offset + pageSize) : '', users};
}

/** By session id: its latest instance that has a recording; by instance UUID: that instance. */
function finishedInstance(found: {session: ZoomEmulatedSession; instance: ZoomEmulatedInstance | null}, includeUnfinished = false): ZoomEmulatedInstance {
  const byUuid = found.instance && found.instance.uuid !== found.session.id ? found.instance : null;
  const candidates = byUuid ? [byUuid] : [...found.session.instances].reverse();
  const instance = candidates.find(i => i.recording && i.recording.state !== 'deleted' && (includeUnfinished || i.recording.state === 'completed'));
  if (!instance) throw new ZoomApiError(404, ZOOM_CODES.recordingNotFound, 'This recording does not exist.');
  return instance;
}

function getRecording(session: ZoomEmulatedSession, instance: ZoomEmulatedInstance, query: URLSearchParams, deps: ZoomRestDeps): Record<string, unknown> {
  const json = deps.flow.recordingJson(session, instance);
  if ((query.get('include_fields') ?? '').split(',').includes('download_access_token')) {
    const ttl = Number(query.get('ttl') ?? 604800);
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > 604800) throw new ZoomApiError(400, ZOOM_CODES.invalidField, 'ttl must be 1 to 604800 seconds.');
    json.download_access_token = deps.state.issueDownloadToken(instance.uuid, ttl);
  }
  return json;
}

function deleteRecording(instance: ZoomEmulatedInstance, query: URLSearchParams): void {
  const action = query.get('action') ?? 'trash';
  if (action !== 'trash' && action !== 'delete') throw new ZoomApiError(400, ZOOM_CODES.invalidField, 'action must be trash or delete.');
  if (instance.recording!.state !== 'completed') throw new ZoomApiError(400, ZOOM_CODES.recordingInProgress, 'The recording is still in progress.');
  instance.recording!.state = 'deleted';
}

/** `from` and `to` (dates, required) bound the recordings' start; paged by `next_page_token`. */
function listRecordings(query: URLSearchParams, deps: ZoomRestDeps): RestReply {
  const from = query.get('from');
  const to = query.get('to');
  const date = /^\d{4}-\d{2}-\d{2}$/;
  if (!from || !to || !date.test(from) || !date.test(to)) throw new ZoomApiError(400, ZOOM_CODES.invalidField, 'from and to are required dates (yyyy-mm-dd).');
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`) + 24 * 3600 * 1000;
  const all = [...deps.state.sessions.values()].flatMap(session =>
    session.instances
      .filter(i => i.recording?.state === 'completed' && i.recording.startedAt >= start && i.recording.startedAt < end)
      .map(i => ({session, instance: i})),
  );
  const {pageSize, offset} = page(query);
  const sessions = all.slice(offset, offset + pageSize).map(({session, instance}) => deps.flow.recordingJson(session, instance));
  const next = offset + pageSize < all.length ? String(offset + pageSize) : '';
  return {status: 200, body: {from, to, page_size: pageSize, total_records: all.length, next_page_token: next, sessions}};
}

function page(query: URLSearchParams): {pageSize: number; offset: number} {
  const pageSize = Number(query.get('page_size') ?? 30);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 300) throw new ZoomApiError(400, ZOOM_CODES.invalidField, 'page_size must be 1 to 300.');
  const token = query.get('next_page_token');
  const offset = token ? Number(token) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw new ZoomApiError(400, ZOOM_CODES.invalidField, 'next_page_token is invalid.');
  return {pageSize, offset};
}
