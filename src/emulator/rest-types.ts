import type {ArchiveFlow} from './archive-flow';
import type {CallbackSender} from './callback-sender';
import type {EmulatorAuth} from './emulator-auth';
import type {EmulatorState} from './emulator-state';
import type {ParticipantFlow} from './participant-flow';

/** A REST request as the emulators' route tables see it, their reply, and what Vonage's routes work with. */
export interface RestRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface RestReply {
  status: number;
  body?: unknown;
}

export interface RestDeps {
  applicationId: string;
  state: EmulatorState;
  auth: EmulatorAuth;
  archives: ArchiveFlow;
  participants: ParticipantFlow;
  callbacks: CallbackSender;
}
