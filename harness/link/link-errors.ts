// Errors the link raises. The runner tells them apart by class (or by name after serialisation):
//   LinkError        the link failed: no answer after the retries, port closed, garbled answers.
//   BoardResetError  the board rebooted mid-session (RESET notice or NO_SESSION): call hello() again and redo the sample.
//   BoardAnswerError the board answered but refused or failed the request (NACK / ERROR): not a link problem.
import { UserError } from '../errors';

/** Where in the conversation something went wrong, for messages and for the runner. */
export interface LinkErrorContext {
  sample?: number;
  request?: string;
  seq?: number;
}

export function describeContext(ctx: LinkErrorContext): string {
  const where = ctx.sample === undefined ? 'outside any sample' : `during sample ${ctx.sample}`;
  return ctx.request ? `${where} (${ctx.request}${ctx.seq === undefined ? '' : ` seq ${ctx.seq}`})` : where;
}

export class LinkError extends UserError {
  constructor(message: string, readonly context: LinkErrorContext = {}) {
    super(message);
    this.name = 'LinkError';
  }
}

export class BoardResetError extends LinkError {
  constructor(message: string, context: LinkErrorContext = {}) {
    super(message, context);
    this.name = 'BoardResetError';
  }
}

export class BoardAnswerError extends UserError {
  constructor(
    message: string,
    /** Error code from docs/protocol.json (LINK_ERROR). */
    readonly code: number,
    readonly codeName: string,
    readonly detail: number,
    readonly context: LinkErrorContext = {},
  ) {
    super(message);
    this.name = 'BoardAnswerError';
  }
}
