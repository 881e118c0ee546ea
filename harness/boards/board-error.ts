import { UserError } from '../errors';
/** A board or chip file is missing, malformed or inconsistent; the message names the file and the field. */
export class BoardError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'BoardError';
  }
}
