import {inject, lifeCycleObserver, LifeCycleObserver, service} from '@loopback/core';
import {repository} from '@loopback/repository';
import {Client} from 'pg';
import type {EventsConfig, ServiceConfig} from '../../config/service-config';
import {ConfigBindings, LoggingBindings} from '../../keys';
import {describeError, Logger} from '../../logging/logger';
import {DELIVERY_CHANNEL, WebhookDeliveryRepository} from '../../repositories/webhook-delivery.repository';
import {DeliveryAttemptService} from './delivery-attempt.service';

/** A lease outlives the 15 s timeout with room to record the result; a crashed worker's delivery is retried after it. */
const LEASE_SECONDS = 60;

/**
 * Sends due deliveries in every replica: claims them from PostgreSQL (SKIP LOCKED, so replicas share
 * the work), at most `maxConcurrentDeliveries` at once per process. NOTIFY from the fan-out trigger
 * wakes it for new events; a poll finds retries that came due. Nothing is kept only in memory.
 */
@lifeCycleObserver('jobs')
export class WebhookDeliveryWorker implements LifeCycleObserver {
  private readonly config: EventsConfig;
  private readonly inFlight = new Set<Promise<void>>();
  private listener: Client | undefined;
  private connecting = false;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private claiming = false;
  private claimAgain = false;

  constructor(
    @repository(WebhookDeliveryRepository) private readonly deliveries: WebhookDeliveryRepository,
    @service(DeliveryAttemptService) private readonly attempts: DeliveryAttemptService,
    @inject(ConfigBindings.SERVICE_CONFIG) private readonly serviceConfig: ServiceConfig,
    @inject(LoggingBindings.LOGGER) private readonly logger: Logger,
  ) {
    this.config = serviceConfig.events;
  }

  async start(): Promise<void> {
    this.running = true;
    await this.listen();
    this.timer = setInterval(() => {
      if (!this.listener && !this.connecting) void this.listen();
      this.wake();
    }, this.config.pollIntervalMs);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    await this.listener?.end().catch(() => undefined);
    this.listener = undefined;
    await Promise.allSettled([...this.inFlight]);
    this.attempts.close();
  }

  /** Claims as much as there is room for; a call while claiming asks for one more round. */
  wake(): void {
    if (!this.running) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    this.claiming = true;
    void this.claimRounds().finally(() => (this.claiming = false));
  }

  private async claimRounds(): Promise<void> {
    do {
      this.claimAgain = false;
      const room = this.config.maxConcurrentDeliveries - this.inFlight.size;
      if (room <= 0 || !this.running) return;
      try {
        const claimed = await this.deliveries.claim({
          limit: room,
          perSubscription: this.config.perSubscriptionConcurrency,
          orderWaitAttempts: this.config.orderWaitAttempts,
          leaseSeconds: LEASE_SECONDS,
        });
        for (const delivery of claimed) this.track(this.attempts.attempt(delivery));
        if (claimed.length === room) this.claimAgain = true;
      } catch (error) {
        // The database is away: the poll tries again, leases bring back whatever was claimed.
        this.logger.warn('claiming webhook deliveries failed', {error: describeError(error as Error)});
        return;
      }
    } while (this.claimAgain && this.running);
  }

  private track(work: Promise<void>): void {
    const tracked = work
      .catch(error => this.logger.warn('recording a webhook delivery failed; its lease brings it back', {error: describeError(error as Error)}))
      .finally(() => {
        this.inFlight.delete(tracked);
        // A finished delivery may unblock the next event of its meeting, or free room.
        this.wake();
      });
    this.inFlight.add(tracked);
  }

  private async listen(): Promise<void> {
    const db = this.serviceConfig.database;
    const client = new Client({host: db.host, port: db.port, user: db.user, password: db.password, database: db.database, application_name: 'vcs-webhooks'});
    client.on('error', error => {
      this.logger.warn('webhook delivery listener lost its connection; polling until it is back', {error: describeError(error)});
      if (this.listener === client) this.listener = undefined;
      client.end().catch(() => undefined);
    });
    client.on('notification', () => this.wake());
    this.connecting = true;
    try {
      await client.connect();
      await client.query(`LISTEN ${DELIVERY_CHANNEL}`);
      if (!this.running) {
        await client.end();
        return;
      }
      this.listener = client;
    } catch (error) {
      this.logger.warn('webhook delivery listener could not connect; polling meanwhile', {error: describeError(error as Error)});
      await client.end().catch(() => undefined);
    } finally {
      this.connecting = false;
    }
  }
}
