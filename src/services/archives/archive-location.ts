import type {StorageTargetConfig} from '../../providers/storage/types';
import type {ArchiveLocation} from '../../repositories/archive.repository';
import type {StoredStorageTarget} from '../../repositories/storage-target.repository';

/** Where the provider uploads while `target` is current. */
export function uploadLocationOf(target: StoredStorageTarget): ArchiveLocation {
  const s = target.settings as Record<string, string | undefined>;
  return {
    kind: target.type,
    container: (target.type === 's3' ? s.bucket : s.container) ?? '',
    endpoint: s.endpoint ?? null,
    region: target.type === 's3' ? (s.region ?? null) : null,
    account: target.type === 'azure' ? (s.accountName ?? null) : null,
    targetId: target.id,
  };
}

/**
 * An adapter config that reaches `location` with the credentials of the target version it was
 * uploaded under: the recorded place wins over the version's settings (they agree unless the
 * location was filled in by the migration from the then-current target).
 */
export function storageConfigAt(location: ArchiveLocation, target: StoredStorageTarget, secrets: Record<string, string>): StorageTargetConfig {
  const base = {...target.settings, ...secrets, type: location.kind, fallback: target.fallback} as Record<string, unknown>;
  const endpoint = location.endpoint ?? undefined;
  if (location.kind === 's3') {
    return {...base, bucket: location.container, endpoint, region: location.region ?? base.region} as StorageTargetConfig;
  }
  return {...base, container: location.container, endpoint, accountName: location.account ?? base.accountName} as StorageTargetConfig;
}
