import {randomBytes, randomUUID} from 'node:crypto';

export interface EmulatedSession {
  id: string;
  archiveMode: 'manual' | 'always';
  e2ee: boolean;
  createdAt: number;
}

export interface EmulatedConnection {
  id: string;
  sessionId: string;
  data: string;
  role: string;
  createdAt: number;
  streamId: string | null;
}

export interface EmulatedArchive {
  id: string;
  sessionId: string;
  name: string;
  status: 'started' | 'paused' | 'stopped' | 'uploaded' | 'available' | 'expired' | 'failed';
  outputMode: 'composed' | 'individual';
  createdAt: number;
  updatedAt: number;
  duration: number;
  size: number;
  reason: string;
  /** Kept when no storage target took the upload; served at /_emulator/media. */
  media: Buffer | null;
}

/** The emulator's world: sessions, live connections, archives and the storage target. */
export class EmulatorState {
  sessions = new Map<string, EmulatedSession>();
  connections = new Map<string, EmulatedConnection>();
  archives = new Map<string, EmulatedArchive>();
  /** The OpenTok storage body last PUT (secrets included: never returned by /_emulator/state). */
  storageTarget: Record<string, unknown> | null = null;

  constructor(private readonly applicationId: string) {}

  createSession(archiveMode: 'manual' | 'always', e2ee: boolean): EmulatedSession {
    // Shaped like Vonage's ids: a version prefix and opaque base64url.
    const id = `2_MX4${Buffer.from(this.applicationId).toString('base64url').slice(0, 12)}${randomBytes(18).toString('base64url')}`;
    const session = {id, archiveMode, e2ee, createdAt: Date.now()};
    this.sessions.set(id, session);
    return session;
  }

  connect(sessionId: string, data: string, role: string): EmulatedConnection {
    const connection: EmulatedConnection = {
      id: randomUUID(),
      sessionId,
      data,
      role,
      createdAt: Date.now(),
      streamId: role === 'subscriber' ? null : randomUUID(),
    };
    this.connections.set(connection.id, connection);
    return connection;
  }

  connectionsOf(sessionId: string): EmulatedConnection[] {
    return [...this.connections.values()].filter(c => c.sessionId === sessionId);
  }

  startArchive(sessionId: string, name: string, outputMode: 'composed' | 'individual'): EmulatedArchive {
    const now = Date.now();
    const archive: EmulatedArchive = {id: randomUUID(), sessionId, name, status: 'started', outputMode, createdAt: now, updatedAt: now, duration: 0, size: 0, reason: '', media: null};
    this.archives.set(archive.id, archive);
    return archive;
  }

  reset(): void {
    this.sessions.clear();
    this.connections.clear();
    this.archives.clear();
    this.storageTarget = null;
  }
}
