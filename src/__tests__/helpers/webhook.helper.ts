import {createHash, createHmac, randomUUID} from 'node:crypto';

/**
 * Signs a callback the way Vonage does (provider-facts §A9), written without
 * jsonwebtoken so it stays independent of the verifier under test.
 */
export function signVonageCallback(
  body: string,
  secret: string,
  claims: {iat?: number; jti?: string; applicationId?: string; payloadHash?: string} = {},
): string {
  const header = {alg: 'HS256', typ: 'JWT'};
  const payload = {
    iat: claims.iat ?? Math.floor(Date.now() / 1000),
    jti: claims.jti ?? randomUUID(),
    iss: 'Vonage',
    payload_hash: claims.payloadHash ?? createHash('sha256').update(body).digest('hex'),
    application_id: claims.applicationId,
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

export function connectionCreated(sessionId: string, connectionId: string, data: string, timestamp: number): object {
  return {sessionId, projectId: 'p', event: 'connectionCreated', timestamp, connection: {id: connectionId, createdAt: timestamp, data}};
}

export function connectionDestroyed(sessionId: string, connectionId: string, data: string, timestamp: number, reason = 'clientDisconnected'): object {
  return {sessionId, projectId: 'p', event: 'connectionDestroyed', reason, timestamp, connection: {id: connectionId, createdAt: timestamp - 1000, data}};
}

export function streamEvent(
  event: 'streamCreated' | 'streamDestroyed',
  sessionId: string,
  streamId: string,
  connection: {id: string; data: string; createdAt: number},
  timestamp: number,
  reason?: string,
): object {
  return {
    sessionId,
    projectId: 'p',
    event,
    timestamp,
    ...(reason ? {reason} : {}),
    stream: {id: streamId, connection, createdAt: timestamp, name: '', videoType: 'camera'},
  };
}

export function archiveCallback(sessionId: string, archiveId: string, status: string, extra: Record<string, unknown> = {}): object {
  return {
    id: archiveId,
    event: 'archive',
    createdAt: 1764000000000,
    duration: 0,
    name: 'rec',
    partnerId: 'p',
    reason: '',
    resolution: '640x480',
    sessionId,
    size: 0,
    status,
    url: null,
    outputMode: 'composed',
    ...extra,
  };
}
