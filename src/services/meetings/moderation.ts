import {Permission} from '../../auth/permissions';
import type {CallerProfile} from '../../auth/bearer-token.verifier';

/** The meeting's creator, or a holder of `ModerateMeeting`: who may join as moderator, run the lobby and moderate the meeting. */
export function canModerate(meeting: {createdBy: string | null}, caller: CallerProfile): boolean {
  return meeting.createdBy === caller.id || caller.permissions.includes(Permission.ModerateMeeting);
}
