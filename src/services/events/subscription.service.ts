import {BindingScope, inject, injectable} from '@loopback/core';
import {repository} from '@loopback/repository';
import type {CallerProfile} from '../../auth/bearer-token.verifier';
import type {ServiceConfig} from '../../config/service-config';
import type {SecretBox} from '../../crypto/secret-box';
import {DependencyUnavailableError, SubscriptionNotFoundError, ValidationError} from '../../errors/domain-errors';
import {ConfigBindings, OutboundBindings, RepositoryBindings, StorageBindings, UtilBindings} from '../../keys';
import type {OutboundGuard} from '../../outbound/outbound-guard';
import {AuditLogRepository} from '../../repositories/audit-log.repository';
import type {Transaction, TransactionRunner} from '../../repositories/transaction';
import {WebhookDeliveryRepository} from '../../repositories/webhook-delivery.repository';
import {StoredSubscription, WebhookSubscriptionRepository} from '../../repositories/webhook-subscription.repository';
import {generateSigningKey} from '../../signing/standard-webhook.signer';
import type {Clock} from '../../utils/clock';
import {parseCreateInput, parsePatchInput, parseRenewInput, parseRotateInput} from './subscription-input';
import {isUuid, tenantOf} from './event-scope';
import {SubscriptionView, SubscriptionWithKey, toAuditRecord, toSubscriptionView} from './subscription-view';

const DAY_MS = 86_400_000;
const DEFAULT_LIFETIME_DAYS = 30;
const MAX_LIFETIME_DAYS = 365;
/** A subscription and its log stay this long after it expired, so a late renew still finds them. */
const PURGE_AFTER_EXPIRY_DAYS = 30;

