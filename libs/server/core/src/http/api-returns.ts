import { ApiExtension, type OpenAPIObject } from '@nestjs/swagger';
import { RESPONSE_SCHEMAS, type ResponseTypes } from '@portal/contracts';

/** What a route answers with on success, as `x-returns` carries it until `declareResponses` writes the schema. */
type Returns = { name: keyof ResponseTypes; list: boolean } | { file: string } | { empty: true };

const EXTENSION = 'x-returns';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** The parts of an operation of the document this reads and writes (the swagger package does not export its types). */
interface Operation {
  responses: Record<string, { content?: Record<string, { schema: unknown }> } | { $ref: string }>;
  [EXTENSION]?: Returns;
}

/** A method whose declared result is `R` (or a promise of it): the compiler refuses a route whose type differs. */
type Answering<R> = (...args: never[]) => R | Promise<R>;
type RouteDecorator<R> = <F extends Answering<R>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<F>) => void;

const declare =
  <R>(returns: Returns): RouteDecorator<R> =>
  (target, key, descriptor) =>
    void ApiExtension(EXTENSION, returns)(target, key, descriptor);

/** The route answers one `name` (a type of `ResponseTypes`) as JSON. */
export const ApiReturns = <K extends keyof ResponseTypes>(name: K): RouteDecorator<ResponseTypes[K]> => declare({ name, list: false });

/** The route answers a JSON array of `name` (a list page, with its Content-Range). */
export const ApiReturnsList = <K extends keyof ResponseTypes>(name: K): RouteDecorator<ReadonlyArray<ResponseTypes[K]>> => declare({ name, list: true });

/** The route answers a file (a PDF, a spreadsheet) of this media type. */
export const ApiReturnsFile = (mediaType: string): RouteDecorator<unknown> => declare({ file: mediaType });

/** The route answers 204 without a body. */
export const ApiReturnsNothing = (): RouteDecorator<void> => declare({ empty: true });

/**
 * Writes each route's declared answer into its 2xx responses of the OpenAPI document, with the schemas they use
 * (generated from the contracts' types). A route that declares none keeps a 2xx without content, which the
 * OpenAPI test refuses.
 */
export function declareResponses(doc: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method] as Operation | undefined;
      const returns = op?.[EXTENSION];
      if (!op || !returns) continue;
      delete op[EXTENSION];
      for (const [status, response] of Object.entries(op.responses)) {
        if (!status.startsWith('2') || '$ref' in response) continue;
        if ('empty' in returns) delete response.content;
        else if ('file' in returns) response.content = { [returns.file]: { schema: { type: 'string', format: 'binary' } } };
        else {
          const ref = { $ref: `#/components/schemas/${returns.name}` };
          response.content = { 'application/json': { schema: returns.list ? { type: 'array', items: ref } : ref } };
        }
      }
    }
  }
  const requests = doc.components?.schemas ?? {};
  // a request body's class named like an answer's type would lose its schema: a programming error, caught by the tests
  const clash = Object.keys(RESPONSE_SCHEMAS).filter((name) => name in requests);
  if (clash.length) throw new Error(`OpenAPI: request classes named like response types: ${clash.join(', ')}`);
  doc.components = { ...doc.components, schemas: { ...requests, ...RESPONSE_SCHEMAS } };
  return doc;
}
