import { startFakeHttpServer } from './fake-gateway-http.js';

/**
 * An exchange-rate feed over real HTTP for the currency tests: it answers what the test last set
 * (a JSON body, or a failure status with a text body) and counts the requests it got.
 */
export async function startRateFeedServer() {
  let answer: { status: number; body: string } = { status: 200, body: '{}' };
  let requests = 0;
  const server = await startFakeHttpServer((_request, response) => {
    requests++;
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(answer.body);
  });
  return {
    url: `${server.origin}/rates.json`,
    get requests() {
      return requests;
    },
    /** The feed's next answer: an object served as JSON. */
    serve(body: unknown): void {
      answer = { status: 200, body: JSON.stringify(body) };
    },
    /** The next answer as given: a status and raw text (a failure, or a body that is not JSON). */
    answerRaw(status: number, body: string): void {
      answer = { status, body };
    },
    close: () => server.close(),
  };
}
