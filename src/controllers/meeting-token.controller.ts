import {authenticate} from '@loopback/authentication';
import {authorize} from '@loopback/authorization';
import {BindingScope, inject, injectable, service} from '@loopback/core';
import {param, post, requestBody, Response, RestBindings} from '@loopback/rest';
import {SecurityBindings, UserProfile} from '@loopback/security';
import {toCaller} from '../auth/caller';
import {Permission} from '../auth/permissions';
import {fastLane} from '../http/fast-lane/fast-lane.decorator';
import {JoinToken, LobbyWaiting, MeetingTokenService, TokenRequest} from '../services/meetings/meeting-token.service';
import {LOBBY_WAITING_SCHEMA} from './specs/lobby.specs';
import {jsonContent, TOKEN_REQUEST_SCHEMA, TOKEN_RESPONSE_SCHEMA} from './specs/meeting.specs';

/** A singleton on the hot path: the caller is injected per call, not per controller instance. */
@authenticate('bearer')
@injectable({scope: BindingScope.SINGLETON})
export class MeetingTokenController {
  constructor(@service(MeetingTokenService) private readonly tokens: MeetingTokenService) {}

  @authorize({scopes: [Permission.GenerateMeetingToken]})
  @fastLane()
  @post('/session/{meetingLinkId}/token', {
    responses: {
      '200': {description: 'A client token to join the meeting', ...jsonContent(TOKEN_RESPONSE_SCHEMA)},
      '202': {description: 'The meeting has a lobby: the request waits for a moderator; poll its requestId', ...jsonContent(LOBBY_WAITING_SCHEMA)},
    },
  })
  async issue(
    @param.path.string('meetingLinkId') meetingLinkId: string,
    @requestBody({required: false, ...jsonContent(TOKEN_REQUEST_SCHEMA)}) body: TokenRequest | undefined,
    @inject(SecurityBindings.USER) user: UserProfile,
    @inject(RestBindings.Http.RESPONSE) response: Response,
  ): Promise<JoinToken | LobbyWaiting> {
    const result = await this.tokens.issue(meetingLinkId, body ?? {}, toCaller(user));
    // LoopBack's writer (and the fast lane's, the same one) keeps a status set before the body is written.
    if ('status' in result) response.status(202);
    return result;
  }
}
