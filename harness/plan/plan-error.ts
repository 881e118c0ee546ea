import { UserError } from '../errors';
/** A plan that cannot be made (illegal split, unsupported layout): the message names the model and the reason. */
export class PlanError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}
