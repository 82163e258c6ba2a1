import {createBindingFromClass, injectable} from '@loopback/core';
import {asSpecEnhancer, mergeOpenAPISpec, OASEnhancer, OpenApiSpec} from '@loopback/rest';

/** Routes reachable without a bearer token. */
const PUBLIC_PATH = /^\/(health|webhooks\/)/;

/** Declares the bearer scheme and marks every non-public operation as needing it. */
@injectable(asSpecEnhancer)
export class BearerSecuritySpecEnhancer implements OASEnhancer {
  readonly name = 'bearer-security';

  static binding() {
    return createBindingFromClass(BearerSecuritySpecEnhancer);
  }

  modifySpec(spec: OpenApiSpec): OpenApiSpec {
    const withScheme = mergeOpenAPISpec(spec, {
      components: {securitySchemes: {bearerAuth: {type: 'http', scheme: 'bearer', bearerFormat: 'JWT'}}},
    });
    for (const [route, item] of Object.entries(withScheme.paths ?? {})) {
      if (PUBLIC_PATH.test(route)) continue;
      for (const operation of Object.values(item as Record<string, {security?: unknown}>)) {
        if (operation && typeof operation === 'object') operation.security = [{bearerAuth: []}];
      }
    }
    return withScheme;
  }
}
