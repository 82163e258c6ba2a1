import {authenticate} from '@loopback/authentication';
import {authorize} from '@loopback/authorization';
import {BindingScope, inject, injectable, service} from '@loopback/core';
import {param, post, requestBody} from '@loopback/rest';
import {SecurityBindings, UserProfile} from '@loopback/security';
import {toCaller} from '../auth/caller';
import {MuteResult, ModerationService, RemovalResult} from '../services/meetings/moderation.service';
import {parseExcludeAttendees} from '../services/meetings/moderation-input';
import {MUTE_RESULT_SCHEMA, MUTE_SCHEMA, REMOVAL_SCHEMA, SIGNAL_SCHEMA} from './specs/live-control.specs';
import {jsonContent} from './specs/meeting.specs';

/**
 * Moderation: the meeting's creator or a ModerateMeeting holder (checked by the service, since the
 * creator needs no permission key); thin over ModerationService.
 */
@authenticate('bearer')
// No permission key at the route: the creator moderates without one (the service decides).
@authorize({scopes: []})
@injectable({scope: BindingScope.SINGLETON})
export class ModerationController {
  constructor(@service(ModerationService) private readonly moderation: ModerationService) {}

  @post('/session/{meetingLinkId}/attendees/{attendee}/disconnect', {
    responses: {'200': {description: 'Every live connection of the attendee removed (and banned with ban=true)', ...jsonContent(REMOVAL_SCHEMA)}},
  })
  async disconnect(
    @param.path.string('meetingLinkId') meetingLinkId: string,
    @param.path.string('attendee') attendee: string,
    @param.query.boolean('ban', {description: 'Refuse their join tokens for the rest of the meeting'}) ban: boolean | undefined,
    @inject(SecurityBindings.USER) user: UserProfile,
  ): Promise<RemovalResult> {
    return this.moderation.disconnect(meetingLinkId, attendee, ban === true, toCaller(user));
  }

  @post('/session/{meetingLinkId}/mute', {responses: {'200': {description: 'Everyone muted but the excluded attendees', ...jsonContent(MUTE_RESULT_SCHEMA)}}})
  async muteAll(
    @param.path.string('meetingLinkId') meetingLinkId: string,
    @requestBody({required: false, ...jsonContent(MUTE_SCHEMA)}) body: Record<string, unknown> | undefined,
    @inject(SecurityBindings.USER) user: UserProfile,
  ): Promise<MuteResult> {
    return this.moderation.muteAll(meetingLinkId, parseExcludeAttendees(body), toCaller(user));
  }

  @post('/session/{meetingLinkId}/attendees/{attendee}/mute', {responses: {'200': {description: 'The attendee muted', ...jsonContent(MUTE_RESULT_SCHEMA)}}})
  async muteAttendee(
    @param.path.string('meetingLinkId') meetingLinkId: string,
    @param.path.string('attendee') attendee: string,
    @inject(SecurityBindings.USER) user: UserProfile,
  ): Promise<MuteResult> {
    return this.moderation.muteAttendee(meetingLinkId, attendee, toCaller(user));
  }

  @post('/session/{meetingLinkId}/signal', {responses: {'204': {description: 'Signal sent'}}})
  async signal(
    @param.path.string('meetingLinkId') meetingLinkId: string,
    @requestBody({required: true, ...jsonContent(SIGNAL_SCHEMA)}) body: Record<string, unknown>,
    @inject(SecurityBindings.USER) user: UserProfile,
  ): Promise<void> {
    await this.moderation.signal(meetingLinkId, body, toCaller(user));
  }
}
