import { UserError } from '../errors';
/** The firmware did not build or does not fit the board; the message carries the reason and the compiler's last lines. */
export class BuildError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'BuildError';
  }
}
