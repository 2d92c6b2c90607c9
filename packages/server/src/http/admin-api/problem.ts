import type { FastifyReply } from 'fastify';
import { type Failure, type Result, failureMessage } from '../../domain/errors.js';
import { STATUS } from '../web/web-reply.js';

export const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};

/** An RFC 9457 problem: `type` is a URI per failure code, `code` the code the web panel and CLI use. */
export function problemOf(status: number, code: string, detail: string) {
  return {
    type: `/admin-api/v1/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
  };
}

export function sendProblem(reply: FastifyReply, status: number, code: string, detail: string): FastifyReply {
  return reply
    .code(status)
    .type(PROBLEM_TYPE)
    .send(problemOf(status, code, detail));
}

/** A use case's failure with the same HTTP status the web panel gives it. */
export function sendFailureProblem(reply: FastifyReply, failure: Failure): FastifyReply {
  return sendProblem(reply, STATUS[failure.code] ?? 400, failure.code, failureMessage(failure));
}

/** A use case's result as a handler returns it: the value (serialised by the answer schema) or a problem. */
export function answerOrProblem<T>(reply: FastifyReply, result: Result<T>): T | FastifyReply {
  return result.ok ? result.value : sendFailureProblem(reply, result.failure);
}
