import jwt from 'jsonwebtoken';
import {ALL_PERMISSIONS} from '../../auth/permissions';
import {TEST_APPLICATION_ID, TEST_SIGNATURE_SECRET} from '../fixtures/vonage-test-keys';
import type {TestApp} from './app.helper';
import {bearer, TEST_JWT_ISSUER, TEST_JWT_SECRET} from './auth.helper';
import {signVonageCallback} from './webhook.helper';

/** A bearer token with every permission (or those given), in `tenantId` when given. */
export function tenantCaller(id: string, tenantId?: string, permissions: readonly string[] = ALL_PERMISSIONS): {Authorization: string} {
  const claims: Record<string, unknown> = {id, permissions};
  if (tenantId !== undefined) claims.tenantId = tenantId;
  return bearer(jwt.sign(claims, TEST_JWT_SECRET, {algorithm: 'HS256', expiresIn: 3600, issuer: TEST_JWT_ISSUER}));
}

/** Posts a Vonage callback signed as Vonage signs it. */
export function postVonageCallback(t: TestApp, payload: object) {
  const body = JSON.stringify(payload);
  const token = signVonageCallback(body, TEST_SIGNATURE_SECRET, {applicationId: TEST_APPLICATION_ID});
  return t.client.post('/webhooks/vonage').set('Content-Type', 'application/json').set('Authorization', token).send(body).expect(204);
}

/** A subscription of the caller's tenant to `url` (201), with its one-time `signingKey`. */
export async function givenSubscription(
  t: TestApp,
  caller: {Authorization: string},
  body: Record<string, unknown> & {url: string},
): Promise<{id: string; signingKey: string}> {
  const res = await t.client
    .post('/webhook-subscriptions')
    .set(caller)
    .send({events: '*', ...body})
    .expect(201);
  return res.body as {id: string; signingKey: string};
}
