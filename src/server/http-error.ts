/** @module Errors as the API answers them: a status and a one-line message, never a stack trace. */
import { ConfigError, StudyNotFoundError } from "../index.js";

/** What a handler throws to answer with a status: its message is the JSON error. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}

export function studyNotFound(name: string): HttpError {
  return new HttpError(404, `study ${JSON.stringify(name)} does not exist: GET /api/studies lists the studies`);
}

/**
 * The status and message a client may see for `error`. Unexpected errors are logged here and answered with a
 * generic message: their text may name files, SQL or connection details.
 */
export function publicError(error: unknown): { status: 400 | 404 | 500; message: string } {
  const oneLine = (message: string) => message.split("\n", 1)[0]!;
  if (error instanceof HttpError) return { status: error.status, message: oneLine(error.message) };
  if (error instanceof StudyNotFoundError) return { status: 404, message: oneLine(error.message) };
  if (error instanceof ConfigError) return { status: 400, message: oneLine(error.message) };
  console.error(error);
  return { status: 500, message: "internal error: the server's log has the details" };
}
