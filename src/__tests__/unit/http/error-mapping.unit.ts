import {expect} from '@loopback/testlab';
import {ArchiveConflictError, MeetingNotFoundError, PermissionDeniedError, ValidationError} from '../../../errors/domain-errors';
import {createLogger} from '../../../logging/logger';
import type {Response} from '@loopback/rest';
import {mapErrorForResponse, toHttpError} from '../../../http/error-mapping.middleware';
import {VideoProviderError} from '../../../providers/video/video-provider.error';
import {BearerTokenError} from '../../../auth/bearer-token.verifier';

const logger = createLogger('silent');
const statusOf = (error: unknown) => (toHttpError(error, logger) as {statusCode?: number}).statusCode;

describe('error mapping (unit)', () => {
  const table: Array<[string, unknown, number]> = [
    ['a validation error', new ValidationError('x'), 400],
    ['a bad bearer token', new BearerTokenError('expired'), 401],
    ['a missing permission', new PermissionDeniedError('x'), 403],
    ['an unknown meeting', new MeetingNotFoundError('m'), 404],
    ['an archive conflict', new ArchiveConflictError('x'), 409],
    ['a provider outage', VideoProviderError.fromStatus('vonage', 503, 'op'), 502],
    ['a provider conflict', VideoProviderError.fromStatus('vonage', 409, 'op'), 409],
    ['a lost database connection', Object.assign(new Error('terminated'), {code: '57P01'}), 503],
    ['a refused database connection', Object.assign(new Error('refused'), {code: 'ECONNREFUSED'}), 503],
    ['no pooled connection within the pool wait', new Error('timeout exceeded when trying to connect'), 503],
    ['a statement cancelled by the statement timeout', Object.assign(new Error('canceling statement due to statement timeout'), {code: '57014'}), 503],
  ];
  for (const [what, error, status] of table) {
    it(`maps ${what} to ${status}`, () => expect(statusOf(error)).to.equal(status));
  }

  it('hides why a bearer token failed', () => {
    const mapped = toHttpError(new BearerTokenError('bearer token rejected: invalid signature'), logger) as Error;
    expect(mapped.message).to.equal('Authorization required: send a valid bearer token');
  });

  it('tells the client when to retry a busy database', () => {
    const headers: Record<string, string> = {};
    const response = {setHeader: (name: string, value: string) => void (headers[name] = value)} as unknown as Response;
    const mapped = mapErrorForResponse(Object.assign(new Error('canceling statement'), {code: '57014'}), response, logger) as {
      statusCode: number;
      message: string;
    };
    expect(mapped.statusCode).to.equal(503);
    expect(mapped.message).to.equal('The database is busy, try again shortly');
    expect(headers).to.eql({'Retry-After': '2'});
  });

  it('leaves unknown errors alone (LoopBack answers 500)', () => {
    const error = new Error('bug');
    expect(toHttpError(error, logger)).to.equal(error);
  });
});
