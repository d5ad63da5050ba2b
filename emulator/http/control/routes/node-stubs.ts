/**
 * Node stubs (state/node-stubs.ts): what a node type the emulator cannot run does instead.
 * `GET node-stubs`, `GET|PUT|DELETE node-stubs/:nodeType` and `.../:nodeType/:nodeId` (a stub for
 * one node wins over its type's), `DELETE node-stubs` (all). A PUT's body is
 * `{outcome?, callbacks?: [{type, output?: [{name, value}], input?: [{name, value}]}]}`.
 */
import { NODE_STUB_SPEC_PROPERTIES } from '../../../config/config-schema.js';
import { NodeStubError, nodeStubId, type NodeStubSpec } from '../../../state/node-stubs.js';
import { AmError } from '../../am/errors.js';
import { objectBody, pathParams } from '../schema.js';
import type { ControlRoutes } from './context.js';

const NAME = '^[A-Za-z0-9._-]{1,200}$';
const NAME_MESSAGE = 'must be letters, digits, . _ or - (at most 200)';

const TYPE_PARAMS = {
  ...pathParams('nodeType'),
  properties: { nodeType: { type: 'string', pattern: NAME, errorMessage: `the node type ${NAME_MESSAGE}` } },
};
const NODE_PARAMS = {
  ...pathParams('nodeType', 'nodeId'),
  properties: {
    nodeType: { type: 'string', pattern: NAME, errorMessage: `the node type ${NAME_MESSAGE}` },
    nodeId: { type: 'string', pattern: NAME, errorMessage: `the node id ${NAME_MESSAGE}` },
  },
};

const STUB_BODY = {
  ...objectBody,
  additionalProperties: false,
  properties: NODE_STUB_SPEC_PROPERTIES,
  errorMessage: {
    type: objectBody.errorMessage,
    additionalProperties: 'unknown node stub field {property}: a stub has outcome and callbacks',
  },
} as const;

export const nodeStubRoutes: ControlRoutes = async (app, { services: { tenant } }) => {
  const put = (nodeType: string, nodeId: string | undefined, body: NodeStubSpec) => {
    try {
      return tenant.nodeStubs.set(nodeType, nodeId, body);
    } catch (error) {
      if (error instanceof NodeStubError) throw new AmError(400, error.message);
      throw error;
    }
  };
  const get = (id: string) => {
    const stub = tenant.nodeStubs.get(id);
    if (!stub) throw new AmError(404, `no node stub ${id}`);
    return stub;
  };
  const remove = (id: string) => {
    if (!tenant.nodeStubs.remove(id)) throw new AmError(404, `no node stub ${id}`);
    return { status: 'ok' };
  };

  app.get('/node-stubs', () => ({ result: tenant.nodeStubs.list() }));

  app.delete('/node-stubs', () => {
    for (const stub of tenant.nodeStubs.list()) tenant.nodeStubs.remove(stub.id);
    return { status: 'ok' };
  });

  app.get<{ Params: { nodeType: string } }>('/node-stubs/:nodeType', { schema: { params: TYPE_PARAMS } }, (request) =>
    get(request.params.nodeType),
  );
  app.put<{ Params: { nodeType: string }; Body: NodeStubSpec }>(
    '/node-stubs/:nodeType',
    { schema: { params: TYPE_PARAMS, body: STUB_BODY }, config: { jsonBody: 'object' } },
    (request) => put(request.params.nodeType, undefined, request.body),
  );
  app.delete<{ Params: { nodeType: string } }>(
    '/node-stubs/:nodeType',
    { schema: { params: TYPE_PARAMS } },
    (request) => remove(request.params.nodeType),
  );

  app.get<{ Params: { nodeType: string; nodeId: string } }>(
    '/node-stubs/:nodeType/:nodeId',
    { schema: { params: NODE_PARAMS } },
    (request) => get(nodeStubId(request.params.nodeType, request.params.nodeId)),
  );
  app.put<{ Params: { nodeType: string; nodeId: string }; Body: NodeStubSpec }>(
    '/node-stubs/:nodeType/:nodeId',
    { schema: { params: NODE_PARAMS, body: STUB_BODY }, config: { jsonBody: 'object' } },
    (request) => put(request.params.nodeType, request.params.nodeId, request.body),
  );
  app.delete<{ Params: { nodeType: string; nodeId: string } }>(
    '/node-stubs/:nodeType/:nodeId',
    { schema: { params: NODE_PARAMS } },
    (request) => remove(nodeStubId(request.params.nodeType, request.params.nodeId)),
  );
};
