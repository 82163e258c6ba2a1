import {Component, Constructor, createBindingFromClass} from '@loopback/core';
import type {JobHandler} from '../jobs/job-handler';
import {JobsObserver} from '../jobs/jobs.observer';
import {JobBindings} from '../keys';
import {ArchivePurgeHandler} from './archives/archive-purge.job';
import {ArchiveReconcileHandler} from './archives/archive-reconcile.job';
import {MeetingLimitsHandler} from './meetings/meeting-limits.job';
import {MeetingTeardownHandler} from './meetings/meeting-teardown.job';
import {CallbackPruneHandler} from './presence/callback-prune.job';
import {PresenceReconcileHandler} from './presence/presence-reconcile.job';
import {EventPruneHandler} from './events/event-prune.job';
import {SubscriptionPurgeHandler} from './events/subscription-purge.job';

/** The one list of the service's jobs: a new job is a handler class and a line here. */
export const JOB_HANDLERS: Constructor<JobHandler>[] = [
  MeetingTeardownHandler,
  MeetingLimitsHandler,
  ArchivePurgeHandler,
  ArchiveReconcileHandler,
  CallbackPruneHandler,
  EventPruneHandler,
  SubscriptionPurgeHandler,
  PresenceReconcileHandler,
];

/** The jobs observer and every handler; the job queue itself is bound with the other dependencies. */
export class JobsComponent implements Component {
  lifeCycleObservers = [JobsObserver];
  bindings = JOB_HANDLERS.map(handler => createBindingFromClass(handler, {key: JobBindings.handler(handler.name)}));
}
