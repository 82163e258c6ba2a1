import {expect} from '@loopback/testlab';
import {Permission} from '../../auth/permissions';
import {queryTestDatabase} from '../fixtures/postgres';
import type {TestApp} from './app.helper';
import {bearer, givenBearerToken} from './auth.helper';

export type LiveProvider = 'vonage' | 'zoom';
export const LIVE_PROVIDERS: readonly LiveProvider[] = ['vonage', 'zoom'];

/** Bearer headers: `admin` holds every permission; others hold what they are given. */
export const who = (id: string, permissions: readonly string[] = Object.values(Permission)) => bearer(givenBearerToken({id, permissions}));

/**
 * Plays clients of one provider's emulator the same way for both: join with a join token the service
 * issued, leave, lose the next callbacks, look inside.
 */
export class LivePlayer {
  constructor(
    private readonly t: TestApp,
    readonly provider: LiveProvider,
  ) {}

  async createMeeting(body: object = {}, creator = 'admin'): Promise<{code: string; sessionId: string}> {
    return (
      await this.t.client
        .post('/session')
        .set(who(creator))
        .send({provider: this.provider, ...body})
        .expect(200)
    ).body;
  }

  /** Joins as `attendee` (its own bearer token); the participant id at the provider. */
  async join(code: string, attendee: string): Promise<string> {
    const issued = (
      await this.t.client
        .post(`/session/${code}/token`)
        .set(who(attendee, [Permission.GenerateMeetingToken]))
        .send({})
        .expect(200)
    ).body;
    if (this.provider === 'vonage') return (await this.emulator('POST', '/_emulator/participants', {token: issued.token})).connectionId as string;
    return (await this.emulator('POST', '/_emulator/sessions/join', {token: issued.token})).participantUuid as string;
  }

  async leave(participantId: string): Promise<void> {
    if (this.provider === 'vonage') await this.emulator('DELETE', `/_emulator/participants/${participantId}`);
    else await this.emulator('POST', '/_emulator/sessions/leave', {participantUuid: participantId});
  }

  /** Callbacks a leave sends: Vonage a stream's and the connection's, Zoom one. */
  get leaveCallbacks(): number {
    return this.provider === 'vonage' ? 2 : 1;
  }

  async dropNextCallbacks(count: number): Promise<void> {
    await this.emulator('POST', this.provider === 'vonage' ? '/_emulator/callbacks/drop-next' : '/_emulator/webhooks/drop-next', {count});
  }

  async state(): Promise<Record<string, unknown>> {
    return this.emulator('GET', '/_emulator/state');
  }

  reset(): void {
    this.t.emulator.reset();
    this.t.zoom?.reset();
  }

  async emulator(method: string, path: string, body?: object): Promise<Record<string, unknown>> {
    const base = this.provider === 'vonage' ? this.t.emulator.url : this.t.zoom!.url.replace(/\/v2$/, '');
    const res = await fetch(`${base}${path}`, {method, headers: {'content-type': 'application/json'}, body: body ? JSON.stringify(body) : undefined});
    const text = await res.text();
    expect(res.status).to.be.within(200, 204);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }
}

/** The outbox events of one type for one meeting. */
export async function eventsOf(code: string, type: string): Promise<Array<{data: Record<string, unknown>; actor: string | null}>> {
  return queryTestDatabase('SELECT data, actor FROM outbox_events WHERE meeting_link = $1 AND type = $2 ORDER BY id', [code, type]);
}

export async function auditOf(action: string): Promise<Array<{actor: string; entity_id: string; after: Record<string, unknown>}>> {
  return queryTestDatabase('SELECT actor, entity_id, after FROM audit_logs WHERE action = $1 ORDER BY id', [action]);
}

export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 25));
  }
}
