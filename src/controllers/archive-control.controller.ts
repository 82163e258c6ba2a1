import {authenticate} from '@loopback/authentication';
import {authorize} from '@loopback/authorization';
import {BindingScope, inject, injectable, service} from '@loopback/core';
import {param, patch, post, requestBody, Response, RestBindings} from '@loopback/rest';
import {SecurityBindings, UserProfile} from '@loopback/security';
import {toCaller} from '../auth/caller';
import {Permission} from '../auth/permissions';
import {ArchiveControlService} from '../services/archives/archive-control.service';
import type {ArchiveView} from '../services/archives/archive.service';
import {ARCHIVE_SCHEMA} from './specs/archive.specs';
import {RECORDING_LAYOUT_SCHEMA, START_ARCHIVE_SCHEMA} from './specs/live-control.specs';
import {jsonContent} from './specs/meeting.specs';

const ONE = {'200': {description: 'The archive', ...jsonContent(ARCHIVE_SCHEMA)}};

/** Recordings on demand: thin over ArchiveControlService. */
@authenticate('bearer')
@injectable({scope: BindingScope.SINGLETON})
export class ArchiveControlController {
  constructor(@service(ArchiveControlService) private readonly control: ArchiveControlService) {}

  @authorize({scopes: [Permission.StartMeetingArchive]})
  @post('/session/{meetingLinkId}/archives', {responses: {'201': {description: 'Recording started', ...jsonContent(ARCHIVE_SCHEMA)}}})
  async start(
    @param.path.string('meetingLinkId') meetingLinkId: string,
    @requestBody({required: false, ...jsonContent(START_ARCHIVE_SCHEMA)}) body: Record<string, unknown> | undefined,
    @inject(SecurityBindings.USER) user: UserProfile,
    @inject(RestBindings.Http.RESPONSE) response: Response,
  ): Promise<ArchiveView> {
    const archive = await this.control.start(meetingLinkId, body, toCaller(user));
    response.status(201);
    return archive;
  }

  @authorize({scopes: [Permission.StopMeetingArchive]})
  @post('/archives/{archiveId}/stop', {responses: ONE})
  async stop(@param.path.string('archiveId') archiveId: string, @inject(SecurityBindings.USER) user: UserProfile): Promise<ArchiveView> {
    return this.control.stop(archiveId, toCaller(user));
  }

  @authorize({scopes: [Permission.StopMeetingArchive]})
  @post('/archives/{archiveId}/pause', {responses: ONE})
  async pause(@param.path.string('archiveId') archiveId: string, @inject(SecurityBindings.USER) user: UserProfile): Promise<ArchiveView> {
    return this.control.pause(archiveId, toCaller(user));
  }

  @authorize({scopes: [Permission.StopMeetingArchive]})
  @post('/archives/{archiveId}/resume', {responses: ONE})
  async resume(@param.path.string('archiveId') archiveId: string, @inject(SecurityBindings.USER) user: UserProfile): Promise<ArchiveView> {
    return this.control.resume(archiveId, toCaller(user));
  }

  @authorize({scopes: [Permission.StartMeetingArchive]})
  @patch('/archives/{archiveId}/layout', {responses: ONE})
  async layout(
    @param.path.string('archiveId') archiveId: string,
    @requestBody({required: true, ...jsonContent(RECORDING_LAYOUT_SCHEMA)}) body: object,
    @inject(SecurityBindings.USER) user: UserProfile,
  ): Promise<ArchiveView> {
    return this.control.setLayout(archiveId, body, toCaller(user));
  }
}
