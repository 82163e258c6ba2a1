import {authenticate} from '@loopback/authentication';
import {authorize} from '@loopback/authorization';
import {BindingScope, inject, injectable, service} from '@loopback/core';
import {get, param, patch, post, requestBody} from '@loopback/rest';
import {SecurityBindings, UserProfile} from '@loopback/security';
import {toCaller} from '../auth/caller';
import {fastLane} from '../http/fast-lane/fast-lane.decorator';
import {Permission} from '../auth/permissions';
import {MeetingEndService} from '../services/meetings/meeting-end.service';
import {CreateMeetingInput, EditMeetingInput, MeetingService} from '../services/meetings/meeting.service';
import {CREATE_MEETING_SCHEMA, EDIT_MEETING_SCHEMA, jsonContent, MEETING_SCHEMA} from './specs/meeting.specs';

const READ_PERMISSIONS = [
  Permission.CreateMeetingSession,
  Permission.EditMeeting,
  Permission.StopMeeting,
  Permission.GenerateMeetingToken,
  Permission.GetMeetingAttendees,
];

/** A singleton, so the fast lane can serve meeting creation: the caller is injected per call. */
@authenticate('bearer')
@injectable({scope: BindingScope.SINGLETON})
export class MeetingController {
  constructor(
    @service(MeetingService) private readonly meetings: MeetingService,
    @service(MeetingEndService) private readonly meetingEnd: MeetingEndService,
  ) {}

  @authorize({scopes: [Permission.CreateMeetingSession]})
  @fastLane()
  @post('/session', {responses: {'200': {description: 'The new meeting; `code` is its link id', ...jsonContent(MEETING_SCHEMA)}}})
  async create(
    @requestBody({required: false, ...jsonContent(CREATE_MEETING_SCHEMA)}) body: CreateMeetingInput | undefined,
    @inject(SecurityBindings.USER) user: UserProfile,
  ): Promise<object> {
    const meeting = await this.meetings.create(body ?? {}, toCaller(user));
    return {code: meeting.meetingLink, ...meeting.toJSON()};
  }

  @authorize({scopes: READ_PERMISSIONS})
  @get('/session/{meetingLinkId}', {responses: {'200': {description: 'The meeting', ...jsonContent(MEETING_SCHEMA)}}})
  async findOne(@param.path.string('meetingLinkId') meetingLinkId: string, @inject(SecurityBindings.USER) user: UserProfile): Promise<object> {
    const meeting = await this.meetings.get(meetingLinkId, toCaller(user).tenantId);
    return {code: meeting.meetingLink, ...meeting.toJSON()};
  }

  @authorize({scopes: [Permission.EditMeeting]})
  @patch('/session/{meetingLinkId}', {responses: {'204': {description: 'Edited'}}})
  async edit(
    @param.path.string('meetingLinkId') meetingLinkId: string,
    @requestBody({required: false, ...jsonContent(EDIT_MEETING_SCHEMA)}) body: EditMeetingInput | undefined,
    @inject(SecurityBindings.USER) user: UserProfile,
  ): Promise<void> {
    await this.meetings.edit(meetingLinkId, body ?? {}, toCaller(user));
  }

  @authorize({scopes: [Permission.StopMeeting]})
  @patch('/session/{meetingLinkId}/end', {responses: {'204': {description: 'Ended: participants disconnected, recording stopped'}}})
  async end(@param.path.string('meetingLinkId') meetingLinkId: string, @inject(SecurityBindings.USER) user: UserProfile): Promise<void> {
    await this.meetingEnd.end(meetingLinkId, toCaller(user));
  }
}
