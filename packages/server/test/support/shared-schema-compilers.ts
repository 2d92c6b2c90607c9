import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

/**
 * Fastify's own schema compilers (the versions Fastify itself loads), shared by every server a test
 * process starts: a route schema is compiled once per process instead of once per test panel, which
 * is most of a panel's start-up. The compiled functions are the ones each server would compile
 * itself: same compilers, same options, same schema objects.
 */
type SchemaController = NonNullable<FastifyServerOptions['schemaController']>;
type CompilersFactory = NonNullable<SchemaController['compilersFactory']>;
type BuildSerializer = NonNullable<CompilersFactory['buildSerializer']>;
type SerializerCompiler = ReturnType<BuildSerializer>;

const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
const ValidatorSelector = fromFastify('@fastify/ajv-compiler') as () => CompilersFactory['buildValidator'];
const SerializerSelector = fromFastify('@fastify/fast-json-stringify-compiler') as () => BuildSerializer;

/** Validators: Ajv instances pooled by options, each caching what it compiled by schema object. */
const buildValidator = ValidatorSelector();

/** Serializers: Fastify's compiler, remembered by its options and the schema object. */
const baseSerializer = SerializerSelector();
const serializers = new Map<string, { compile: SerializerCompiler; compiled: WeakMap<object, unknown> }>();
const buildSerializer: BuildSerializer = (externalSchemas, options) => {
  const key = JSON.stringify([externalSchemas, options]);
  let pool = serializers.get(key);
  if (pool === undefined) {
    pool = { compile: baseSerializer(externalSchemas, options), compiled: new WeakMap() };
    serializers.set(key, pool);
  }
  const { compile, compiled } = pool;
  return ((route: Parameters<SerializerCompiler>[0]) => {
    const schema = route.schema as object;
    let serialize = compiled.get(schema);
    if (serialize === undefined) {
      serialize = compile(route);
      compiled.set(schema, serialize);
    }
    return serialize;
  }) as SerializerCompiler;
};

export const sharedSchemaController: SchemaController = {
  compilersFactory: { buildValidator, buildSerializer },
};
