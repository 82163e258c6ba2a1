/** How long Vonage takes for what happens after the fact; tests shorten it. */
export interface EmulatorTiming {
  /** From `stopped` to `uploaded`/`available`: Vonage answers the stop call long before the file is ready. */
  archiveProcessingMs: number;
  /** A recording stops on its own this long after the last client left (Vonage: 60 s, provider-facts §A6). */
  archiveIdleStopMs: number;
  /** `sessionDestroyed` this long after the last client left (not documented by Vonage: chosen equal to the archive's). */
  sessionDestroyMs: number;
}

export const VONAGE_TIMING: Readonly<EmulatorTiming> = {archiveProcessingMs: 1000, archiveIdleStopMs: 60_000, sessionDestroyMs: 60_000};

/**
 * Work the emulator does on its own after it has answered: timers per session
 * (cancelled when a client comes back) and the work they start. Failures are
 * logged, never thrown: nobody is waiting for them but `settled()`.
 */
export class Background {
  private readonly timers = new Map<string, Set<NodeJS.Timeout>>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: (message: string, fields?: object) => void) {}

  run(work: () => Promise<void>): Promise<void> {
    const promise = (async () => work())().catch(error => this.log('emulator background work failed', {error: (error as Error).message}));
    this.running.add(promise);
    void promise.finally(() => this.running.delete(promise));
    return promise;
  }

  after(key: string, delayMs: number, work: () => Promise<void>): void {
    const timers = this.timers.get(key) ?? new Set<NodeJS.Timeout>();
    this.timers.set(key, timers);
    const timer = setTimeout(() => {
      this.forget(key, timer);
      void this.run(work);
    }, delayMs);
    // A pending session end must not keep a process alive.
    timer.unref();
    timers.add(timer);
  }

  cancel(key: string): void {
    for (const timer of this.timers.get(key) ?? []) clearTimeout(timer);
    this.timers.delete(key);
  }

  cancelAll(): void {
    for (const key of [...this.timers.keys()]) this.cancel(key);
  }

  /** Resolves once no timer is armed and no work runs. */
  async settled(): Promise<void> {
    while (this.running.size > 0 || this.timers.size > 0) {
      await Promise.race([...this.running, new Promise(resolve => setTimeout(resolve, 10))]);
    }
  }

  private forget(key: string, timer: NodeJS.Timeout): void {
    const timers = this.timers.get(key);
    timers?.delete(timer);
    if (timers?.size === 0) this.timers.delete(key);
  }
}