/** Webhook subscriptions of the caller's tenant; every change is audited, keys are sealed and shown once. */
@injectable({scope: BindingScope.SINGLETON})
export class SubscriptionService {
  constructor(
    @repository(WebhookSubscriptionRepository) private readonly subscriptions: WebhookSubscriptionRepository,
    @repository(WebhookDeliveryRepository) private readonly deliveries: WebhookDeliveryRepository,
    @repository(AuditLogRepository) private readonly audit: AuditLogRepository,
    @inject(RepositoryBindings.TRANSACTIONS) private readonly transactions: TransactionRunner,
    @inject(StorageBindings.SECRET_BOX, {optional: true}) private readonly box: SecretBox | undefined,
    @inject(OutboundBindings.GUARD) private readonly outbound: OutboundGuard,
    @inject(UtilBindings.CLOCK) private readonly clock: Clock,
    @inject(ConfigBindings.SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async create(body: unknown, caller: CallerProfile): Promise<SubscriptionWithKey> {
    const input = parseCreateInput(body, this.config.isProduction);
    await this.outbound.checkUrl(input.url);
    const expireAt = this.expiry(input.expireAt);
    const signingKey = input.signingKey ?? generateSigningKey();
    return this.transactions.run(async tx => {
      const created = await this.subscriptions.create(
        {
          tenant: tenantOf(caller),
          url: input.url.toString(),
          events: input.events,
          signingAlgo: input.signingAlgo,
          keyCiphertext: this.secretBox().seal(signingKey),
          metadataPolicy: input.metadataPolicy,
          description: input.description,
          expireAt,
          purgeAt: purgeAfter(expireAt),
          createdBy: caller.id,
        },
        tx,
      );
      await this.record(tx, caller, 'webhook-subscription.create', created.id, undefined, created);
      return {...toSubscriptionView(created), signingKey};
    });
  }

  async list(caller: CallerProfile, page: {limit: number; offset: number}): Promise<{count: number; items: SubscriptionView[]}> {
    const found = await this.subscriptions.list(tenantOf(caller), page);
    return {count: found.count, items: found.items.map(toSubscriptionView)};
  }

  async get(id: string, caller: CallerProfile): Promise<SubscriptionView> {
    return toSubscriptionView(await this.require(id, caller));
  }

  /** Re-activating a paused subscription queues what it missed while paused (within retention), oldest first. */
  async update(id: string, body: unknown, caller: CallerProfile): Promise<SubscriptionView> {
    const {parsedUrl, ...changes} = parsePatchInput(body, this.config.isProduction);
    if (parsedUrl) await this.outbound.checkUrl(parsedUrl);
    return this.transactions.run(async tx => {
      const before = await this.require(id, caller, tx);
      const after = await this.subscriptions.update(id, changes, tx);
      if (before.status === 'PAUSED' && after.status === 'ACTIVE' && before.pausedAt) {
        await this.deliveries.catchUp(id, before.pausedAt, tx);
      }
      await this.record(tx, caller, 'webhook-subscription.edit', id, before, after);
      return toSubscriptionView(after);
    });
  }

  async delete(id: string, caller: CallerProfile): Promise<void> {
    await this.transactions.run(async tx => {
      const before = await this.require(id, caller, tx);
      await this.subscriptions.delete(id, tx);
      await this.record(tx, caller, 'webhook-subscription.delete', id, before, undefined);
    });
  }

  async renew(id: string, body: unknown, caller: CallerProfile): Promise<SubscriptionView> {
    const expireAt = this.expiry(parseRenewInput(body));
    return this.transactions.run(async tx => {
      const before = await this.require(id, caller, tx);
      const after = await this.subscriptions.renew(id, expireAt, purgeAfter(expireAt), tx);
      await this.record(tx, caller, 'webhook-subscription.renew', id, before, after);
      return toSubscriptionView(after);
    });
  }

  /** A new key, returned once; the previous one keeps signing beside it for the overlap (24 h). */
  async rotateKey(id: string, body: unknown, caller: CallerProfile): Promise<SubscriptionWithKey> {
    const signingKey = parseRotateInput(body) ?? generateSigningKey();
    const overlapUntil = new Date(this.clock.now().getTime() + this.config.events.keyOverlapMs);
    return this.transactions.run(async tx => {
      const before = await this.require(id, caller, tx);
      const after = await this.subscriptions.rotateKey(id, this.secretBox().seal(signingKey), overlapUntil, tx);
      await this.record(tx, caller, 'webhook-subscription.rotate-key', id, before, after);
      return {...toSubscriptionView(after), signingKey};
    });
  }

  /** The subscription of the caller's tenant, locked for update inside `tx`; 404 for any other. */
  async require(id: string, caller: CallerProfile, tx?: Transaction): Promise<StoredSubscription> {
    const found = isUuid(id) ? await this.subscriptions.find(id, tenantOf(caller), tx) : null;
    if (!found) throw new SubscriptionNotFoundError(id);
    return found;
  }

  /** Keys are sealed with STORAGE_ENCRYPTION_KEY (required in production, generated in local mode). */
  private secretBox(): SecretBox {
    if (!this.box) throw new DependencyUnavailableError('Webhook subscriptions need STORAGE_ENCRYPTION_KEY to keep their signing keys encrypted');
    return this.box;
  }

  private expiry(requested: Date | undefined): Date {
    const now = this.clock.now().getTime();
    if (!requested) return new Date(now + DEFAULT_LIFETIME_DAYS * DAY_MS);
    if (requested.getTime() <= now) throw new ValidationError('expireAt must be in the future');
    if (requested.getTime() > now + MAX_LIFETIME_DAYS * DAY_MS) throw new ValidationError(`expireAt must be at most ${MAX_LIFETIME_DAYS} days ahead`);
    return requested;
  }

  private async record(tx: Transaction, caller: CallerProfile, action: string, id: string, before?: StoredSubscription, after?: StoredSubscription) {
    await this.audit.record(
      {
        actor: caller.id,
        action,
        entityType: 'webhook-subscription',
        entityId: id,
        before: before && toAuditRecord(before),
        after: after && toAuditRecord(after),
      },
      tx,
    );
  }
}

function purgeAfter(expireAt: Date): Date {
  return new Date(expireAt.getTime() + PURGE_AFTER_EXPIRY_DAYS * DAY_MS);
}
