import {BindingScope} from '@loopback/core';
import {AuthorizationInterceptor} from '@loopback/authorization';
import {REQUEST_BODY_PARSER_TAG, RestApplication, RestBindings} from '@loopback/rest';

/**
 * LoopBack binds its body parsers and the authorization interceptor per request
 * (TRANSIENT), instantiating a dozen stateless classes with dependency injection on
 * every call. They hold no request state, so one instance each serves every request.
 */
export function keepStatelessBindingsSingleton(app: RestApplication): void {
  const server = app.restServer;
  // A singleton resolves its injections where it is bound (the application), but LoopBack binds the
  // parser options (body size limits) on its server: copy them up, or the parsers fall back to defaults.
  const parserOptions = server.getSync(RestBindings.REQUEST_BODY_PARSER_OPTIONS, {optional: true});
  if (parserOptions) app.bind(RestBindings.REQUEST_BODY_PARSER_OPTIONS).to(parserOptions);
  server.getBinding(RestBindings.REQUEST_BODY_PARSER).inScope(BindingScope.SINGLETON);
  for (const binding of server.findByTag(REQUEST_BODY_PARSER_TAG)) binding.inScope(BindingScope.SINGLETON);
  for (const binding of app.find(b => b.providerConstructor === AuthorizationInterceptor)) binding.inScope(BindingScope.SINGLETON);
}
