/**
 * `GET esvs` and `PUT esvs/:name` `{value}` (the store checks the name). A secret's value is never
 * answered, not even in part (`{name, value: "***", secret: true}`): as AIC's ESV API, which
 * never reads a secret back.
 */
import type { EsvStore } from '../../../state/esvs.js';
import { objectBody, pathParams } from '../schema.js';
import type { ControlRoutes } from './context.js';

const VALUE_MESSAGE = 'value must be a string';

const ESV_BODY = {
  ...objectBody,
  required: ['value'],
  properties: { value: { type: 'string', errorMessage: VALUE_MESSAGE } },
  errorMessage: { type: objectBody.errorMessage, required: VALUE_MESSAGE },
} as const;

const ESV_PARAMS = pathParams('name');

export const esvRoutes: ControlRoutes = async (app, { services: { tenant } }) => {
  app.get('/esvs', () => ({ result: tenant.esvs.entries().map(([name, value]) => esvView(tenant.esvs, name, value)) }));

  app.put<{ Params: { name: string }; Body: { value: string } }>(
    '/esvs/:name',
    { schema: { params: ESV_PARAMS, body: ESV_BODY }, config: { jsonBody: 'object' } },
    (request) => {
      const { name } = request.params;
      const { value } = request.body;
      tenant.esvs.set(name, value);
      return esvView(tenant.esvs, name, value);
    },
  );
};

/** An ESV as the control API shows it: a secret's value masked whole. */
export function esvView(esvs: EsvStore, name: string, value: string) {
  return esvs.isSecret(name) ? { name, value: '***', secret: true } : { name, value };
}
