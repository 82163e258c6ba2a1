import type {CallbackSender} from './callback-sender';
import type {EmulatedConnection, EmulatorState} from './emulator-state';

/** Joins and leaves, with the session-monitoring callbacks Vonage sends (provider-facts §A8). */
export class ParticipantFlow {
  constructor(
    private readonly applicationId: string,
    private readonly state: EmulatorState,
    private readonly callbacks: CallbackSender,
  ) {}

  async join(sessionId: string, data: string, role: string): Promise<EmulatedConnection> {
    const connection = this.state.connect(sessionId, data, role);
    await this.callbacks.send({...this.base(sessionId, 'connectionCreated'), connection: this.connectionJson(connection)});
    if (connection.streamId) {
      await this.callbacks.send({...this.base(sessionId, 'streamCreated'), stream: this.streamJson(connection)});
    }
    return connection;
  }

  async leave(connection: EmulatedConnection, reason: 'clientDisconnected' | 'forceDisconnected'): Promise<void> {
    this.state.connections.delete(connection.id);
    if (connection.streamId) {
      await this.callbacks.send({...this.base(connection.sessionId, 'streamDestroyed'), reason, stream: this.streamJson(connection)});
    }
    await this.callbacks.send({...this.base(connection.sessionId, 'connectionDestroyed'), reason, connection: this.connectionJson(connection)});
  }

  private base(sessionId: string, event: string) {
    return {sessionId, projectId: this.applicationId, event, timestamp: Date.now()};
  }

  private connectionJson(connection: EmulatedConnection) {
    return {id: connection.id, createdAt: connection.createdAt, data: connection.data};
  }

  private streamJson(connection: EmulatedConnection) {
    return {id: connection.streamId, connection: this.connectionJson(connection), createdAt: connection.createdAt, name: '', videoType: 'camera'};
  }
}
