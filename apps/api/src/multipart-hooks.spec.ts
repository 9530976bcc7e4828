import Fastify, { type FastifyInstance } from 'fastify';
import { hooksForMultipartOnly } from './create-app.js';

/**
 * hooksForMultipartOnly (issue 13, the framework's cost per request): @fastify/multipart's two async clean-up hooks run
 * for multipart requests only; every other hook and decorator of the plugin is registered as it was.
 */

const calls: string[] = [];

/**
 * A plugin shaped like @fastify/multipart: async onRequest and onResponse, a callback-style hook, a request decorator,
 * and fastify-plugin's skip-override mark (its decorators reach the application).
 */
const plugin = Object.assign(
  (instance: FastifyInstance, _opts: unknown, done: (err?: Error) => void) => {
    instance.decorateRequest('uploadsOnly', 'yes');
    instance.addHook('onRequest', async (req) => {
      await Promise.resolve();
      calls.push(`async onRequest ${req.url}`);
    });
    instance.addHook('onResponse', async (req) => {
      await Promise.resolve();
      calls.push(`async onResponse ${req.url}`);
    });
    instance.addHook('onRequest', (req, _reply, next) => {
      calls.push(`callback onRequest ${req.url}`);
      next();
    });
    done();
  },
  { [Symbol.for('skip-override')]: true },
);

let app: FastifyInstance;
beforeAll(async () => {
  app = Fastify();
  await app.register(hooksForMultipartOnly(plugin));
  // a multipart body needs a parser for the request to reach the handler; the real plugin brings its own
  app.addContentTypeParser('multipart/form-data', (_req, _payload, done) => done(null, {}));
  app.post('/upload', (req, reply) => reply.send({ decorated: (req as unknown as { uploadsOnly: string }).uploadsOnly }));
  await app.ready();
});
afterAll(() => app.close());
beforeEach(() => calls.splice(0));

it('runs the async hooks for a multipart request', async () => {
  const res = await app.inject({ method: 'POST', url: '/upload', headers: { 'content-type': 'multipart/form-data; boundary=x' }, payload: '--x--' });
  expect(res.json()).toEqual({ decorated: 'yes' });
  expect(calls).toEqual(['async onRequest /upload', 'callback onRequest /upload', 'async onResponse /upload']);
});

it('skips them for any other request, keeping the plugin’s other hooks and its decorator on the whole application', async () => {
  const res = await app.inject({ method: 'POST', url: '/upload', payload: { a: 1 } });
  expect(res.json()).toEqual({ decorated: 'yes' });
  expect(calls).toEqual(['callback onRequest /upload']);
});
