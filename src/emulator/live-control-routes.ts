import type {EmulatedArchive} from './emulator-state';
import {EmulatorHttpError, matchPath} from './http-utils';
import type {RestDeps, RestReply, RestRequest} from './rest-types';

/** Vonage's predefined layout types; `custom` takes a stylesheet (and only it does). */
const LAYOUT_TYPES = ['bestFit', 'pip', 'verticalPresentation', 'horizontalPresentation', 'custom'];
const RESOLUTIONS = ['640x480', '480x640', '1280x720', '720x1280', '1920x1080', '1080x1920'];
const SIGNAL_TYPE = /^[A-Za-z0-9_~-]{1,128}$/;

/** A layout as Vonage takes it on archive start and `PUT .../layout`: 400 on anything else. */
export function parseArchiveLayout(value: unknown): EmulatedArchive['layout'] {
  if (typeof value !== 'object' || value === null) throw new EmulatorHttpError(400, 'layout must be an object');
  const {type, stylesheet} = value as {type?: unknown; stylesheet?: unknown};
  if (typeof type !== 'string' || !LAYOUT_TYPES.includes(type)) throw new EmulatorHttpError(400, `layout type must be one of ${LAYOUT_TYPES.join(', ')}`);
  if (type === 'custom' && (typeof stylesheet !== 'string' || stylesheet === '')) throw new EmulatorHttpError(400, 'a custom layout needs a stylesheet');
  if (type !== 'custom' && stylesheet !== undefined) throw new EmulatorHttpError(400, 'a stylesheet is only for the custom layout type');
  return type === 'custom' ? {type, stylesheet: stylesheet as string} : {type};
}

/** The start options the emulator checks beside name and outputMode (provider-facts §A6). */
export function checkArchiveStartOptions(body: Record<string, unknown>): void {
  if (body.resolution !== undefined && (typeof body.resolution !== 'string' || !RESOLUTIONS.includes(body.resolution))) {
    throw new EmulatorHttpError(400, `resolution must be one of ${RESOLUTIONS.join(', ')}`);
  }
  for (const key of ['hasAudio', 'hasVideo']) {
    if (body[key] !== undefined && typeof body[key] !== 'boolean') throw new EmulatorHttpError(400, `${key} must be a boolean`);
  }
  if (body.hasAudio === false && body.hasVideo === false) throw new EmulatorHttpError(400, 'hasAudio and hasVideo cannot both be false');
}

/** Force mute (a session, a stream), signals, archive layout: null when the path is none of them. */
export function handleLiveControl(request: RestRequest, rest: string, deps: RestDeps): RestReply | null {
  const {method} = request;
  const body = (request.body ?? {}) as Record<string, unknown>;
  let m: Record<string, string> | null;
  if ((m = matchPath('/session/:sessionId/mute', rest)) && method === 'POST') {
    sessionOf(deps, m.sessionId);
    if (typeof body.active !== 'boolean') throw new EmulatorHttpError(400, 'active must be a boolean');
    const excluded = body.excludedStreamIds ?? [];
    if (!Array.isArray(excluded) || excluded.some(id => typeof id !== 'string'))
      throw new EmulatorHttpError(400, 'excludedStreamIds must be a list of stream ids');
    for (const connection of deps.state.connectionsOf(m.sessionId)) {
      if (connection.streamId && !excluded.includes(connection.streamId)) connection.muted = body.active;
    }
    return {status: 200, body: {applicationId: deps.applicationId, status: 'ACTIVE'}};
  }
  if ((m = matchPath('/session/:sessionId/stream/:streamId/mute', rest)) && method === 'POST') {
    sessionOf(deps, m.sessionId);
    const connection = deps.state.connectionsOf(m.sessionId).find(c => c.streamId === m!.streamId);
    if (!connection) throw new EmulatorHttpError(404, 'Stream not found');
    connection.muted = true;
    return {status: 200, body: {applicationId: deps.applicationId, status: 'ACTIVE'}};
  }
  const toSession = matchPath('/session/:sessionId/signal', rest);
  const toConnection = matchPath('/session/:sessionId/connection/:connectionId/signal', rest);
  if ((m = toSession ?? toConnection) && method === 'POST') {
    sessionOf(deps, m.sessionId);
    if (toConnection && deps.state.connections.get(toConnection.connectionId)?.sessionId !== m.sessionId) {
      throw new EmulatorHttpError(404, 'Connection not found');
    }
    if (typeof body.type !== 'string' || !SIGNAL_TYPE.test(body.type))
      throw new EmulatorHttpError(400, 'type must be 1 to 128 characters of A-Z, a-z, 0-9, -, _, ~');
    if (typeof body.data !== 'string' || Buffer.byteLength(body.data) > 8192) throw new EmulatorHttpError(413, 'data must be a string of at most 8 kB');
    deps.state.signals.push({sessionId: m.sessionId, connectionId: toConnection?.connectionId ?? null, type: body.type, data: body.data});
    return {status: 204};
  }
  if ((m = matchPath('/archive/:archiveId/layout', rest)) && method === 'PUT') {
    const archive = deps.state.archives.get(m.archiveId);
    if (!archive) throw new EmulatorHttpError(404, 'Archive not found');
    const layout = parseArchiveLayout(body);
    if (archive.status !== 'started' && archive.status !== 'paused') throw new EmulatorHttpError(409, 'The archive is not being recorded');
    if (archive.outputMode !== 'composed') throw new EmulatorHttpError(400, 'Only composed archives have a layout');
    archive.layout = layout;
    return {status: 200, body: {}};
  }
  return null;
}

function sessionOf(deps: RestDeps, sessionId: string): void {
  if (!deps.state.sessions.has(sessionId)) throw new EmulatorHttpError(404, 'Session not found');
}
