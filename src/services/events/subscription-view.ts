import type {StoredSubscription} from '../../repositories/webhook-subscription.repository';

/** A subscription as every response shows it: never its signing key. */
export interface SubscriptionView {
  id: string;
  url: string;
  events: string[];
  signingAlgo: string;
  metadataPolicy: string;
  status: string;
  description: string | null;
  expireAt: Date;
  purgeAt: Date;
  renewedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  statistics: {totalAttempts: number; totalSuccesses: number; totalFailures: number; failed: boolean};
}

/** The create and rotate responses: the one place the key is shown. */
export type SubscriptionWithKey = SubscriptionView & {signingKey: string};

export function toSubscriptionView(s: StoredSubscription): SubscriptionView {
  return {
    id: s.id,
    url: s.url,
    events: s.events,
    signingAlgo: s.signingAlgo,
    metadataPolicy: s.metadataPolicy,
    status: s.status,
    description: s.description,
    expireAt: s.expireAt,
    purgeAt: s.purgeAt,
    renewedAt: s.renewedAt,
    createdAt: s.createdOn,
    updatedAt: s.modifiedOn,
    statistics: {totalAttempts: s.totalAttempts, totalSuccesses: s.totalSuccesses, totalFailures: s.totalFailures, failed: s.failed},
  };
}

/** What the audit log keeps of a subscription: the view without statistics, never a key. */
export function toAuditRecord(s: StoredSubscription): object {
  return {
    url: s.url,
    events: s.events,
    metadataPolicy: s.metadataPolicy,
    status: s.status,
    description: s.description,
    expireAt: s.expireAt,
    keyVersion: s.keyVersion,
  };
}
