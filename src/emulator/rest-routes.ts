import {EmulatorHttpError, matchPath} from './http-utils';
import {checkArchiveStartOptions, handleLiveControl, parseArchiveLayout} from './live-control-routes';
import type {RestDeps, RestReply, RestRequest} from './rest-types';
import {parseOpenTokStorageBody} from './storage-target';

export type {RestDeps, RestReply, RestRequest} from './rest-types';

/** The part of the Vonage Video REST API the service uses. Null when no route matches. */
export async function handleRest(
  request: RestRequest,
  deps: RestDeps,
  /** Receives the verified REST JWT's claims (recorded for tests). */
  onVerified: (claims: Record<string, unknown>) => void = () => {},
): Promise<RestReply | null> {
  const {method, path} = request;
  const storage = matchPath('/v2/project/:apiKey/archive/storage', path);
  if (storage && (method === 'PUT' || method === 'DELETE')) {
    deps.auth.verifyProjectJwt(header(request, 'x-opentok-auth'), storage.apiKey);
    if (method === 'DELETE') {
      deps.state.storageTarget = null;
      return {status: 204};
    }
    const target = parseOpenTokStorageBody(request.body);
    deps.state.storageTarget = target;
    // Echo without the secrets.
    return {status: 200, body: {type: target.type, fallback: target.fallback}};
  }

  const isSessionCreate = method === 'POST' && path === '/session/create';
  const project = /^\/v2\/project\/([^/]+)\//.exec(path);
  if (!isSessionCreate && !project) return null;
  onVerified(deps.auth.verifyRestJwt(header(request, 'authorization')));
  if (project && decodeURIComponent(project[1]) !== deps.applicationId) throw new EmulatorHttpError(403, 'Project id does not match the JWT');

  if (isSessionCreate) return {status: 200, body: createSession(request.body as Record<string, string> | undefined, deps)};
  return projectRoute(request, deps);
}

function createSession(form: Record<string, string> | undefined, deps: RestDeps): unknown[] {
  const archiveMode = form?.archiveMode ?? 'manual';
  // `disabled` = routed through the media router (the default), `enabled` = relayed peer to peer.
  const mediaMode = form?.['p2p.preference'] ?? 'disabled';
  const e2ee = form?.e2ee === 'true';
  if (archiveMode !== 'manual' && archiveMode !== 'always') throw new EmulatorHttpError(400, 'archiveMode must be manual or always');
  if (mediaMode !== 'disabled' && mediaMode !== 'enabled') throw new EmulatorHttpError(400, 'p2p.preference must be disabled or enabled');
  if (form?.e2ee !== undefined && form.e2ee !== 'true' && form.e2ee !== 'false') throw new EmulatorHttpError(400, 'e2ee must be true or false');
  if (archiveMode === 'always' && mediaMode !== 'disabled') throw new EmulatorHttpError(400, 'archiveMode=always needs routed media');
  if (e2ee && (archiveMode === 'always' || mediaMode !== 'disabled')) throw new EmulatorHttpError(400, 'e2ee needs routed media and no archiving');
  const session = deps.state.createSession(archiveMode, mediaMode === 'enabled' ? 'relayed' : 'routed', e2ee);
  return [{session_id: session.id, project_id: deps.applicationId, create_dt: new Date(session.createdAt).toUTCString(), media_server_url: ''}];
}

async function projectRoute(request: RestRequest, deps: RestDeps): Promise<RestReply | null> {
  const {method, path} = request;
  const prefix = `/v2/project/${encodeURIComponent(deps.applicationId)}`;
  const rest = path.startsWith(prefix) ? path.slice(prefix.length) : path.replace(/^\/v2\/project\/[^/]+/, '');
  let m: Record<string, string> | null;
  const live = handleLiveControl(request, rest, deps);
  if (live) return live;

  if ((m = matchPath('/session/:sessionId/connection', rest)) && method === 'GET') {
    if (!deps.state.sessions.has(m.sessionId)) throw new EmulatorHttpError(404, 'Session not found');
    const items = deps.state.connectionsOf(m.sessionId).map(c => ({connectionId: c.id, connectionState: 'CONNECTED', createdAt: c.createdAt}));
    return {status: 200, body: {count: items.length, items}};
  }
  if ((m = matchPath('/session/:sessionId/connection/:connectionId', rest)) && method === 'DELETE') {
    const connection = deps.state.connections.get(m.connectionId);
    if (!connection || connection.sessionId !== m.sessionId) throw new EmulatorHttpError(404, 'Connection not found');
    await deps.participants.leave(connection, 'forceDisconnected');
    return {status: 204};
  }
  if (rest === '/archive' && method === 'POST') {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (typeof body.sessionId !== 'string') throw new EmulatorHttpError(400, 'sessionId is required');
    checkArchiveStartOptions(body);
    const layout = body.layout === undefined ? undefined : parseArchiveLayout(body.layout);
    const archive = await deps.archives.start(body.sessionId, typeof body.name === 'string' ? body.name : undefined, body.outputMode, layout);
    return {status: 200, body: deps.archives.json(archive)};
  }
  if (rest === '/archive' && method === 'GET') {
    const sessionId = request.query.get('sessionId');
    const offset = Number(request.query.get('offset') ?? 0);
    const count = Number(request.query.get('count') ?? 50);
    if (!Number.isInteger(offset) || offset < 0) throw new EmulatorHttpError(400, 'offset must be a whole number ≥ 0');
    if (!Number.isInteger(count) || count < 0 || count > 1000) throw new EmulatorHttpError(400, 'count must be a whole number from 0 to 1000');
    const all = [...deps.state.archives.values()].filter(a => !sessionId || a.sessionId === sessionId).sort((a, b) => b.createdAt - a.createdAt);
    return {status: 200, body: {count: all.length, items: all.slice(offset, offset + count).map(a => deps.archives.json(a))}};
  }
  if ((m = matchPath('/archive/:archiveId', rest))) {
    const archive = deps.state.archives.get(m.archiveId);
    if (!archive) throw new EmulatorHttpError(404, 'Archive not found');
    if (method === 'GET') return {status: 200, body: deps.archives.json(archive)};
    if (method === 'DELETE') {
      deps.archives.delete(archive);
      return {status: 204};
    }
  }
  if ((m = matchPath('/archive/:archiveId/stop', rest)) && method === 'POST') {
    // Answers `stopped`; the file's own status follows by callback.
    return {status: 200, body: deps.archives.json(deps.archives.stop(m.archiveId))};
  }
  return null;
}

function header(request: RestRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
