import type {Registry} from 'prom-client';
import type {VideoEvent} from '../providers/video/video-event';
import {CounterChild, FastCounter} from './fast-metrics';

/**
 * Why a callback was refused: `signature` (unsigned, forged, another application's), `stale` (signed outside the
 * tolerance window), `unparseable` (signed, but not a body the provider sends), `unstorable` (a value the database
 * cannot keep; recorded as rejected and answered 2xx so the provider stops resending).
 */
export type CallbackRejection = 'signature' | 'stale' | 'unparseable' | 'unstorable';

/** Callbacks by provider: verified events by neutral event type, rejections by reason, duplicates. */
export class CallbackMetrics {
  private readonly received: FastCounter<'provider' | 'event'>;
  private readonly duplicates: FastCounter<'provider' | 'event'>;
  private readonly rejected: FastCounter<'provider' | 'reason'>;
  /** Children by provider, then event type: label values are the neutral types, never what the body says. */
  private readonly byProvider = new Map<string, Map<VideoEvent['type'], {received: CounterChild; duplicates: CounterChild}>>();

  constructor(registry: Registry) {
    this.received = new FastCounter(
      'vcs_callbacks_received_total',
      'Verified provider callback events, by provider and neutral event type',
      ['provider', 'event'],
      registry,
    );
    this.duplicates = new FastCounter(
      'vcs_callbacks_duplicates_total',
      'Callback events already received once (redeliveries), by provider and event type',
      ['provider', 'event'],
      registry,
    );
    this.rejected = new FastCounter('vcs_callbacks_rejected_total', 'Provider callbacks refused, by provider and reason', ['provider', 'reason'], registry);
  }

  /** Creates every provider's series at start, so they read 0 before the first callback. */
  prepare(providers: readonly string[], events: readonly VideoEvent['type'][], reasons: readonly CallbackRejection[]): void {
    for (const provider of providers) {
      for (const event of events) this.eventSeries(provider, event);
      for (const reason of reasons) this.rejected.child({provider, reason});
    }
  }

  eventReceived(provider: string, event: VideoEvent['type']): void {
    this.eventSeries(provider, event).received.value++;
  }

  duplicate(provider: string, event: VideoEvent['type']): void {
    this.eventSeries(provider, event).duplicates.value++;
  }

  rejectedFor(provider: string, reason: CallbackRejection): void {
    this.rejected.child({provider, reason}).value++;
  }

  private eventSeries(provider: string, event: VideoEvent['type']): {received: CounterChild; duplicates: CounterChild} {
    let byEvent = this.byProvider.get(provider);
    if (!byEvent) this.byProvider.set(provider, (byEvent = new Map()));
    let series = byEvent.get(event);
    if (!series) {
      series = {received: this.received.child({provider, event}), duplicates: this.duplicates.child({provider, event})};
      byEvent.set(event, series);
    }
    return series;
  }
}
