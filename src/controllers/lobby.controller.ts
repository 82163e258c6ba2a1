import {authenticate} from '@loopback/authentication';
import {authorize} from '@loopback/authorization';
import {BindingScope, inject, injectable, service} from '@loopback/core';
import {get, param, post, Response, RestBindings} from '@loopback/rest';
import {SecurityBindings, UserProfile} from '@loopback/security';
import {toCaller} from '../auth/caller';
import {fastLane} from '../http/fast-lane/fast-lane.decorator';
import {LobbyPoll, LobbyRequestView, LobbyService} from '../services/meetings/lobby.service';
import {toPage} from './pagination';
import {jsonContent} from './specs/meeting.specs';
import {LOBBY_POLL_SCHEMA, LOBBY_REQUEST_SCHEMA} from './specs/lobby.specs';

/**
 * A meeting's lobby. No permission key guards these routes: who may act is a fact about the meeting (its creator, a
 * `ModerateMeeting` holder, or the request's own requester), which the service checks.
 */
@authenticate('bearer')
@injectable({scope: BindingScope.SINGLETON})
export class LobbyController {
  constructor(@service(LobbyService) private readonly lobby: LobbyService) {}

  @authorize({scopes: []})
  @get('/session/{meetingLinkId}/lobby', {
    responses: {
      '200': {
        description: 'Requests waiting, oldest first (creator or ModerateMeeting); the total is in X-Total-Count',
        headers: {'X-Total-Count': {schema: {type: 'integer'}}},
        ...jsonContent({type: 'array', items: LOBBY_REQUEST_SCHEMA}),
      },
    },
  })
  async list(
    @param.path.string('meetingLinkId') meetingLinkId: string,
    @param.query.integer('limit', {description: 'Default 100, at most 1000'}) limit: number | undefined,
    @param.query.integer('offset') offset: number | undefined,
    @inject(RestBindings.Http.RESPONSE) response: Response,
    @inject(SecurityBindings.USER) user: UserProfile,
  ): Promise<LobbyRequestView[]> {
    const page = toPage(limit, offset, {limit: 100, maxLimit: 1000});
    const result = await this.lobby.listWaiting(meetingLinkId, page, toCaller(user));
    response.setHeader('X-Total-Count', String(result.total));
    return result.items;
  }

  @authorize({scopes: []})
  @fastLane()
  @get('/session/{meetingLinkId}/lobby/{requestId}', {
    responses: {
      '200': {description: 'The requester: `{status: "waiting"}`, then its token once; a moderator: the request', ...jsonContent(LOBBY_POLL_SCHEMA)},
      '403': {description: 'Denied by a moderator (requester), or neither requester nor moderator'},
      '410': {description: 'Expired, or its token was already handed out'},
    },
  })
  async poll(
    @param.path.string('meetingLinkId') meetingLinkId: string,
    @param.path.string('requestId') requestId: string,
    @inject(SecurityBindings.USER) user: UserProfile,
  ): Promise<LobbyPoll> {
    return this.lobby.poll(meetingLinkId, requestId, toCaller(user));
  }

  @authorize({scopes: []})
  @post('/session/{meetingLinkId}/lobby/{requestId}/admit', {
    responses: {'200': {description: 'Admitted: the requester collects its token at its next poll', ...jsonContent(LOBBY_REQUEST_SCHEMA)}},
  })
  async admit(
    @param.path.string('meetingLinkId') meetingLinkId: string,
    @param.path.string('requestId') requestId: string,
    @inject(SecurityBindings.USER) user: UserProfile,
  ): Promise<LobbyRequestView> {
    return this.lobby.decide(meetingLinkId, requestId, 'admit', toCaller(user));
  }

  @authorize({scopes: []})
  @post('/session/{meetingLinkId}/lobby/{requestId}/deny', {
    responses: {'200': {description: 'Denied: the requester is answered 403', ...jsonContent(LOBBY_REQUEST_SCHEMA)}},
  })
  async deny(
    @param.path.string('meetingLinkId') meetingLinkId: string,
    @param.path.string('requestId') requestId: string,
    @inject(SecurityBindings.USER) user: UserProfile,
  ): Promise<LobbyRequestView> {
    return this.lobby.decide(meetingLinkId, requestId, 'deny', toCaller(user));
  }
}
