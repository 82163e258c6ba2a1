import {BindingScope, inject, injectable} from '@loopback/core';
import {repository} from '@loopback/repository';
import type {ServiceConfig} from '../../config/service-config';
import type {SecretBox} from '../../crypto/secret-box';
import {DependencyUnavailableError, StorageTargetNotFoundError, ValidationError} from '../../errors/domain-errors';
import {ConfigBindings, RepositoryBindings, StorageBindings, VideoBindings} from '../../keys';
import type {ArchiveStorage, ArchiveStorageFactory, StorageTargetConfig} from '../../providers/storage/types';
import type {ProviderStorageTarget, StorageTargetApplyResult} from '../../providers/video/types';
import type {VideoProviders} from '../../providers/video/video-providers';
import {AuditLogRepository} from '../../repositories/audit-log.repository';
import {OutboxRepository} from '../../repositories/outbox.repository';
import {StorageTargetRepository, StoredStorageTarget} from '../../repositories/storage-target.repository';
import type {TransactionRunner} from '../../repositories/transaction';
import type {ArchiveLocation} from '../../repositories/archive.repository';
import {storageConfigAt} from './archive-location';
import {StorageTargetInput, toStorageTargetConfig} from './storage-target-input';

/** Adapters kept for reuse: one per target version and place archives are read from. */
const MAX_CACHED_ADAPTERS = 16;

/** The target as shown to callers: never a secret. */
export interface StorageTargetView {
  type: 's3' | 'azure';
  bucket?: string;
  region?: string;
  container?: string;
  accountName?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  fallback: string;
  providerApplied: boolean;
  modifiedOn?: string;
}

export interface StorageTargetSaved {
  target: StorageTargetView;
  /** Set when the provider has no API for it and the target must be set in its console. */
  notice?: string;
}

/** Probes, stores (credentials encrypted) and applies the archive upload target. */
@injectable({scope: BindingScope.SINGLETON})
export class StorageTargetService {
  private readonly adapters = new Map<string, ArchiveStorage>();

  constructor(
    @repository(StorageTargetRepository) private readonly targets: StorageTargetRepository,
    @repository(AuditLogRepository) private readonly audit: AuditLogRepository,
    @inject(VideoBindings.PROVIDERS) private readonly providers: VideoProviders,
    @repository(OutboxRepository) private readonly outbox: OutboxRepository,
    @inject(StorageBindings.STORAGE_FACTORY) private readonly storageFactory: ArchiveStorageFactory,
    @inject(StorageBindings.SECRET_BOX) private readonly secretBox: SecretBox,
    @inject(ConfigBindings.SERVICE_CONFIG) private readonly config: ServiceConfig,
    @inject(RepositoryBindings.TRANSACTIONS) private readonly transactions: TransactionRunner,
  ) {}

  /** Nothing is stored unless the probe and the provider both accept the target. */
  async set(input: StorageTargetInput, actor: string): Promise<StorageTargetSaved> {
    const target = toStorageTargetConfig(input, this.config.storage);
    this.checkStorageKinds(target.type);
    await this.storageFactory(target).probe();
    const applied = await this.applyAtProviders(toProviderTarget(target));
    const stored = toStored(target, this.secretBox, applied.applied, actor);
    const view = toView({...stored, modifiedOn: new Date()});
    // The change, its audit row and its event commit together or not at all.
    await this.transactions.run(async tx => {
      await this.targets.save(stored, tx);
      await this.audit.record({actor, action: 'storage-target.set', entityType: 'storage-target', entityId: 'default', after: view}, tx);
      await this.outbox.record(tx, {type: 'storage_target.updated', meetingId: null, actor, data: {type: view.type, providerApplied: view.providerApplied}});
    });
    await this.targets.pruneSuperseded();
    return applied.applied ? {target: view} : {target: view, notice: applied.notice};
  }

  /** One target serves every configured provider: a kind one of them cannot upload to is refused before anything is probed. */
  private checkStorageKinds(kind: StorageTargetConfig['type']): void {
    const unable = this.providers.all().filter(provider => !provider.capabilities.storageKinds.includes(kind));
    if (unable.length === 0) return;
    const limits = unable.map(
      provider => `"${provider.name}" uploads recordings only to ${provider.capabilities.storageKinds.join(' or ') || 'its own storage'}`,
    );
    throw new ValidationError(`A storage target of type "${kind}" cannot serve every meeting of this deployment: the video provider ${limits.join('; ')}`);
  }

