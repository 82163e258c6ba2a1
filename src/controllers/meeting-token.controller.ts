import {authenticate} from '@loopback/authentication';
import {authorize} from '@loopback/authorization';
import {inject, service} from '@loopback/core';
import {param, post, requestBody} from '@loopback/rest';
import {SecurityBindings, UserProfile} from '@loopback/security';
import {toCaller} from '../auth/caller';
import {Permission} from '../auth/permissions';
import {JoinToken, MeetingTokenService, TokenRequest} from '../services/meeting-token.service';
import {jsonContent, TOKEN_REQUEST_SCHEMA, TOKEN_RESPONSE_SCHEMA} from './specs/meeting.specs';

@authenticate('bearer')
export class MeetingTokenController {
  constructor(
    @service(MeetingTokenService) private readonly tokens: MeetingTokenService,
    @inject(SecurityBindings.USER) private readonly user: UserProfile,
  ) {}

  @authorize({scopes: [Permission.GenerateMeetingToken]})
  @post('/session/{meetingLinkId}/token', {responses: {'200': {description: 'A client token to join the meeting', ...jsonContent(TOKEN_RESPONSE_SCHEMA)}}})
  async issue(
    @param.path.string('meetingLinkId') meetingLinkId: string,
    @requestBody({required: false, ...jsonContent(TOKEN_REQUEST_SCHEMA)}) body: TokenRequest | undefined,
  ): Promise<JoinToken> {
    return this.tokens.issue(meetingLinkId, body ?? {}, toCaller(this.user));
  }
}
