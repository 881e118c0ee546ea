import { UserError } from '../errors';
/**
 * A model the image format cannot express, an image the runtime rejects, or a run that fails: the message
 * names which and why. `code`/`detail`/`index` carry the runtime's mcb_status, image error and record index.
 */
export class ImageError extends UserError {
  constructor(message: string, readonly code?: string, readonly detail?: string, readonly index?: number) {
    super(message);
    this.name = 'ImageError';
  }
}
