import {authenticate} from '@loopback/authentication';
import {authorize} from '@loopback/authorization';
import {BindingScope, inject, injectable, service} from '@loopback/core';
import {del, get, param} from '@loopback/rest';
import {SecurityBindings, UserProfile} from '@loopback/security';
import {toCaller} from '../auth/caller';
import {Permission} from '../auth/permissions';
import {ValidationError} from '../errors/domain-errors';
import {fastLane} from '../http/fast-lane/fast-lane.decorator';
import {ARCHIVE_STATUSES, ArchiveStatus} from '../providers/video/types';
import {ArchivePurgeService} from '../services/archives/archive-purge.service';
import {ArchiveDetail, ArchiveService, ArchiveView} from '../services/archives/archive.service';
import {toPage} from './pagination';
import {ARCHIVE_DETAIL_SCHEMA, ARCHIVE_PAGE_SCHEMA} from './specs/archive.specs';
import {jsonContent} from './specs/meeting.specs';

/** A singleton, so the fast lane can serve its listing: the caller is injected per call. */
@authenticate('bearer')
@injectable({scope: BindingScope.SINGLETON})
export class ArchiveController {
  constructor(
    @service(ArchiveService) private readonly archives: ArchiveService,
    @service(ArchivePurgeService) private readonly purge: ArchivePurgeService,
  ) {}

  @authorize({scopes: [Permission.GetMeetingArchives]})
  @fastLane()
  @get('/archives', {responses: {'200': {description: "Archives of this service's meetings, newest first", ...jsonContent(ARCHIVE_PAGE_SCHEMA)}}})
  async list(
    @param.query.string('meetingLinkId') meetingLinkId: string | undefined,
    @param.query.string('sessionId') sessionId: string | undefined,
    @param.query.string('status') status: string | undefined,
    @param.query.string('provider', {description: 'Only archives of meetings on this video provider, e.g. vonage or zoom'}) provider: string | undefined,
    @param.query.integer('limit', {description: 'Default 50, at most 1000'}) limit: number | undefined,
    @param.query.integer('offset') offset: number | undefined,
    @inject(SecurityBindings.USER) user: UserProfile,
  ): Promise<{count: number; items: ArchiveView[]}> {
    if (status !== undefined && !ARCHIVE_STATUSES.includes(status as ArchiveStatus)) {
      throw new ValidationError(`status must be one of ${ARCHIVE_STATUSES.join(', ')}`);
    }
    const page = toPage(limit, offset, {limit: 50, maxLimit: 1000});
    const filter = {meetingLinkId, sessionId, status: status as ArchiveStatus | undefined, provider};
    return this.archives.list({...filter, ...page, tenantId: toCaller(user).tenantId});
  }

  @authorize({scopes: [Permission.GetMeetingArchives]})
  @get('/archives/{archiveId}', {responses: {'200': {description: 'The archive and a download URL when one exists', ...jsonContent(ARCHIVE_DETAIL_SCHEMA)}}})
  async findOne(@param.path.string('archiveId') archiveId: string, @inject(SecurityBindings.USER) user: UserProfile): Promise<ArchiveDetail> {
    return this.archives.get(archiveId, toCaller(user).tenantId);
  }

  @authorize({scopes: [Permission.DeleteMeetingArchive]})
  @del('/archives/{archiveId}', {responses: {'204': {description: 'Deleted at the provider and from the storage target'}}})
  async delete(@param.path.string('archiveId') archiveId: string, @inject(SecurityBindings.USER) user: UserProfile): Promise<void> {
    await this.purge.delete(archiveId, toCaller(user));
  }
}
