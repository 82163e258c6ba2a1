import {authenticate} from '@loopback/authentication';
import {authorize} from '@loopback/authorization';
import {BindingScope, inject, injectable, service} from '@loopback/core';
import {param, post, requestBody} from '@loopback/rest';
import {SecurityBindings, UserProfile} from '@loopback/security';
import {toCaller} from '../auth/caller';
import {Permission} from '../auth/permissions';
import {fastLane} from '../http/fast-lane/fast-lane.decorator';
import {JoinToken, MeetingTokenService, TokenRequest} from '../services/meetings/meeting-token.service';
import {jsonContent, TOKEN_REQUEST_SCHEMA, TOKEN_RESPONSE_SCHEMA} from './specs/meeting.specs';

/** A singleton on the hot path: the caller is injected per call, not per controller instance. */
@authenticate('bearer')
@injectable({scope: BindingScope.SINGLETON})
export class MeetingTokenController {
  constructor(@service(MeetingTokenService) private readonly tokens: MeetingTokenService) {}

  @authorize({scopes: [Permission.GenerateMeetingToken]})
  @fastLane()
  @post('/session/{meetingLinkId}/token', {responses: {'200': {description: 'A client token to join the meeting', ...jsonContent(TOKEN_RESPONSE_SCHEMA)}}})
  async issue(
    @param.path.string('meetingLinkId') meetingLinkId: string,
    @requestBody({required: false, ...jsonContent(TOKEN_REQUEST_SCHEMA)}) body: TokenRequest | undefined,
    @inject(SecurityBindings.USER) user: UserProfile,
  ): Promise<JoinToken> {
    return this.tokens.issue(meetingLinkId, body ?? {}, toCaller(user));
  }
}
