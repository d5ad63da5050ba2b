/**
 * How CREST reads an HTTP request: the operation (read, query, action, create, update, patch,
 * delete) a method and its query parameters stand for.
 */
import type { AmRequest } from './context.js';
import { AmError } from './errors.js';

export type CrestOperation = 'read' | 'query' | 'action' | 'create' | 'update' | 'patch' | 'delete';

export function crestOperation(request: AmRequest): CrestOperation {
  const { method, query } = request;
  switch (method) {
    case 'GET':
    case 'HEAD':
      return query.has('_queryFilter') || query.has('_queryId') || query.has('_queryExpression') ? 'query' : 'read';
    case 'POST':
      return query.has('_action') && query.get('_action') !== 'create' ? 'action' : 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      throw new AmError(405, `Method ${method} not allowed`);
  }
}

/** CREST's answer to an operation a resource does not support (AM's RestUtils.generateUnsupportedOperation). */
export function unsupportedOperation(): AmError {
  return new AmError(501, 'Operation is not supported.');
}
