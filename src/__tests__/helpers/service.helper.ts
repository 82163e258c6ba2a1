import {Application, Constructor, CoreTags} from '@loopback/core';

/** The booted application's singleton of a service class (bound by the service booter). */
export function serviceOf<T>(app: Application, serviceClass: Constructor<T>): Promise<T> {
  return app.get<T>(`services.${serviceClass.name}`);
}

/** Binds a stand-in that `@service(serviceClass)` resolves to. */
export function bindServiceStub<T>(app: Application, serviceClass: Constructor<T>, stub: Partial<T>): void {
  app
    .bind(`services.${serviceClass.name}`)
    .to(stub as T)
    .tag({[CoreTags.SERVICE_INTERFACE]: serviceClass});
}
