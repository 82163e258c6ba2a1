import {randomBytes, randomUUID} from 'node:crypto';
import type {ArchiveMedia, RecordedStream} from './media';
import type {OpenTokStorageTarget} from './storage-target';

export interface EmulatedSession {
  id: string;
  archiveMode: 'manual' | 'always';
  /** Relayed sessions send media peer to peer: nothing passes a media router that could record it. */
  mediaMode: 'routed' | 'relayed';
  e2ee: boolean;
  /** Between `sessionCreated` (first client) and `sessionDestroyed` (some time after the last left). */
  live: boolean;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

export interface EmulatedConnection {
  id: string;
  sessionId: string;
  /** The client token's `connection_data`, echoed in callbacks. */
  data: string;
  role: string;
  createdAt: number;
  /** Null for subscribers: they publish nothing. */
  streamId: string | null;
  /** Name the client gave its published stream. */
  streamName: string;
  /** Its audio was force-muted (Vonage mutes streams: subscribers have none). */
  muted: boolean;
}

/** A signal as Vonage relays it to clients (kept for tests: there are no real clients). */
export interface EmulatedSignal {
  sessionId: string;
  /** Null: to every connection of the session. */
  connectionId: string | null;
  type: string;
  data: string;
}

export type EmulatedArchiveStatus = 'started' | 'paused' | 'stopped' | 'uploaded' | 'available' | 'expired' | 'failed';

export interface EmulatedArchive {
  id: string;
  sessionId: string;
  name: string;
  status: EmulatedArchiveStatus;
  outputMode: 'composed' | 'individual';
  /** Milliseconds since the epoch, like Vonage. */
  createdAt: number;
  updatedAt: number;
  /** Seconds. */
  duration: number;
  /** Bytes. */
  size: number;
  reason: string;
  /** Streams published when recording started (the individual-mode manifest lists them). */
  streams: RecordedStream[];
  /** Kept when no storage target took the upload; served at /_emulator/media. */
  media: ArchiveMedia | null;
  /** Composed layout, as started or last changed. */
  layout: {type: string; stylesheet?: string};
}

/** The emulator's world: sessions, live connections, archives and the storage target. */
export class EmulatorState {
  readonly sessions = new Map<string, EmulatedSession>();
  readonly connections = new Map<string, EmulatedConnection>();
  readonly archives = new Map<string, EmulatedArchive>();
  readonly signals: EmulatedSignal[] = [];
  /** The target last PUT (secrets included: never returned by /_emulator/state). */
  storageTarget: OpenTokStorageTarget | null = null;

  constructor(private readonly applicationId: string) {}

  createSession(archiveMode: 'manual' | 'always', mediaMode: 'routed' | 'relayed', e2ee: boolean): EmulatedSession {
    // Shaped like Vonage's ids: a version prefix, then opaque base64url.
    const id = `2_MX4${Buffer.from(this.applicationId).toString('base64url').slice(0, 12)}${randomBytes(18).toString('base64url')}`;
    const session: EmulatedSession = {id, archiveMode, mediaMode, e2ee, live: false, createdAt: Date.now()};
    this.sessions.set(id, session);
    return session;
  }

  connect(sessionId: string, data: string, role: string, streamName: string): EmulatedConnection {
    const connection: EmulatedConnection = {
      id: randomUUID(),
      sessionId,
      data,
      role,
      createdAt: Date.now(),
      streamId: role === 'subscriber' ? null : randomUUID(),
      streamName,
      muted: false,
    };
    this.connections.set(connection.id, connection);
    return connection;
  }

  connectionsOf(sessionId: string): EmulatedConnection[] {
    return [...this.connections.values()].filter(c => c.sessionId === sessionId);
  }

  recordingArchiveOf(sessionId: string): EmulatedArchive | undefined {
    return [...this.archives.values()].find(a => a.sessionId === sessionId && (a.status === 'started' || a.status === 'paused'));
  }

  startArchive(sessionId: string, name: string, outputMode: 'composed' | 'individual', layout: EmulatedArchive['layout'] = {type: 'bestFit'}): EmulatedArchive {
    const now = Date.now();
    const streams = this.connectionsOf(sessionId).flatMap(c => (c.streamId ? [{streamId: c.streamId, connectionData: c.data}] : []));
    const archive: EmulatedArchive = {
      id: randomUUID(),
      sessionId,
      name,
      status: 'started',
      outputMode,
      createdAt: now,
      updatedAt: now,
      duration: 0,
      size: 0,
      reason: '',
      streams,
      media: null,
      layout,
    };
    this.archives.set(archive.id, archive);
    return archive;
  }

  reset(): void {
    this.sessions.clear();
    this.connections.clear();
    this.archives.clear();
    this.signals.length = 0;
    this.storageTarget = null;
  }
}
