import {Component, Constructor, createBindingFromClass} from '@loopback/core';
import {JobBindings} from '../keys';
import {ArchivePurgeHandler} from './handlers/archive-purge.job';
import {ArchiveReconcileHandler} from './handlers/archive-reconcile.job';
import {CallbackPruneHandler} from './handlers/callback-prune.job';
import {MeetingTeardownHandler} from './handlers/meeting-teardown.job';
import type {JobHandler} from './job-handler';
import {JobsObserver} from './jobs.observer';

/** The one list of the service's jobs: a new job is a handler class and a line here. */
export const JOB_HANDLERS: Constructor<JobHandler>[] = [MeetingTeardownHandler, ArchivePurgeHandler, ArchiveReconcileHandler, CallbackPruneHandler];

/** The jobs observer and every handler; the job queue itself is bound with the other dependencies. */
export class JobsComponent implements Component {
  lifeCycleObservers = [JobsObserver];
  bindings = JOB_HANDLERS.map(handler => createBindingFromClass(handler, {key: JobBindings.handler(handler.name)}));
}
