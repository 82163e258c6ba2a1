import {expect} from '@loopback/testlab';
import {Webhook} from 'standardwebhooks';
import {DEFAULT_DELIVERY_SCHEDULE_SECONDS} from '../../../config/events-config';
import {nextAttemptAt, parseRetryAfter} from '../../../services/events/retry-schedule';
import {parseCreateInput} from '../../../services/events/subscription-input';
import {generateSigningKey, signingKeyProblem, StandardWebhookSigner} from '../../../signing/standard-webhook.signer';

const NOW = new Date(Date.UTC(2026, 11, 1, 12));
const MIDDLE = () => 0.5;

describe('Webhook delivery rules (unit)', () => {
  it('retries after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then gives up', () => {
    const waits = DEFAULT_DELIVERY_SCHEDULE_SECONDS.map((_, i) =>
      Math.round(
        (nextAttemptAt({attemptsMade: i + 1, firstAttemptAt: NOW, now: NOW, scheduleSeconds: DEFAULT_DELIVERY_SCHEDULE_SECONDS, random: MIDDLE})!.getTime() -
          NOW.getTime()) /
          1000,
      ),
    );
    expect(waits).to.eql([5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(nextAttemptAt({attemptsMade: 8, firstAttemptAt: NOW, now: NOW, scheduleSeconds: DEFAULT_DELIVERY_SCHEDULE_SECONDS})).to.be.null();
  });

  it('jitters by at most 10 %', () => {
    const at = (random: number) =>
      nextAttemptAt({attemptsMade: 2, firstAttemptAt: NOW, now: NOW, scheduleSeconds: [5, 300], random: () => random})!.getTime() - NOW.getTime();
    expect([at(0), at(1)]).to.eql([270_000, 330_000]);
  });

  it('honours Retry-After beyond the schedule, but not past the schedule window', () => {
    const input = {attemptsMade: 1, firstAttemptAt: NOW, now: NOW, scheduleSeconds: [5, 300], random: MIDDLE};
    expect(nextAttemptAt({...input, retryAfterMs: 60_000})!.getTime() - NOW.getTime()).to.equal(60_000);
    expect(nextAttemptAt({...input, retryAfterMs: 86_400_000})!.getTime() - NOW.getTime()).to.equal(305_000);
    expect(nextAttemptAt({...input, retryAfterMs: 1000})!.getTime() - NOW.getTime()).to.equal(5000);
    expect(parseRetryAfter('120', NOW)).to.equal(120_000);
    expect(parseRetryAfter(new Date(NOW.getTime() + 30_000).toUTCString(), NOW)).to.equal(30_000);
    expect(parseRetryAfter('soon', NOW)).to.be.undefined();
  });

  it('accepts whsec_ keys of 24 to 64 bytes only', () => {
    expect(signingKeyProblem(generateSigningKey())).to.be.null();
    expect(signingKeyProblem(`whsec_${Buffer.alloc(24).toString('base64')}`)).to.be.null();
    expect(signingKeyProblem(`whsec_${Buffer.alloc(64).toString('base64')}`)).to.be.null();
    expect(signingKeyProblem(Buffer.alloc(32).toString('base64'))).to.match(/must start with "whsec_"/);
    expect(signingKeyProblem(`whsec_${Buffer.alloc(23).toString('base64')}`)).to.match(/24 to 64/);
    expect(signingKeyProblem(`whsec_${Buffer.alloc(65).toString('base64')}`)).to.match(/24 to 64/);
    expect(signingKeyProblem('whsec_abc$def')).to.match(/base64/);
  });

  it('signs with every key given, parsing each key once per cache key', () => {
    const [a, b] = [generateSigningKey(), generateSigningKey()];
    let reveals = 0;
    const signer = new StandardWebhookSigner();
    const keys = [
      {cacheKey: 's:2', reveal: () => (reveals++, b)},
      {cacheKey: 's:1', reveal: () => (reveals++, a)},
    ];
    const timestamp = new Date();
    for (let i = 0; i < 3; i++) signer.sign('msg_1', timestamp, '{}', keys);
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': signer.sign('msg_1', timestamp, '{}', keys),
    };
    expect(reveals).to.equal(2);
    new Webhook(a).verify('{}', headers);
    new Webhook(b).verify('{}', headers);
  });

  it('wants https in production', () => {
    expect(() => parseCreateInput({url: 'http://example.com/x', events: '*'}, true)).to.throw(/https in production/);
    expect(parseCreateInput({url: 'https://example.com/x', events: '*'}, true).url.toString()).to.equal('https://example.com/x');
    expect(parseCreateInput({url: 'http://example.com/x', events: '*'}, false).events).to.eql(['*']);
  });
});
