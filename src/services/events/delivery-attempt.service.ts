import {BindingScope, inject, injectable} from '@loopback/core';
import {repository} from '@loopback/repository';
import type {EventsConfig, ServiceConfig} from '../../config/service-config';
import type {SecretBox} from '../../crypto/secret-box';
import {ConfigBindings, MetricsBindings, OutboundBindings, StorageBindings, UtilBindings} from '../../keys';
import type {ServiceMetrics} from '../../metrics/service-metrics';
import type {OutboundGuard} from '../../outbound/outbound-guard';
import {ClaimedDelivery, WebhookDeliveryRepository} from '../../repositories/webhook-delivery.repository';
import {SigningKeySource, StandardWebhookSigner} from '../../signing/standard-webhook.signer';
import type {Clock} from '../../utils/clock';
import {deliveryMessage} from './delivery-payload';
import {nextAttemptAt, parseRetryAfter} from './retry-schedule';
import {WebhookSender} from './webhook-sender';

/** One attempt of one claimed delivery: sign, send, and record what came of it. */
@injectable({scope: BindingScope.SINGLETON})
export class DeliveryAttemptService {
  private readonly signer = new StandardWebhookSigner();
  private readonly sender: WebhookSender;
  private readonly config: EventsConfig;

  constructor(
    @repository(WebhookDeliveryRepository) private readonly deliveries: WebhookDeliveryRepository,
    @inject(StorageBindings.SECRET_BOX, {optional: true}) private readonly secretBox: SecretBox | undefined,
    @inject(OutboundBindings.GUARD) guard: OutboundGuard,
    @inject(UtilBindings.CLOCK) private readonly clock: Clock,
    @inject(ConfigBindings.SERVICE_CONFIG) config: ServiceConfig,
    @inject(MetricsBindings.METRICS) private readonly metrics: ServiceMetrics,
  ) {
    this.config = config.events;
    this.sender = new WebhookSender(guard, this.config.deliveryTimeoutMs);
  }

  async attempt(delivery: ClaimedDelivery): Promise<void> {
    const {body, headers} = deliveryMessage(delivery);
    const signedAt = this.clock.now();
    const signature = this.signer.sign(delivery.eventId, signedAt, body, this.keysOf(delivery));
    const result = await this.sender.send(delivery.url, body, {
      ...headers,
      'webhook-id': delivery.eventId,
      'webhook-timestamp': String(Math.floor(signedAt.getTime() / 1000)),
      'webhook-signature': signature,
    });
    const succeeded = result.error === null;
    const gone = result.statusCode === 410;
    const now = this.clock.now();
    const retryAt =
      succeeded || gone
        ? null
        : nextAttemptAt({
            attemptsMade: delivery.attempt,
            firstAttemptAt: delivery.firstAttemptAt,
            now,
            scheduleSeconds: this.config.deliveryScheduleSeconds,
            retryAfterMs: parseRetryAfter(result.retryAfter, now),
          });
    this.metrics.deliveries.attempt(succeeded ? 'succeeded' : gone ? 'gone' : retryAt ? 'retry' : 'failed');
    await this.deliveries.record({
      deliveryId: delivery.deliveryId,
      succeeded,
      statusCode: result.statusCode,
      durationMs: result.durationMs,
      error: result.error,
      nextAttemptAt: retryAt,
      gone,
      disableAfterFailingMs: this.config.disableAfterFailingMs,
    });
  }

  close(): void {
    this.sender.close();
  }

  /** The current key, and the previous one during a rotation's overlap; each parsed once per process. */
  private keysOf(delivery: ClaimedDelivery): SigningKeySource[] {
    const box = this.secretBox;
    // Without the key nothing can be signed: the attempt fails and its lease brings it back once configured.
    if (!box) throw new Error('STORAGE_ENCRYPTION_KEY is not configured: webhook signing keys cannot be opened');
    const keys: SigningKeySource[] = [{cacheKey: `${delivery.subscriptionId}:${delivery.keyVersion}`, reveal: () => box.open<string>(delivery.keyCiphertext)}];
    const previous = delivery.previousKeyCiphertext;
    if (previous) keys.push({cacheKey: `${delivery.subscriptionId}:${delivery.keyVersion - 1}`, reveal: () => box.open<string>(previous)});
    return keys;
  }
}
