import type {CallbackSender} from './callback-sender';
import type {EmulatedConnection, EmulatorState} from './emulator-state';
import type {SessionFlow} from './session-flow';

/** Joins and leaves, with the session-monitoring callbacks Vonage sends (provider-facts §A8). */
export class ParticipantFlow {
  constructor(
    private readonly applicationId: string,
    private readonly state: EmulatorState,
    private readonly callbacks: CallbackSender,
    private readonly sessions: SessionFlow,
  ) {}

  /** `sessionCreated` for the first client, `connectionCreated`, then `streamCreated` unless the role only subscribes. */
  async join(sessionId: string, data: string, role: string, streamName = ''): Promise<EmulatedConnection> {
    const connection = this.state.connect(sessionId, data, role, streamName);
    await this.sessions.opening(sessionId);
    await this.callbacks.send(sessionId, {...this.base(sessionId, 'connectionCreated'), connection: this.connectionJson(connection)});
    if (connection.streamId) {
      await this.callbacks.send(sessionId, {...this.base(sessionId, 'streamCreated'), stream: this.streamJson(connection)});
      await this.sessions.published(connection);
    }
    return connection;
  }

  /** `streamDestroyed` (when it published), then `connectionDestroyed`, both with the reason. */
  async leave(connection: EmulatedConnection, reason: 'clientDisconnected' | 'forceDisconnected'): Promise<void> {
    this.state.connections.delete(connection.id);
    if (connection.streamId) {
      await this.callbacks.send(connection.sessionId, {...this.base(connection.sessionId, 'streamDestroyed'), reason, stream: this.streamJson(connection)});
    }
    await this.callbacks.send(connection.sessionId, {
      ...this.base(connection.sessionId, 'connectionDestroyed'),
      reason,
      connection: this.connectionJson(connection),
    });
    this.sessions.left(connection.sessionId);
  }

  private base(sessionId: string, event: string) {
    return {sessionId, projectId: this.applicationId, event, timestamp: Date.now()};
  }

  private connectionJson(connection: EmulatedConnection) {
    return {id: connection.id, createdAt: connection.createdAt, data: connection.data};
  }

  private streamJson(connection: EmulatedConnection) {
    return {
      id: connection.streamId,
      connection: this.connectionJson(connection),
      createdAt: connection.createdAt,
      name: connection.streamName,
      videoType: 'camera',
    };
  }
}
