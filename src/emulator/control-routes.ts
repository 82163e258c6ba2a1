import type {RestDeps, RestReply, RestRequest} from './rest-types';
import {EmulatorHttpError, matchPath} from './http-utils';

/**
 * `/_emulator/*`: play a meeting. A participant joins with the join token the
 * service issued; recordings start and stop. Callbacks are delivered before the reply
 * (not those Vonage sends later on its own: see SessionFlow).
 */
export async function handleControl(request: RestRequest, deps: RestDeps): Promise<RestReply | null> {
  const {method, path} = request;
  const body = (request.body ?? {}) as Record<string, unknown>;
  let m: Record<string, string> | null;

  if (path === '/_emulator/participants' && method === 'POST') {
    const claims = deps.auth.verifyClientToken(body.token);
    const sessionId = String(claims.session_id ?? '');
    if (!deps.state.sessions.has(sessionId)) throw new EmulatorHttpError(404, 'The token names an unknown session');
    const name = typeof body.name === 'string' ? body.name : '';
    const connection = await deps.participants.join(sessionId, String(claims.connection_data ?? ''), String(claims.role ?? 'publisher'), name);
    return {status: 201, body: {connectionId: connection.id, streamId: connection.streamId, sessionId}};
  }
  if ((m = matchPath('/_emulator/participants/:connectionId', path)) && method === 'DELETE') {
    const connection = deps.state.connections.get(m.connectionId);
    if (!connection) throw new EmulatorHttpError(404, 'Connection not found');
    await deps.participants.leave(connection, 'clientDisconnected');
    return {status: 204};
  }
  if ((m = matchPath('/_emulator/sessions/:sessionId/recordings', path)) && method === 'POST') {
    const archive = await deps.archives.start(m.sessionId, typeof body.name === 'string' ? body.name : undefined, body.outputMode);
    return {status: 201, body: deps.archives.json(archive)};
  }
  if ((m = matchPath('/_emulator/archives/:archiveId/stop', path)) && method === 'POST') {
    // Unlike the REST stop, waits for the finished file, so a script can fetch it next.
    const archive = deps.archives.stop(m.archiveId);
    await deps.archives.processed(archive.id);
    return {status: 200, body: deps.archives.json(archive)};
  }
  if (path === '/_emulator/callbacks/drop-next' && method === 'POST') {
    // The next `count` callbacks are lost, as a real one can be: tests prove presence reconciliation repairs it.
    const count = body.count === undefined ? 1 : Number(body.count);
    if (!Number.isInteger(count) || count < 0) throw new EmulatorHttpError(400, 'count must be a whole number ≥ 0');
    deps.callbacks.dropNext = count;
    return {status: 204};
  }
  if (path === '/_emulator/state' && method === 'GET') {
    return {
      status: 200,
      body: {
        sessions: [...deps.state.sessions.values()],
        connections: [...deps.state.connections.values()],
        archives: [...deps.state.archives.values()].map(a => ({...deps.archives.json(a), layout: a.layout})),
        signals: deps.state.signals,
        // Kind and fallback only: the target's config holds its keys.
        storageTarget: deps.state.storageTarget ? {type: deps.state.storageTarget.type, fallback: deps.state.storageTarget.fallback} : null,
      },
    };
  }
  return null;
}
