import type {Registry} from 'prom-client';
import type {VideoProvider} from '../providers/video/types';
import {VideoProviderError} from '../providers/video/video-provider.error';
import {CounterChild, FastCounter, FastHistogram, HistogramChild, LATENCY_BUCKETS_SECONDS} from './fast-metrics';

type Method<T> = {[K in keyof T]-?: NonNullable<T[K]> extends (...args: never[]) => unknown ? K : never}[keyof T];

/**
 * The contract's operations that are measured: every method but `parseWebhook` (its verdicts are the callback
 * metrics) and `close`. A `Record`, so a method added to the contract does not compile until it is listed here.
 */
export type ProviderOperation = Exclude<Method<VideoProvider>, 'parseWebhook' | 'close'>;
const OPERATIONS: Record<ProviderOperation, true> = {
  createSession: true,
  endSession: true,
  issueJoinCredentials: true,
  listParticipants: true,
  listArchives: true,
  getArchive: true,
  deleteArchive: true,
  applyStorageTarget: true,
  startRecording: true,
  stopRecording: true,
  pauseRecording: true,
  resumeRecording: true,
  setRecordingLayout: true,
  removeParticipant: true,
  muteAll: true,
  muteParticipants: true,
  signal: true,
};
export const PROVIDER_OPERATIONS = Object.keys(OPERATIONS) as ProviderOperation[];

/** `ok`, a neutral `VideoProviderError` code in lower case without its prefix (`unavailable`, `not_found`, …), or `error`. */
export function providerOutcome(error?: unknown): string {
  if (error === undefined) return 'ok';
  return error instanceof VideoProviderError ? error.code.replace(/^PROVIDER_/, '').toLowerCase() : 'error';
}

type Label = 'provider' | 'operation' | 'outcome';

export class ProviderMetrics {
  private readonly calls: FastCounter<Label>;
  private readonly durations: FastHistogram<Label>;

  constructor(registry: Registry) {
    this.calls = new FastCounter(
      'vcs_provider_calls_total',
      'Calls to a video provider, by provider, operation and outcome',
      ['provider', 'operation', 'outcome'],
      registry,
    );
    this.durations = new FastHistogram(
      'vcs_provider_call_duration_seconds',
      'Duration of calls to a video provider, by provider, operation and outcome',
      ['provider', 'operation', 'outcome'],
      registry,
      LATENCY_BUCKETS_SECONDS,
    );
  }

  series(provider: string, operation: string, outcome: string): {calls: CounterChild; durations: HistogramChild} {
    const labels = {provider, operation, outcome};
    return {calls: this.calls.child(labels), durations: this.durations.child(labels)};
  }
}

/**
 * The provider as services see it: each contract operation counted and timed, everything else passed through.
 * A proxy rather than a subclass, so every provider registered at the extension point is measured as it is,
 * and a getter or private field of the provider still sees the provider itself.
 */
export function measuredProvider(provider: VideoProvider, metrics: ProviderMetrics): VideoProvider {
  const replaced = new Map<PropertyKey, unknown>();
  // An optional operation the provider lacks stays absent: services test for it.
  for (const operation of PROVIDER_OPERATIONS) if (typeof provider[operation] === 'function') replaced.set(operation, measure(provider, operation, metrics));
  return new Proxy(provider, {
    get(target, key) {
      const own = replaced.get(key);
      if (own !== undefined) return own;
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(target);
      replaced.set(key, bound);
      return bound;
    },
  });
}

function measure(provider: VideoProvider, operation: ProviderOperation, metrics: ProviderMetrics): (...args: unknown[]) => Promise<unknown> {
  const original = provider[operation] as (...args: unknown[]) => Promise<unknown>;
  const ok = metrics.series(provider.name, operation, 'ok');
  return async (...args: unknown[]) => {
    const startedAt = performance.now();
    try {
      const result = await original.apply(provider, args);
      ok.calls.value++;
      ok.durations.observe((performance.now() - startedAt) / 1000);
      return result;
    } catch (error) {
      const failed = metrics.series(provider.name, operation, providerOutcome(error));
      failed.calls.value++;
      failed.durations.observe((performance.now() - startedAt) / 1000);
      throw error;
    }
  };
}
