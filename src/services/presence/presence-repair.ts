import type {ProviderParticipant} from '../../providers/video/types';
import type {AttendeeIdentity} from '../../providers/video/video-event';
import type {OpenConnection} from '../../repositories/live-connection.repository';

/** What a presence check changes: connections that left, participants that joined unseen. */
export interface PresenceRepair {
  left: Array<{attendee: string; connectionId: string}>;
  joined: Array<{participantId: string; identity: AttendeeIdentity}>;
}

/**
 * Our open connections against the provider's live participants (pure, so it is unit-tested):
 * - open here, absent there, and opened before the list was read: left;
 * - live there and never seen here, with an identity the list gives: joined. One seen and closed here
 *   stays closed (its leave callback came; the list lags), and one without identity cannot be named.
 */
export function planPresenceRepair(input: {
  open: readonly OpenConnection[];
  known: ReadonlySet<string>;
  participants: readonly ProviderParticipant[];
  listedAt: Date;
}): PresenceRepair {
  const live = new Set(input.participants.filter(p => p.state !== 'disconnected').map(p => p.participantId));
  const left = input.open
    .filter(c => !live.has(c.connectionId) && c.connectedAt.getTime() <= input.listedAt.getTime())
    .map(c => ({attendee: c.attendee, connectionId: c.connectionId}));
  const joined: PresenceRepair['joined'] = [];
  for (const participant of input.participants) {
    if (participant.state !== 'connected' || input.known.has(participant.participantId) || !participant.identity) continue;
    joined.push({participantId: participant.participantId, identity: participant.identity});
  }
  return {left, joined};
}
