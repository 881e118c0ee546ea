// The one base class of every error whose message is the whole story for the user: a bad input, a board that
// will not answer, a model that does not fit. The CLI prints these without a stack trace; anything else is a bug
// and keeps its stack.
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** A bad command line or option value: the message says which and what to do. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
