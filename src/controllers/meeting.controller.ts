import {authenticate} from '@loopback/authentication';
import {authorize} from '@loopback/authorization';
import {inject, service} from '@loopback/core';
import {get, param, patch, post, requestBody} from '@loopback/rest';
import {SecurityBindings, UserProfile} from '@loopback/security';
import {toCaller} from '../auth/caller';
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

@authenticate('bearer')
export class MeetingController {
  constructor(
    @service(MeetingService) private readonly meetings: MeetingService,
    @service(MeetingEndService) private readonly meetingEnd: MeetingEndService,
    @inject(SecurityBindings.USER) private readonly user: UserProfile,
  ) {}

  @authorize({scopes: [Permission.CreateMeetingSession]})
  @post('/session', {responses: {'200': {description: 'The new meeting; `code` is its link id', ...jsonContent(MEETING_SCHEMA)}}})
  async create(
    @requestBody({required: false, ...jsonContent(CREATE_MEETING_SCHEMA)}) body: CreateMeetingInput | undefined,
  ): Promise<object> {
    const meeting = await this.meetings.create(body ?? {}, toCaller(this.user));
    return {code: meeting.meetingLink, ...meeting.toJSON()};
  }

  @authorize({scopes: READ_PERMISSIONS})
  @get('/session/{meetingLinkId}', {responses: {'200': {description: 'The meeting', ...jsonContent(MEETING_SCHEMA)}}})
  async findOne(@param.path.string('meetingLinkId') meetingLinkId: string): Promise<object> {
    const meeting = await this.meetings.get(meetingLinkId, toCaller(this.user).tenantId);
    return {code: meeting.meetingLink, ...meeting.toJSON()};
  }

  @authorize({scopes: [Permission.EditMeeting]})
  @patch('/session/{meetingLinkId}', {responses: {'204': {description: 'Edited'}}})
  async edit(
    @param.path.string('meetingLinkId') meetingLinkId: string,
    @requestBody({required: false, ...jsonContent(EDIT_MEETING_SCHEMA)}) body: EditMeetingInput | undefined,
  ): Promise<void> {
    await this.meetings.edit(meetingLinkId, body ?? {}, toCaller(this.user));
  }

  @authorize({scopes: [Permission.StopMeeting]})
  @patch('/session/{meetingLinkId}/end', {responses: {'204': {description: 'Ended: participants disconnected, recording stopped'}}})
  async end(@param.path.string('meetingLinkId') meetingLinkId: string): Promise<void> {
    await this.meetingEnd.end(meetingLinkId, toCaller(this.user));
  }
}
