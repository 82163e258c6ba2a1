import {BindingScope, BindingTemplate, extensionFor} from '@loopback/core';
import {JobBindings} from '../keys';

/** Marks a binding as a job handler; singleton, because the observer resolves it once per start. */
export const asJobHandler: BindingTemplate = binding => {
  extensionFor(JobBindings.HANDLERS)(binding);
  binding.inScope(BindingScope.SINGLETON);
};
