import {CoreBindings, inject} from '@loopback/core';
import {repository} from '@loopback/repository';
import type {Application} from '@loopback/core';
import {HealthRepository} from '../repositories/health.repository';

/** Why the service is or is not ready; `/ready` answers 200 only for `ready`. */
export type ReadinessStatus = 'ready' | 'starting' | 'draining' | 'database-unreachable';

/** How long one database answer stands for every `/ready` after it, so probes never add load of their own. */
export const READINESS_CACHE_MS = 1000;
/** A database slower than this to answer `SELECT 1` counts as unreachable. */
export const READINESS_DB_TIMEOUT_MS = 1000;

/**
 * Whether a load balancer should send this replica traffic. Not while the application is starting, not once a
 * SIGTERM has started the drain (requests still being served meanwhile), not while the database does not answer.
 * `/health` keeps its own meaning: the process and its database answer.
 */
export class Readiness {
  private draining = false;
  private lastCheck?: {at: number; reachable: boolean};
  private checking?: Promise<boolean>;

  constructor(
    @repository(HealthRepository) private readonly database: HealthRepository,
    @inject(CoreBindings.APPLICATION_INSTANCE) private readonly app: Application,
  ) {}

  /** From now on `/ready` answers 503: the listener stays open for the requests still coming in. */
  startDraining(): void {
    this.draining = true;
  }

  async status(): Promise<ReadinessStatus> {
    if (this.draining) return 'draining';
    if (this.app.state !== 'started') return 'starting';
    return (await this.databaseReachable()) ? 'ready' : 'database-unreachable';
  }

  /** One `SELECT 1` per READINESS_CACHE_MS at most, shared by concurrent probes. */
  private databaseReachable(): Promise<boolean> {
    const now = Date.now();
    if (this.lastCheck && now - this.lastCheck.at < READINESS_CACHE_MS) return Promise.resolve(this.lastCheck.reachable);
    this.checking ??= this.ping().then(reachable => {
      this.lastCheck = {at: Date.now(), reachable};
      this.checking = undefined;
      return reachable;
    });
    return this.checking;
  }

  private async ping(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>(resolve => (timer = setTimeout(() => resolve(false), READINESS_DB_TIMEOUT_MS)));
    try {
      return await Promise.race([this.database.ping().then(() => true), timeout]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
