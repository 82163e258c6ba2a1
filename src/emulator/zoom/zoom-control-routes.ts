import {EmulatorHttpError, matchPath} from '../http-utils';
import type {RestReply, RestRequest} from '../rest-types';
import type {ZoomEmulatorAuth} from './zoom-emulator-auth';
import type {ZoomEmulatedSession, ZoomEmulatorState} from './zoom-emulator-state';
import type {RecordingAction, ZoomSessionFlow} from './zoom-session-flow';
import type {ZoomWebhookSender} from './zoom-webhook-sender';

export interface ZoomControlDeps {
  state: ZoomEmulatorState;
  flow: ZoomSessionFlow;
  auth: ZoomEmulatorAuth;
  webhooks: ZoomWebhookSender;
}

/**
 * `/_emulator/*`: play clients and look inside. A client joins with the token the service issued, as
 * `client.join(tpc, token, userName)` would; webhooks are delivered before the reply.
 */
export async function handleZoomControl(request: RestRequest, deps: ZoomControlDeps): Promise<RestReply | null> {
  const {method, path} = request;
  const body = (request.body ?? {}) as Record<string, unknown>;
  let m: Record<string, string> | null;

  if (path === '/_emulator/sessions/join' && method === 'POST') {
    const claims = deps.auth.verifyJoinToken(body.token);
    // The client names the session it joins; the token's `tpc` must match it (case-insensitively, as Zoom compares).
    if (body.sessionName !== undefined && (typeof body.sessionName !== 'string' || body.sessionName.toLowerCase() !== claims.tpc.toLowerCase())) {
      throw new EmulatorHttpError(401, "The token's tpc does not match the session name joined");
    }
    const session = deps.state.findByName(claims.tpc);
    if (!session) throw new EmulatorHttpError(404, 'No session has that name (tpc)');
    const {user, instance} = await deps.flow.join(session, claims, typeof body.name === 'string' && body.name ? body.name : 'Emulated user');
    return {
      status: 201,
      body: {
        participantUuid: user.participantUuid,
        userId: user.userId,
        userKey: user.userKey,
        sessionId: session.id,
        instanceUuid: instance.uuid,
        sessionName: session.name,
      },
    };
  }
  if (path === '/_emulator/sessions/leave' && method === 'POST') {
    const participantUuid = String(body.participantUuid ?? '');
    const session = [...deps.state.sessions.values()].find(s =>
      deps.state.liveInstance(s)?.users.some(u => u.participantUuid === participantUuid && u.leaveTime === null),
    );
    if (!session) throw new EmulatorHttpError(404, 'No such participant in a live session');
    await deps.flow.leave(session, participantUuid);
    return {status: 204};
  }
  if ((m = matchPath('/_emulator/sessions/:sessionId/recording', path)) && method === 'POST') {
    const action = body.action;
    if (action !== 'start' && action !== 'stop' && action !== 'pause' && action !== 'resume')
      throw new EmulatorHttpError(400, 'action must be start, stop, pause or resume');
    await deps.flow.recording(sessionOf(deps.state, m.sessionId), action as RecordingAction);
    return {status: 204};
  }
  if ((m = matchPath('/_emulator/sessions/:sessionId/end', path)) && method === 'POST') {
    await deps.flow.end(sessionOf(deps.state, m.sessionId));
    return {status: 204};
  }
  if (path === '/_emulator/webhooks/drop-next' && method === 'POST') {
    const count = body.count === undefined ? 1 : Number(body.count);
    if (!Number.isInteger(count) || count < 0) throw new EmulatorHttpError(400, 'count must be a whole number ≥ 0');
    deps.webhooks.dropNext = count;
    return {status: 204};
  }
  if (path === '/_emulator/webhooks/redeliver-last' && method === 'POST') {
    const sent = await deps.webhooks.redeliverLast();
    if (!sent) throw new EmulatorHttpError(404, 'No webhook was sent yet');
    return {status: 200, body: {event: sent.event, status: sent.status, trackingId: sent.trackingId}};
  }
  if (path === '/_emulator/webhooks' && method === 'GET') {
    return {
      status: 200,
      body: deps.webhooks.sent.map(s => ({event: s.event, status: s.status, trackingId: s.trackingId, body: JSON.parse(s.body) as unknown})),
    };
  }
  if (path === '/_emulator/state' && method === 'GET') return {status: 200, body: stateJson(deps.state)};
  return null;
}

function sessionOf(state: ZoomEmulatorState, id: string): ZoomEmulatedSession {
  const found = state.find(id);
  if (!found) throw new EmulatorHttpError(404, 'Session not found');
  return found.session;
}

/** Everything but secrets: storage locations show their bucket and region only. */
function stateJson(state: ZoomEmulatorState): Record<string, unknown> {
  return {
    sessions: [...state.sessions.values()].map(s => ({
      id: s.id,
      name: s.name,
      autoRecording: s.autoRecording,
      live: state.liveInstance(s) !== null,
      instances: s.instances.map(i => ({
        uuid: i.uuid,
        startedAt: i.startedAt,
        endedAt: i.endedAt,
        users: i.users.map(u => ({
          participantUuid: u.participantUuid,
          userKey: u.userKey,
          roleType: u.roleType,
          left: u.leaveTime !== null,
          audioBlocked: u.audioBlocked === true,
        })),
        recording: i.recording
          ? {state: i.recording.state, files: i.recording.files.map(f => ({id: f.id, type: f.fileType, externalStorageUrl: f.externalStorageUrl}))}
          : null,
      })),
    })),
    storage: {
      bringOurOwnStorage: state.storage.bringOurOwnStorage,
      storageLocationId: state.storage.storageLocationId,
      locations: [...state.storageLocations.values()].map(l => ({id: l.id, name: l.name, bucket: l.s3.bucket, region: l.s3.region})),
    },
  };
}
