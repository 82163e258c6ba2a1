import {authenticate} from '@loopback/authentication';
import {authorize} from '@loopback/authorization';
import {inject, service} from '@loopback/core';
import {del, get, put, requestBody, Response, RestBindings} from '@loopback/rest';
import {SecurityBindings, UserProfile} from '@loopback/security';
import {toCaller} from '../auth/caller';
import {Permission} from '../auth/permissions';
import {StorageTargetInput} from '../services/archives/storage-target-input';
import {StorageTargetService, StorageTargetView} from '../services/archives/storage-target.service';
import {STORAGE_TARGET_INPUT_SCHEMA, STORAGE_TARGET_SCHEMA} from './specs/archive.specs';
import {jsonContent} from './specs/meeting.specs';

/** LoopBack's router matches the literal `/archives/storage-target` before `/archives/{archiveId}`. */
@authenticate('bearer')
export class StorageTargetController {
  constructor(
    @service(StorageTargetService) private readonly targets: StorageTargetService,
    @inject(SecurityBindings.USER) private readonly user: UserProfile,
    @inject(RestBindings.Http.RESPONSE) private readonly response: Response,
  ) {}

  @authorize({scopes: [Permission.SetMeetingUploadTarget]})
  @put('/archives/storage-target', {
    responses: {
      '204': {description: 'Stored and applied at the provider'},
      '200': {description: 'Stored; the provider needs it set in its console (see notice)', ...jsonContent(STORAGE_TARGET_SCHEMA)},
    },
  })
  async set(@requestBody({required: true, ...jsonContent(STORAGE_TARGET_INPUT_SCHEMA)}) body: StorageTargetInput): Promise<object | undefined> {
    const saved = await this.targets.set(body, toCaller(this.user).id);
    if (!saved.notice) {
      this.response.status(204);
      return undefined;
    }
    return {...saved.target, notice: saved.notice};
  }

  @authorize({scopes: [Permission.SetMeetingUploadTarget, Permission.GetMeetingArchives]})
  @get('/archives/storage-target', {responses: {'200': {description: 'The target, without credentials', ...jsonContent(STORAGE_TARGET_SCHEMA)}}})
  async get(): Promise<StorageTargetView> {
    return this.targets.get();
  }

  @authorize({scopes: [Permission.SetMeetingUploadTarget]})
  @del('/archives/storage-target', {responses: {'204': {description: 'Removed'}}})
  async remove(): Promise<void> {
    await this.targets.remove(toCaller(this.user).id);
  }
}