  async get(): Promise<StorageTargetView> {
    const stored = await this.targets.get();
    if (!stored) throw new StorageTargetNotFoundError();
    return toView(stored);
  }

  async remove(actor: string): Promise<void> {
    const stored = await this.targets.get();
    if (!stored) throw new StorageTargetNotFoundError();
    if (stored.providerApplied) await this.applyAtProviders(null);
    await this.transactions.run(async tx => {
      await this.targets.remove(tx);
      await this.audit.record({actor, action: 'storage-target.remove', entityType: 'storage-target', entityId: 'default', before: toView(stored)}, tx);
      await this.outbox.record(tx, {type: 'storage_target.updated', meetingId: null, actor, data: {removed: true}});
    });
    await this.targets.pruneSuperseded();
  }

  /**
   * The target goes to every configured provider (one storage target per deployment); the first
   * that cannot take it by API says where to set it instead.
   */
  private async applyAtProviders(target: ProviderStorageTarget | null): Promise<StorageTargetApplyResult> {
    let result: StorageTargetApplyResult = {applied: true};
    for (const provider of this.providers.all()) {
      const applied = await provider.applyStorageTarget(target);
      if (!applied.applied && result.applied) result = applied;
    }
    return result;
  }

  /**
   * An adapter that reaches an uploaded archive where it lies, with the credentials of the target
   * version current at its upload (kept while archives refer to it); null when we hold none.
   * Decryption and the SDK client are reused while the sealed credentials and the place are the
   * same (every save seals them afresh).
   */
  async storageAt(location: ArchiveLocation): Promise<ArchiveStorage | null> {
    if (location.targetId === null) return null;
    const stored = await this.targets.findById(location.targetId);
    if (!stored) return null;
    const cacheKey = JSON.stringify([stored.secretsCiphertext, location]);
    let storage = this.adapters.get(cacheKey);
    if (!storage) {
      storage = this.storageFactory(storageConfigAt(location, stored, this.unseal(stored)));
      // A handful of target versions at most are live; the oldest adapter goes first.
      if (this.adapters.size >= MAX_CACHED_ADAPTERS) this.adapters.delete(this.adapters.keys().next().value!);
      this.adapters.set(cacheKey, storage);
    }
    return storage;
  }

  /** Forgets superseded target versions (and their credentials) no archive needs any more. */
  async pruneSuperseded(): Promise<void> {
    await this.targets.pruneSuperseded();
  }

  private unseal(stored: StoredStorageTarget): Record<string, string> {
    try {
      return this.secretBox.open<Record<string, string>>(stored.secretsCiphertext);
    } catch (error) {
      throw new DependencyUnavailableError('The stored storage credentials cannot be decrypted: check STORAGE_ENCRYPTION_KEY', {cause: error});
    }
  }
}

function toProviderTarget(target: StorageTargetConfig): ProviderStorageTarget {
  const fallback = target.fallback;
  if (target.type === 's3') {
    return {type: 's3', bucket: target.bucket, accessKey: target.accessKey, secretKey: target.secretKey, endpoint: target.endpoint, fallback};
  }
  return {type: 'azure', accountName: target.accountName, accountKey: target.accountKey, container: target.container, domain: target.endpoint, fallback};
}

function toStored(target: StorageTargetConfig, box: SecretBox, providerApplied: boolean, actor: string): Omit<StoredStorageTarget, 'id' | 'modifiedOn'> {
  if (target.type === 's3') {
    const {accessKey, secretKey, ...settings} = target;
    return {type: 's3', settings, secretsCiphertext: box.seal({accessKey, secretKey}), fallback: target.fallback, providerApplied, modifiedBy: actor};
  }
  const {accountKey, ...settings} = target;
  return {type: 'azure', settings, secretsCiphertext: box.seal({accountKey}), fallback: target.fallback, providerApplied, modifiedBy: actor};
}

function toView(stored: Omit<StoredStorageTarget, 'id'>): StorageTargetView {
  const s = stored.settings as Record<string, string | boolean | undefined>;
  const view: StorageTargetView = {
    type: stored.type,
    fallback: stored.fallback,
    providerApplied: stored.providerApplied,
    modifiedOn: stored.modifiedOn.toISOString(),
  };
  for (const key of ['bucket', 'region', 'container', 'accountName', 'endpoint', 'forcePathStyle'] as const) {
    if (s[key] !== undefined) (view as unknown as Record<string, unknown>)[key] = s[key];
  }
  return view;
}
