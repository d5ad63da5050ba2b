/**
 * JSON Schema checks compiled on first use: loading ajv and compiling a schema cost ~60 ms,
 * which a start with nothing to check (the demo tenant, no state file) should not pay.
 */
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';

export function lazyValidator(schema: object): () => ValidateFunction {
  let compiled: ValidateFunction | undefined;
  return () => {
    if (!compiled) {
      const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
      compiled = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
    }
    return compiled;
  };
}
