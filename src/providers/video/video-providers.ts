import {ConfigError, ServiceConfig} from '../../config/service-config';
import {ProviderNotConfiguredError} from '../../errors/domain-errors';
import type {Clock} from '../../utils/clock';
import type {VideoProviderRegistration} from './provider-registration';
import type {VideoProvider} from './types';

/**
 * The providers this deployment configured, by name, and the default one for new meetings.
 * Built once at start from every registration; services ask it by the name a meeting stores.
 */
export class VideoProviders {
  private readonly byName = new Map<string, VideoProvider>();
  /** `/webhooks/{path}` → the provider and the kind of callback the path stood for. */
  private readonly byLegacyPath = new Map<string, {provider: VideoProvider; kind: string}>();
  readonly defaultName: string;

  /** `wrap`: applied to each provider built (the metrics' measuring proxy), so every registration gets it alike. */
  constructor(
    registrations: readonly VideoProviderRegistration[],
    config: ServiceConfig,
    clock: Clock,
    wrap: (provider: VideoProvider) => VideoProvider = provider => provider,
  ) {
    this.defaultName = config.video.defaultProvider;
    const known = registrations.map(r => r.name);
    const chosen = registrations.find(r => r.name === this.defaultName);
    if (!chosen) throw new ConfigError('VIDEO_PROVIDER', `names no known provider (known: ${known.join(', ')})`);
    for (const registration of registrations) {
      const created = registration.create(config, clock);
      if (!created) continue;
      const provider = wrap(created);
      this.byName.set(registration.name, provider);
      for (const path of registration.legacyWebhookPaths ?? []) this.byLegacyPath.set(path, {provider, kind: path});
    }
    if (!this.byName.has(this.defaultName)) {
      throw new ConfigError(chosen.requiredVariable, `is required for VIDEO_PROVIDER=${this.defaultName}`);
    }
  }

  /** The default provider (`VIDEO_PROVIDER`). */
  get default(): VideoProvider {
    return this.byName.get(this.defaultName)!;
  }

  /** A meeting's provider; throws when this deployment no longer configures it. */
  get(name: string): VideoProvider {
    const provider = this.byName.get(name);
    if (!provider) throw new ProviderNotConfiguredError(name);
    return provider;
  }

  /**
   * The provider a callback path names (`/webhooks/{provider}[/{kind}]`, or a legacy path a provider
   * owns), with the callback kind; undefined when none (the route then answers 404).
   */
  forWebhookPath(segment: string, kind: string | undefined): {provider: VideoProvider; kind?: string} | undefined {
    const provider = this.byName.get(segment);
    if (provider) return {provider, kind};
    return kind === undefined ? this.byLegacyPath.get(segment) : undefined;
  }

  all(): VideoProvider[] {
    return [...this.byName.values()];
  }

  /**
   * Bound as a life-cycle observer: resolving it at start builds the providers, so one that cannot
   * be configured stops the start naming its variable; stopping releases what they hold
   * (token signing threads) once requests and jobs have stopped.
   */
  start(): void {}

  async stop(): Promise<void> {
    await Promise.all(this.all().map(async provider => provider.close?.()));
  }
}
