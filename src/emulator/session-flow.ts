import type {ArchiveFlow} from './archive-flow';
import type {Background, EmulatorTiming} from './background';
import type {CallbackSender} from './callback-sender';
import type {EmulatedConnection, EmulatorState} from './emulator-state';
import {EmulatorHttpError} from './http-utils';

export interface SessionFlowOptions {
  applicationId: string;
  state: EmulatorState;
  callbacks: CallbackSender;
  archives: ArchiveFlow;
  background: Background;
  timing: EmulatorTiming;
}

/**
 * What Vonage does to a session on its own as clients come and go: `sessionCreated` with the
 * first client, automatic archiving with the first publisher, and once the last client has
 * left, recordings stopped and `sessionDestroyed` (provider-facts §A6, §A8).
 */
export class SessionFlow {
  constructor(private readonly o: SessionFlowOptions) {}

  /** Before the first connection's own callbacks; a client coming back keeps the session alive. */
  async opening(sessionId: string): Promise<void> {
    this.o.background.cancel(sessionId);
    const session = this.o.state.sessions.get(sessionId);
    if (!session || session.live) return;
    session.live = true;
    await this.o.callbacks.send(sessionId, this.event(sessionId, 'sessionCreated'));
  }

  /** After a stream is published: an `archiveMode=always` session starts recording unless it already does. */
  async published(connection: EmulatedConnection): Promise<void> {
    const session = this.o.state.sessions.get(connection.sessionId);
    if (session?.archiveMode !== 'always' || this.o.state.recordingArchiveOf(session.id)) return;
    try {
      await this.o.archives.start(session.id, undefined, undefined);
    } catch (error) {
      // Another publisher's join started it first.
      if (!(error instanceof EmulatorHttpError && error.status === 409)) throw error;
    }
  }

  /** After a connection's callbacks: with nobody left, the timers that end the session start. */
  left(sessionId: string): void {
    if (this.o.state.connectionsOf(sessionId).length > 0) return;
    if (this.o.state.recordingArchiveOf(sessionId))
      this.o.background.after(sessionId, this.o.timing.archiveIdleStopMs, async () => this.stopRecording(sessionId));
    this.o.background.after(sessionId, this.o.timing.sessionDestroyMs, () => this.destroy(sessionId));
  }

  private async destroy(sessionId: string): Promise<void> {
    const session = this.o.state.sessions.get(sessionId);
    if (!session?.live || this.o.state.connectionsOf(sessionId).length > 0) return;
    // A session does not end under a recording: it stops first, whatever the timings.
    this.stopRecording(sessionId);
    session.live = false;
    await this.o.callbacks.send(sessionId, this.event(sessionId, 'sessionDestroyed'));
  }

  private stopRecording(sessionId: string): void {
    const archive = this.o.state.recordingArchiveOf(sessionId);
    if (archive) this.o.archives.stop(archive.id, 'session ended');
  }

  private event(sessionId: string, event: string) {
    return {sessionId, projectId: this.o.applicationId, event, timestamp: Date.now()};
  }
}
